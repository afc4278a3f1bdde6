import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeItemCursor, type ItemFilter, type ItemsPage } from '../../src/db/executions.repository.js';
import { SEARCH_SCAN_IDS } from '../../src/db/item-scan.js';
import { PREFIX_SCAN } from '../../src/db/problem-item-search.js';
import type { ItemStatus } from '../../src/domain/statuses.js';
import { demoSpec, seedCatalog } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const ITEMS = 30_000;
/** Item ids 10 apart (another execution's items in between, as with concurrent runs): the ids span 3 × SEARCH_SCAN_IDS. */
const ID_STEP = 10;
const STATUS_FILTERS: (ItemStatus[] | null)[] = [null, ['failed', 'partial_mapped'], ['failed'], ['partial_mapped'], ['success'], ['skipped'], ['success', 'skipped']];
/** Common, medium, rare (once, deep), absent, too short for the trigram index, and hostile text. */
const SEARCHES = ['acme', 'ord-0123', 'RARE-77', 'ORD-029990', 'nothing-like-this', 'x"', '%', '_', '\\', "O'Brien", '50%_off', 'a\\b'];

/**
 * The items page with a search, for every status filter, must return exactly what a plain scan
 * returns — on the first, a middle and the last page, through Next to the end, before and after
 * ANALYZE (the plans must not depend on statistics).
 */
