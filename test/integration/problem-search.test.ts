import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeItemCursor } from '../../src/db/executions.repository.js';
import { demoSpec } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The search among problem items must return exactly what a plain scan returns, at any depth. */
describe('searching failed items', () => {
  let app: TestApp;
  let executionId: number;

  beforeAll(async () => {
    app = await startTestApp();
    await app.integrations.apply([demoSpec({ key: 'shop' })], { actor: 'test' });
    const shop = (await app.repositories.integrations.findByKey('shop'))!;
    executionId = await app.store.createExecution({ integrationId: shop.id, domainType: 'sales_orders', trigger: 'manual', dryRun: false, triggeredBy: null });
    // 30,000 items; every 3rd has a problem (10,000, more than the 5,000 scanned in id order first).
    await app.pool.query(
      `INSERT INTO sync_item (execution_id, domain_type, external_id, status, error_message, fetched_at)
       SELECT $1, 'sales_orders', 'ORD-' || lpad(g::text, 6, '0'),
              CASE WHEN g % 3 = 0 THEN (CASE WHEN g % 2 = 0 THEN 'failed' ELSE 'partial_mapped' END) ELSE 'success' END,
              CASE WHEN g % 3 = 0 THEN 'Unmapped SKU "' || (CASE WHEN g = 28500 THEN 'RARE-77' ELSE 'ACME-' || (g % 7) END) || '"' END,
              now()
       FROM generate_series(1, 30000) g`,
      [executionId],
    );
  });
  afterAll(async () => app?.destroy());

  async function brute(search: string, statuses: string[], afterId: number, limit: number): Promise<number[]> {
    const { rows } = await app.pool.query<{ id: number }>(
      `SELECT id FROM sync_item WHERE execution_id = $1 AND id > $2 AND status = ANY($3) AND (external_id ILIKE $4 OR error_message ILIKE $4) ORDER BY id LIMIT $5`,
      [executionId, afterId, statuses, `%${search}%`, limit],
    );
    return rows.map((row) => row.id);
  }

  it('matches a plain scan for common and rare terms, first page to last', async () => {
    const { rows } = await app.pool.query<{ min: number; max: number }>('SELECT min(id)::int AS min, max(id)::int AS max FROM sync_item');
    const { min, max } = rows[0]!;
    for (const search of ['acme-3', 'RARE-77', 'ORD-0285', 'nothing-like-this']) {
      for (const statuses of [['failed', 'partial_mapped'], ['partial_mapped']]) {
        for (const depth of [0, 0.3, 0.9]) {
          const afterId = Math.floor(min - 1 + (max - min) * depth);
          const page = await app.executions.items(
            executionId,
            { statuses: statuses as ('failed' | 'partial_mapped')[], search },
            { limit: 50, after: afterId > 0 ? encodeItemCursor(afterId) : undefined },
          );
          const expected = await brute(search, statuses, afterId, 51);
          expect({ search, statuses, depth, ids: page.items.map((item) => item.id) }).toEqual({ search, statuses, depth, ids: expected.slice(0, 50) });
          expect(page.nextCursor === null).toBe(expected.length <= 50);
        }
      }
    }
  });
});
