import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTemp } from '../support/fixtures.js';
import { cliRunner } from '../support/run-cli.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Imports through the CLI: every bad file exits 2 with one line naming the lines at fault, and writes nothing. */
describe('catalog imports', () => {
  let app: TestApp;
  const cli = cliRunner(() => app.config.databaseUrl);
  const catalogCounts = async () =>
    (
      await app.pool.query(
        `SELECT (SELECT count(*)::int FROM sku) AS skus, (SELECT count(*)::int FROM channel) AS channels,
                (SELECT count(*)::int FROM sku_external_id) AS sku_mappings, (SELECT count(*)::int FROM channel_external_id) AS channel_mappings,
                (SELECT count(*)::int FROM audit_event WHERE action LIKE '%.imported') AS imports`,
      )
    ).rows[0];

  /** Runs the import and expects it refused with exactly this message, and nothing written. */
  async function refused(kind: 'skus' | 'channels' | 'mappings', content: string, message: (file: string) => string): Promise<void> {
    const file = await writeTemp(`${kind}.csv`, content);
    const before = await catalogCounts();
    const result = await cli(kind, 'import', file);
    expect({ kind, content, code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
      kind,
      content,
      code: 2,
      stdout: '',
      stderr: `error: ${message(file)}`,
    });
    expect(await catalogCounts()).toEqual(before);
  }

  beforeAll(async () => {
    app = await startTestApp();
    const integrations = await writeTemp(
      'integrations.yml',
      ['shop', 'outlet'].map((key) => `- { key: ${key}, name: ${key}, connector: demo, domains: [sales_orders] }`).join('\n'),
    );
    expect((await cli('integrations', 'apply', integrations)).code).toBe(0);
    expect((await cli('skus', 'import', await writeTemp('skus.csv', 'code,name\nSKU-1,One\nSKU-2,Two\n'))).code).toBe(0);
    expect((await cli('channels', 'import', await writeTemp('channels.csv', 'code,name\nWEB,Web\n'))).code).toBe(0);
  });
  afterAll(async () => app?.destroy());

  it('refuses a code given twice in a SKU or channel file, naming both lines (blank lines count)', async () => {
    for (const kind of ['skus', 'channels'] as const) {
      await refused(
        kind,
        'code,name\r\nNEW-1,A\r\nNEW-2,B\r\n\r\nNEW-1,C\r\nNEW-3,D\r\nNEW-1,E\r\n',
        (file) => `${file}: nothing imported, 2 bad row(s): line 5: code "NEW-1" is also on line 2; line 7: code "NEW-1" is also on line 2`,
      );
    }
    // The same codes once each import fine.
    expect(await cli('skus', 'import', await writeTemp('skus.csv', 'code,name\nNEW-1,A\nNEW-2,B\n'))).toMatchObject({ code: 0, stdout: 'Imported 2 skus.' });
  });

  it('refuses a mapping given twice (same integration, kind and external_id), naming both lines', async () => {
    await refused(
      'mappings',
      [
        'integration,kind,external_id,tether_code',
        'shop,sku,EXT-1,SKU-1',
        'shop,channel,EXT-1,WEB',
        'outlet,sku,EXT-1,SKU-1',
        'shop,sku,EXT-1,SKU-2',
        'shop,channel,EXT-1,WEB',
      ].join('\n'),
      (file) =>
        `${file}: nothing imported, 2 bad row(s): line 5: sku "EXT-1" of integration "shop" is also on line 2; ` +
        'line 6: channel "EXT-1" of integration "shop" is also on line 3',
    );
    // The same external id under another kind or another integration is a different mapping.
    const distinct = await writeTemp(
      'mappings.csv',
      'integration,kind,external_id,tether_code\nshop,sku,EXT-1,SKU-1\nshop,channel,EXT-1,WEB\noutlet,sku,EXT-1,SKU-2\n',
    );
    expect(await cli('mappings', 'import', distinct)).toMatchObject({ code: 0, stdout: 'Imported 2 SKU mappings and 1 channel mappings.' });
    const { rows } = await app.pool.query(
      `SELECT i.key, m.external_id, s.code FROM sku_external_id m JOIN integration i ON i.id = m.integration_id JOIN sku s ON s.id = m.sku_id ORDER BY i.key`,
    );
    expect(rows).toEqual([
      { key: 'outlet', external_id: 'EXT-1', code: 'SKU-2' },
      { key: 'shop', external_id: 'EXT-1', code: 'SKU-1' },
    ]);
  });

  it('refuses a file with a header and no rows', async () => {
    for (const [kind, header] of [['skus', 'code,name'], ['channels', 'code,name'], ['mappings', 'integration,kind,external_id,tether_code']] as const) {
      await refused(kind, `${header}\r\n\r\n`, (file) => `${file}: nothing imported: no rows to import (the file has a header but no data rows)`);
    }
  });

  it('refuses an empty file and a one-line file without a header, naming the columns', async () => {
    for (const content of ['', '\ufeff', '\n\n']) {
      await refused('skus', content, (file) => `${file} is empty: expected a header row with columns code,name`);
      await refused('mappings', content, (file) => `${file} is empty: expected a header row with columns integration,kind,external_id,tether_code`);
    }
    await refused('channels', 'WEB,Web\n', (file) => `${file}: the header must have the columns code,name (missing: code, name)`);
    await refused(
      'mappings',
      'shop,sku,EXT-9,SKU-1',
      (file) => `${file}: the header must have the columns integration,kind,external_id,tether_code (missing: integration, kind, external_id, tether_code)`,
    );
  });

  it('names an unknown Tether SKU or channel without naming a CLI command', async () => {
    await refused(
      'mappings',
      'integration,kind,external_id,tether_code\nshop,sku,EXT-7,NOPE\nshop,channel,amazon,NOWHERE\nshop,sku,EXT-8,\n',
      (file) =>
        `${file}: nothing imported, 3 bad row(s): line 2: unknown Tether SKU "NOPE" (import it first); ` +
        'line 3: unknown Tether channel "NOWHERE" (import it first); line 4: tether_code is empty',
    );
  });
});