describe('items search', () => {
  let app: TestApp;
  let executionId: number;
  let otherId: number;

  beforeAll(async () => {
    app = await startTestApp();
    await app.integrations.apply([demoSpec({ key: 'shop' })], { actor: 'test' });
    const shop = (await app.repositories.integrations.findByKey('shop'))!;
    const create = () => app.store.createExecution({ integrationId: shop.id, domainType: 'sales_orders', trigger: 'manual', dryRun: false, triggeredBy: null });
    executionId = await create();
    otherId = await create();
    // Every 3rd item has a problem; hostile characters in a few ids and messages; the other
    // execution's items (ids in between) all match the rare terms, so they must be filtered out.
    await app.pool.query(
      `INSERT INTO sync_item (id, execution_id, domain_type, external_id, status, error_message, fetched_at)
       SELECT g * ${ID_STEP}, $1, 'sales_orders',
              CASE WHEN g % 997 = 0 THEN 'ORD-' || g || '-50%_off' WHEN g % 1009 = 0 THEN 'O''Brien-' || g ELSE 'ORD-' || lpad(g::text, 6, '0') END,
              CASE WHEN g % 3 = 0 THEN (CASE WHEN g % 2 = 0 THEN 'failed' ELSE 'partial_mapped' END) WHEN g % 5 = 0 THEN 'skipped' ELSE 'success' END,
              CASE WHEN g % 3 = 0 THEN 'Unmapped SKU "' || (CASE WHEN g = 28500 THEN 'RARE-77' WHEN g % 600 = 0 THEN 'a\\b' ELSE 'ACME-' || (g % 7) END) || '"' END,
              now()
       FROM generate_series(1, ${ITEMS}) g`,
      [executionId],
    );
    await app.pool.query(
      `INSERT INTO sync_item (id, execution_id, domain_type, external_id, status, error_message, fetched_at)
       SELECT g * ${ID_STEP} + 5, $1, 'sales_orders', 'ORD-029990 O''Brien 50%_off', 'failed', 'RARE-77 a\\b x" ACME', now()
       FROM generate_series(1, 3000) g`,
      [otherId],
    );
    await app.pool.query(`SELECT setval(pg_get_serial_sequence('sync_item', 'id'), (SELECT max(id) FROM sync_item))`);
  });
  afterAll(async () => app?.destroy());

  const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

  /** What the filters mean, as one plain query. */
  async function plain(statuses: ItemStatus[] | null, search: string, afterId = 0, limit = 1_000_000): Promise<number[]> {
    const { rows } = await app.pool.query<{ id: number }>(
      `SELECT id FROM sync_item WHERE execution_id = $1 AND id > $2 AND ($3::text[] IS NULL OR status = ANY($3))
         AND (external_id ILIKE $4 OR error_message ILIKE $4) ORDER BY id LIMIT $5`,
      [executionId, afterId, statuses, likePattern(search), limit],
    );
    return rows.map((row) => row.id);
  }

  const page = (filter: ItemFilter, afterId: number, limit = 25): Promise<ItemsPage> =>
    app.executions.items(executionId, filter, { limit, after: afterId > 0 ? encodeItemCursor(afterId) : undefined });

  /** Next from the first page to the last: every match once, in id order; a short page only where the scan limit stopped it. */
  async function everyPage(filter: ItemFilter): Promise<number[]> {
    const ids: number[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 500; pages += 1) {
      const result = await app.executions.items(executionId, filter, { limit: 100, after });
      ids.push(...result.items.map((item) => item.id));
      if (result.items.length < 100 && result.nextCursor) expect(result.searchedUpTo).not.toBeNull();
      if (result.searchedUpTo) {
        expect(result.searchedUpTo.fraction).toBeGreaterThan(0);
        expect(result.searchedUpTo.fraction).toBeLessThan(1);
      }
      if (!result.nextCursor) return ids;
      after = result.nextCursor;
    }
    throw new Error('more than 500 pages');
  }

  const runAll = () =>
    it.each(STATUS_FILTERS.flatMap((statuses) => SEARCHES.map((search) => [statuses?.join(',') ?? 'all', search, statuses] as const)))(
      'status %s, search %j: first, middle and last page, and Next to the end, as a plain scan',
      async (_, search, statuses) => {
        const filter: ItemFilter = { statuses: statuses ?? undefined, search };
        const expected = await plain(statuses, search);
        expect(await everyPage(filter)).toEqual(expected);
        const problemsOnly = !!statuses?.every((status) => status === 'failed' || status === 'partial_mapped');
        for (const depth of [0, 0.5, 0.99]) {
          const afterId = Math.floor(ITEMS * ID_STEP * depth);
          const result = await page(filter, afterId);
          const next = await plain(statuses, search, afterId, 26);
          if (problemsOnly || !result.searchedUpTo) {
            // Searches among problem items have no scan limit: every page is full or the last.
            expect(result.items.map((item) => item.id)).toEqual(next.slice(0, 25));
            expect(result.nextCursor === null).toBe(next.length <= 25);
          } else {
            // A page cut by the scan limit holds exactly the matches up to where it stopped.
            const upTo = result.searchedUpTo.itemId;
            expect(result.items.map((item) => item.id)).toEqual(next.filter((id) => id <= upTo));
            expect(result.nextCursor).toBe(encodeItemCursor(upTo));
          }
        }
      },
    );

  describe('with no planner statistics (right after the run that wrote the items)', () => {
    it('sync_item has never been analyzed', async () => {
      const { rows } = await app.pool.query(`SELECT count(*)::int AS n FROM pg_stats WHERE tablename = 'sync_item'`);
      expect(rows[0].n).toBe(0);
    });
    runAll();
  });

  describe('after ANALYZE', () => {
    beforeAll(async () => {
      await app.pool.query('ANALYZE sync_item');
    });
    runAll();
  });

  it('a search among problem items reads past the id-ordered prefix into the trigram index', async () => {
    // RARE-77 is item 28,500: far beyond the first PREFIX_SCAN problem items.
    expect(28_500 / 3).toBeGreaterThan(PREFIX_SCAN);
    const found = await page({ statuses: ['failed', 'partial_mapped'], search: 'rare-77' }, 0);
    expect(found.items.map((item) => item.externalId)).toEqual(['ORD-028500']);
    expect(found.nextCursor).toBeNull();
  });

  it('a search over every status stops at its scan limit and says how far it got', async () => {
    expect(ITEMS * ID_STEP).toBeGreaterThan(2 * SEARCH_SCAN_IDS);
    const first = await page({ search: 'RARE-77' }, 0);
    expect(first.items).toEqual([]);
    expect(first.searchedUpTo).toEqual({ itemId: ID_STEP - 1 + SEARCH_SCAN_IDS, fraction: expect.closeTo(SEARCH_SCAN_IDS / (ITEMS * ID_STEP - ID_STEP + 1), 5) });
    expect(first.nextCursor).toBe(encodeItemCursor(ID_STEP - 1 + SEARCH_SCAN_IDS));
  });

  it('a finished run with problem items leaves the trigram index with no pending list to read', async () => {
    await app.integrations.apply([demoSpec({ key: 'gaps', domains: ['sales_orders'], config: { orders: 300, page_size: 100, unmapped_sku_rate: 0.5 } })], { actor: 'test' });
    await seedCatalog(app, 'gaps');
    const [run] = await app.syncs.runNow({ integrationKey: 'gaps', actor: 'test' });
    expect(run).toMatchObject({ error: null });
    expect(run!.failedCount).toBeGreaterThan(0);
    // Pages it had to merge: none, the run's finish already did.
    const { rows } = await app.pool.query(`SELECT gin_clean_pending_list('sync_item_problem_search'::regclass) AS pages`);
    expect(Number(rows[0].pages)).toBe(0);
    const found = await app.executions.items(run!.id, { statuses: ['failed', 'partial_mapped'], search: 'ACME' }, { limit: 5 });
    expect(found.items.length).toBeGreaterThan(0);
  });

  it('the domain filter keeps every item of the execution or none', async () => {
    const own = await page({ domainType: 'sales_orders', search: 'acme' }, 0);
    expect(own.items.map((item) => item.id)).toEqual((await plain(null, 'acme', 0, 25)));
    const other = await page({ domainType: 'warehouse_inventory' }, 0);
    expect(other).toEqual({ items: [], nextCursor: null, searchedUpTo: null, purged: null });
  });
});
