import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREFIX_SCAN } from '../../src/db/problem-item-search.js';
import type { DomainType } from '../../src/domain/domain-types.js';
import { seedCatalog, writeTemp } from '../support/fixtures.js';
import { cliRunner } from '../support/run-cli.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PROBLEMS = ['failed', 'partial_mapped'];

/**
 * `tether items --domain`: an execution has one domain type, so its own domain type returns what
 * a plain query returns and the other returns nothing — on the plain scan path (no --status, or no
 * --search) and on both halves of the problem-item search (the id-ordered prefix and the trigram
 * index past it).
 */
describe('items --domain', () => {
  let app: TestApp;
  const cli = cliRunner(() => app.config.databaseUrl);
  const executions = {} as Record<DomainType, number>;

  const items = async (executionId: number, ...argv: string[]): Promise<number[]> => {
    const result = await cli('items', String(executionId), '--limit', '1000', '--json', ...argv);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(result.stdout).items.map((item: { id: number }) => item.id);
  };
  /** What the filters mean, as one plain query. */
  const expected = async (executionId: number, domainType: DomainType, search: string, statuses: string[] | null, limit = 1000): Promise<number[]> => {
    const { rows } = await app.pool.query<{ id: number }>(
      `SELECT id FROM sync_item WHERE execution_id = $1 AND domain_type = $2 AND ($3::text[] IS NULL OR status = ANY($3))
         AND (external_id ILIKE $4 OR error_message ILIKE $4) ORDER BY id LIMIT $5`,
      [executionId, domainType, statuses, `%${search}%`, limit],
    );
    return rows.map((row) => row.id);
  };

  beforeAll(async () => {
    app = await startTestApp();
    const yaml = await writeTemp(
      'integrations.yml',
      `- key: shop
  name: Shop
  connector: demo
  domains: [sales_orders, warehouse_inventory]
  config: { orders: 3000, page_size: 500, warehouses: 2, sku_count: 10, unmapped_sku_rate: 0.6, unmapped_channel_rate: 0, invalid_rate: 0 }
`,
    );
    expect((await cli('integrations', 'apply', yaml)).code).toBe(0);
    await seedCatalog(app, 'shop');
    // Most orders and every warehouse have an unmapped SKU: the inventory run ends `failed` (every item failed), so exit 1.
    const result = await cli('sync', 'shop', '--json');
    for (const execution of JSON.parse(result.stdout) as { id: number; domainType: DomainType; error: unknown; failedCount: number }[]) {
      expect(execution).toMatchObject({ error: null, failedCount: expect.any(Number) });
      expect(execution.failedCount).toBeGreaterThan(0);
      executions[execution.domainType] = execution.id;
    }
    expect(Object.keys(executions).sort()).toEqual(['sales_orders', 'warehouse_inventory']);
  }, 120_000);
  afterAll(async () => app?.destroy());

  it('a search term common to both domain types finds items in each execution only under its own domain type', async () => {
    const term = 'unmapped sku "acme-90';
    for (const [own, other] of [['sales_orders', 'warehouse_inventory'], ['warehouse_inventory', 'sales_orders']] as const) {
      const executionId = executions[own];
      // Problem-item search (--status failed,partial_mapped --search): the id-ordered prefix answers it.
      const problems = await expected(executionId, own, term, PROBLEMS, 50);
      expect(problems.length).toBeGreaterThan(0);
      expect({ own, ids: await items(executionId, '--status', 'failed,partial_mapped', '--search', term, '--domain', own, '--limit', '50') }).toEqual({ own, ids: problems });
      expect({ other, ids: await items(executionId, '--status', 'failed,partial_mapped', '--search', term, '--domain', other, '--limit', '50') }).toEqual({ other, ids: [] });

      // Plain scan: --search without --status, and --status without --search.
      const searched = await expected(executionId, own, term, null);
      expect(searched.length).toBeGreaterThan(0);
      expect({ own, ids: await items(executionId, '--search', term, '--domain', own) }).toEqual({ own, ids: searched });
      expect({ other, ids: await items(executionId, '--search', term, '--domain', other) }).toEqual({ other, ids: [] });
      const failed = await expected(executionId, own, '', PROBLEMS);
      expect(failed.length).toBeGreaterThan(0);
      expect({ own, ids: await items(executionId, '--status', 'failed,partial_mapped', '--domain', own) }).toEqual({ own, ids: failed });
      expect({ other, ids: await items(executionId, '--status', 'failed,partial_mapped', '--domain', other) }).toEqual({ other, ids: [] });
    }
  });

  it('a rare term past the id-ordered prefix is found through the trigram index only under its own domain type', async () => {
    const executionId = executions.sales_orders;
    const { rows } = await app.pool.query<{ external_id: string; rank: number }>(
      `SELECT external_id, (SELECT count(*)::int FROM sync_item p WHERE p.execution_id = $1 AND p.error_message IS NOT NULL AND p.id <= i.id) AS rank
       FROM sync_item i WHERE execution_id = $1 AND status = ANY($2) ORDER BY id DESC LIMIT 1`,
      [executionId, PROBLEMS],
    );
    const { external_id: rare, rank } = rows[0]!;
    expect(rank).toBeGreaterThan(PREFIX_SCAN); // so the prefix cannot answer it
    const ids = await expected(executionId, 'sales_orders', rare, PROBLEMS);
    expect(ids).toHaveLength(1);
    expect(await items(executionId, '--status', 'failed,partial_mapped', '--search', rare, '--domain', 'sales_orders')).toEqual(ids);
    expect(await items(executionId, '--status', 'partial_mapped', '--search', rare.toLowerCase(), '--domain', 'sales_orders')).toEqual(ids);
    expect(await items(executionId, '--status', 'failed,partial_mapped', '--search', rare, '--domain', 'warehouse_inventory')).toEqual([]);
    // And without --status (the plain scan) the same.
    expect(await items(executionId, '--search', rare, '--domain', 'sales_orders')).toEqual(ids);
    expect(await items(executionId, '--search', rare, '--domain', 'warehouse_inventory')).toEqual([]);
  });
});
