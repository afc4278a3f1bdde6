import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CHANNELS } from '../../src/sync/connectors/demo/demo-data.js';
import { writeTemp } from '../support/fixtures.js';
import { cliRunner } from '../support/run-cli.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * `match_sku_codes: true`: an external SKU equal to a Tether SKU code resolves without a mapping,
 * and a mapping still wins over a code. Two integrations read the same demo source (external SKUs
 * DEMO-0001..DEMO-0003), one with the option and one without; real syncs, checked in the database.
 */
describe('match_sku_codes', () => {
  let app: TestApp;
  const cli = cliRunner(() => app.config.databaseUrl);
  const integration = (key: string, matchSkuCodes: boolean) => `
- key: ${key}
  name: ${key}
  connector: demo
  domains: [sales_orders]
  match_sku_codes: ${matchSkuCodes}
  config: { orders: 40, page_size: 20, sku_count: 3, unmapped_sku_rate: 0, unmapped_channel_rate: 0, invalid_rate: 0 }
`;
  /** Each external SKU on the integration's order lines, with the Tether SKU code it resolved to (null: unresolved). */
  const resolvedLines = async (key: string) =>
    (
      await app.pool.query<{ external_sku: string; code: string | null; lines: number }>(
        `SELECT l.external_sku, s.code, count(*)::int AS lines
         FROM sales_order_line l JOIN sales_order o ON o.id = l.order_id JOIN integration i ON i.id = o.integration_id
         LEFT JOIN sku s ON s.id = l.sku_id
         WHERE i.key = $1 GROUP BY 1, 2 ORDER BY 1`,
        [key],
      )
    ).rows;

  beforeAll(async () => {
    app = await startTestApp();
    const imports: [string, string][] = [
      ['integrations', integration('coded', true) + integration('strict', false)],
      // DEMO-0001 and DEMO-0003 exist only as codes; DEMO-0002 is a code too, but is mapped to SKU-0002.
      ['skus', 'code,name\nDEMO-0001,One\nDEMO-0002,Two by code\nDEMO-0003,Three\nSKU-0002,Two by mapping\n'],
      ['channels', ['code,name', ...DEMO_CHANNELS.map((c) => `${c},${c}`)].join('\n')],
      [
        'mappings',
        [
          'integration,kind,external_id,tether_code',
          ...['coded', 'strict'].flatMap((key) => [`${key},sku,DEMO-0002,SKU-0002`, ...DEMO_CHANNELS.map((c) => `${key},channel,${c},${c}`)]),
        ].join('\n'),
      ],
    ];
    for (const [kind, content] of imports) {
      const file = await writeTemp(kind === 'integrations' ? 'integrations.yml' : `${kind}.csv`, content);
      const result = await cli(kind, kind === 'integrations' ? 'apply' : 'import', file);
      expect({ kind, ...result }).toMatchObject({ kind, code: 0, stderr: '' });
    }
  });
  afterAll(async () => app?.destroy());

  it('with match_sku_codes an external SKU equal to a Tether SKU code resolves without a mapping; a mapping still wins', async () => {
    const result = await cli('sync', 'coded', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)[0]).toMatchObject({ status: 'success', failedCount: 0, errorAnalysis: { unmappedSkus: [] } });
    const lines = await resolvedLines('coded');
    expect(lines.map((row) => [row.external_sku, row.code])).toEqual([
      ['DEMO-0001', 'DEMO-0001'],
      ['DEMO-0002', 'SKU-0002'],
      ['DEMO-0003', 'DEMO-0003'],
    ]);
    expect(lines.every((row) => row.lines > 0)).toBe(true);
  });

  it('without match_sku_codes the same SKUs stay unmapped (sku_id NULL); the mapped one resolves', async () => {
    const result = await cli('sync', 'strict', '--json');
    expect(result.code).toBe(0);
    const execution = JSON.parse(result.stdout)[0];
    expect(execution.status).toBe('partial');
    expect(execution.errorAnalysis.unmappedSkus.map((entry: { value: string }) => entry.value).sort()).toEqual(['DEMO-0001', 'DEMO-0003']);
    expect((await resolvedLines('strict')).map((row) => [row.external_sku, row.code])).toEqual([
      ['DEMO-0001', null],
      ['DEMO-0002', 'SKU-0002'],
      ['DEMO-0003', null],
    ]);
  });
});
