import { describe, expect, it } from 'vitest';
import { formatItemsPage } from '../../src/cli/text-format.js';
import type { ItemRow, ItemsPage } from '../../src/db/executions.repository.js';
import { itemsPageJson } from '../../src/services/views.js';

const item = (id: number): ItemRow => ({
  id,
  status: 'success',
  domainType: 'sales_orders',
  externalId: `ORD-${id}`,
  errorMessage: null,
  fetchedAt: new Date('2026-11-28T05:00:00Z'),
  recordCount: 1,
  aggregate: false,
  carriedOver: false,
});
const next = (cursor: string) => `tether items 7 --search x --after ${cursor}`;

/** The CLI and JSON forms of a page where a search over every status stopped at its scan limit. */
describe('items page stopped at the scan limit', () => {
  it('says how far the search got and how to continue, with or without matches', () => {
    const stopped: ItemsPage = { items: [], nextCursor: 'aXRlbToxMDAwMDA', searchedUpTo: { itemId: 100_000, fraction: 0.1 }, purged: null };
    expect(formatItemsPage(stopped, next)).toBe(
      'No matches so far. Searched the items up to #100000 (10 % of the execution).\nContinue the search: tether items 7 --search x --after aXRlbToxMDAwMDA',
    );
    const some = formatItemsPage({ ...stopped, items: [item(5)] }, next);
    expect(some).toContain('ORD-5');
    expect(some).toContain('Searched the items up to #100000 (10 % of the execution); no more matches there.\nContinue the search: ');
    expect(itemsPageJson(stopped)).toEqual({ items: [], nextCursor: 'aXRlbToxMDAwMDA', searchedUpTo: { itemId: 100_000, fraction: 0.1 }, purged: null });
  });

  it('an ordinary page is unchanged', () => {
    expect(formatItemsPage({ items: [], nextCursor: null, searchedUpTo: null, purged: null }, next)).toBe('No items match.');
    expect(formatItemsPage({ items: [item(1)], nextCursor: null, searchedUpTo: null, purged: null }, next)).toMatch(/\(last page\)$/);
    expect(formatItemsPage({ items: [item(1)], nextCursor: 'c', searchedUpTo: null, purged: null }, next)).toMatch(/Next page: tether items 7 --search x --after c$/);
  });
});
