import { describe, expect, it } from 'vitest';
import { homeView } from '../../src/slack/blocks/home.js';
import { itemBreakdownModal } from '../../src/slack/blocks/item-breakdown.js';
import { ALL_DOMAINS, itemsModal, loadingModal } from '../../src/slack/blocks/items-modal.js';
import { heldBackText, mappingModal, MAX_MAPPING_VALUES } from '../../src/slack/blocks/mapping-modal.js';
import { resetConfirmModal } from '../../src/slack/blocks/reset.js';
import type { ItemsModalInput, ItemsModalState, MappingModalInput } from '../../src/slack/blocks/types.js';
import { ACTIONS, BLOCKS, ITEM_STATUS_FILTERS, mappingValueBlockIds, VIEWS } from '../../src/slack/ids.js';
import { allText, buttons, checkView } from './slack-blocks-checker.js';
import {
  AMPERSANDS,
  AT,
  card,
  execution,
  healthView,
  HOSTILE,
  HOSTILE_LONG,
  hostileIntegration,
  integration,
  item,
  manyCards,
  recordError,
  unmappedValue,
} from './slack-blocks-fixtures.js';

type Json = Record<string, any>;

const state = (overrides: Partial<ItemsModalState> = {}): ItemsModalState => ({
  executionId: 1234,
  status: 'problems',
  domainType: null,
  search: null,
  previous: [],
  after: null,
  ...overrides,
});

function modalInput(overrides: Partial<ItemsModalInput> = {}): ItemsModalInput {
  const s = overrides.state ?? state();
  return {
    execution: execution(),
    integration: integration(),
    state: s,
    items: Array.from({ length: 50 }, (_, i) => item(i + 1)),
    nextCursor: 'aXRlbTo1MA',
    metadata: JSON.stringify(s),
    ...overrides,
  };
}

const block = (view: { blocks?: unknown[] }, id: string): Json | undefined => (view.blocks as Json[]).find((b) => b.block_id === id);

describe('loadingModal', () => {
  it('is a valid modal with a short title', () => {
    const view = loadingModal('Items of execution #123456789');
    expect(checkView(view)).toEqual([]);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.callback_id).toBe(VIEWS.loading);
    expect(checkView(loadingModal(HOSTILE_LONG))).toEqual([]);
  });
});

describe('itemsModal', () => {
  it('has the filters, the search field, one section per item, page info and paging', () => {
    const input = modalInput();
    const view = itemsModal(input);
    expect(checkView(view)).toEqual([]);
    expect(view.callback_id).toBe(VIEWS.items);
    expect(view.private_metadata).toBe(input.metadata);
    expect(view.title.text).toBe('Items of #1234');

    const filters = block(view, BLOCKS.itemsFilters)!;
    const [status, domain] = filters.elements as Json[];
    expect(status).toMatchObject({ type: 'static_select', action_id: ACTIONS.itemsStatus, initial_option: { value: 'problems' } });
    expect(status!.options.map((o: Json) => o.value)).toEqual(Object.keys(ITEM_STATUS_FILTERS));
    expect(domain).toMatchObject({ type: 'static_select', action_id: ACTIONS.itemsDomain, initial_option: { value: ALL_DOMAINS } });
    expect(domain!.options.map((o: Json) => o.text.text)).toEqual(['All domain types', 'sales_orders', 'warehouse_inventory']);

    expect(block(view, BLOCKS.itemsSearch)).toMatchObject({
      type: 'input',
      dispatch_action: true,
      element: { type: 'plain_text_input', action_id: ACTIONS.itemsSearch, dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] } },
    });
    expect(view.submit).toBeDefined();

    const itemSections = (view.blocks as Json[]).filter((b) => b.type === 'section' && /order-\d+/.test(b.text.text));
    expect(itemSections).toHaveLength(50);
    expect(itemSections[0]!.text.text).toBe(
      '*`order-1`*  :x: failed · `sales_orders` · fetched <!date^1772962200^{date_short_pretty} {time}|2026-03-08 09:30 UTC>\nUnmapped channel "pos-1"',
    );
    expect(allText(view)).toContain('Page 1 · 50 items');
  });

  it('shows Previous only after page 1 and Next only with a cursor', () => {
    const first = itemsModal(modalInput());
    expect(buttons(block(first, BLOCKS.itemsPaging)).map((b) => b.action_id)).toEqual([ACTIONS.itemsNext]);
    expect(buttons(block(first, BLOCKS.itemsPaging))[0]!.value).toBe('aXRlbTo1MA');

    const third = itemsModal(modalInput({ state: state({ previous: [null, 'aXRlbTo1MA'], after: 'aXRlbToxMDA' }) }));
    expect(buttons(block(third, BLOCKS.itemsPaging)).map((b) => b.action_id)).toEqual([ACTIONS.itemsPrevious, ACTIONS.itemsNext]);
    expect(allText(third)).toContain('Page 3 · 50 items');

    const last = itemsModal(modalInput({ state: state({ previous: [null], after: 'aXRlbTo1MA' }), nextCursor: null }));
    expect(buttons(block(last, BLOCKS.itemsPaging)).map((b) => b.action_id)).toEqual([ACTIONS.itemsPrevious]);

    const only = itemsModal(modalInput({ nextCursor: null }));
    expect(block(only, BLOCKS.itemsPaging)).toBeUndefined();
    expect(checkView(only)).toEqual([]);
  });

  it('says how far a search stopped at its scan limit got, and offers to continue it', () => {
    const s = state({ status: 'all', search: 'DEMO-ORD-0750000' });
    const empty = itemsModal(modalInput({ state: s, metadata: JSON.stringify(s), items: [], nextCursor: 'aXRlbToxMDAwMDA', searchedFraction: 0.1 }));
    expect(checkView(empty)).toEqual([]);
    const paging = buttons(block(empty, BLOCKS.itemsPaging));
    expect(paging.map((b) => [b.action_id, b.text.text, b.value])).toEqual([[ACTIONS.itemsNext, 'Continue search →', 'aXRlbToxMDAwMDA']]);
    expect(allText(empty)).toContain('No matches so far for `DEMO-ORD-0750000`');
    expect(allText(empty)).toContain("Page 1 · 0 matches · searched 10 % of this execution's items so far");

    const some = itemsModal(modalInput({ state: s, metadata: JSON.stringify(s), items: [item(1)], nextCursor: 'aXRlbToyMDAwMDA', searchedFraction: 0.9999 }));
    expect(allText(some)).toContain('Page 1 · 1 match · searched 99 % of');
    // The search reached the end: an ordinary last page.
    const done = itemsModal(modalInput({ state: s, metadata: JSON.stringify(s), items: [item(1)], nextCursor: null, searchedFraction: null }));
    expect(block(done, BLOCKS.itemsPaging)).toBeUndefined();
    expect(allText(done)).toContain('Page 1 · 1 item');
  });

  it('keeps the chosen filters and search, and opens aggregate items', () => {
    const s = state({ status: 'failed', domainType: 'warehouse_inventory', search: 'Unmapped' });
    const items = [
      item(1, { domainType: 'warehouse_inventory', externalId: 'WH-BERLIN', aggregate: true, recordCount: 450, status: 'partial_mapped', carriedOver: true }),
      item(2, { domainType: 'warehouse_inventory', externalId: 'WH-PARIS', aggregate: true, recordCount: 12, status: 'success', errorMessage: null }),
    ];
    const view = itemsModal(modalInput({ state: s, metadata: JSON.stringify(s), items, nextCursor: null }));
    expect(checkView(view)).toEqual([]);
    const [status, domain] = block(view, BLOCKS.itemsFilters)!.elements as Json[];
    expect(status!.initial_option.value).toBe('failed');
    expect(domain!.initial_option.value).toBe('warehouse_inventory');
    expect(block(view, BLOCKS.itemsSearch)!.element.initial_value).toBe('Unmapped');
    const text = allText(view);
    expect(text).toContain('*`WH-BERLIN`*  :warning: partly mapped · 450 records · fetched');
    expect(text).toContain(':recycle: carried over');
    const records = buttons(view).filter((b) => b.action_id === ACTIONS.itemOpen);
    expect(records.map((b) => b.value)).toEqual(['1', '2']);
  });

  it('says so when nothing matches', () => {
    const view = itemsModal(modalInput({ items: [], nextCursor: null, state: state({ search: HOSTILE }) }));
    expect(checkView(view)).toEqual([]);
    expect(allText(view)).toContain('No items match these filters (search `&lt;!channel&gt;');
    expect(allText(view)).toContain('Page 1 · 0 items');
  });

  it('stays within 100 blocks and every limit with 50 hostile items with 2,000-character errors', () => {
    const items = Array.from({ length: 50 }, (_, i) =>
      item(i + 1, {
        externalId: i % 2 ? HOSTILE_LONG : AMPERSANDS,
        errorMessage: (i % 2 ? HOSTILE : '&').repeat(2000).slice(0, 2000),
        aggregate: i % 3 === 0,
        recordCount: 1_000_000,
        carriedOver: true,
      }),
    );
    const s = state({ search: HOSTILE_LONG.slice(0, 500), previous: Array.from({ length: 20 }, () => 'aXRlbTo1MA') });
    const view = itemsModal(modalInput({ items, integration: hostileIntegration(), state: s, metadata: JSON.stringify(s) }));
    expect(checkView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it('never goes over 100 blocks, even when given more items than a page', () => {
    const view = itemsModal(modalInput({ items: Array.from({ length: 150 }, (_, i) => item(i + 1)) }));
    expect(checkView(view)).toEqual([]);
    expect(allText(view)).toMatch(/…and \d+ more items on this page are not shown/);
  });

  it('refuses a state over the private_metadata limit rather than cutting it', () => {
    expect(() => itemsModal(modalInput({ metadata: 'x'.repeat(3001) }))).toThrow(RangeError);
  });
});

describe('itemBreakdownModal', () => {
  const aggregate = { ...item(45, { domainType: 'warehouse_inventory', externalId: 'WH-BERLIN', aggregate: true, recordCount: 450, status: 'partial_mapped' as const }), executionId: 1234 };

  it('shows the item, its record errors and paging', () => {
    const view = itemBreakdownModal({ item: aggregate, recordErrors: Array.from({ length: 50 }, (_, i) => recordError(i + 1)), page: 2, hasPrevious: true, hasNext: true, metadata: '{"itemId":45}' });
    expect(checkView(view)).toEqual([]);
    expect(view.callback_id).toBe(VIEWS.itemBreakdown);
    expect(view.title.text).toBe('Warehouse item');
    const text = allText(view);
    expect(text).toContain('*`WH-BERLIN`*  :warning: partly mapped · 450 records');
    expect(text).toContain('• `stock.csv line 2` — Unmapped SKU "SKU-1"');
    expect(text).toContain('Page 2 · 50 record errors');
    const paging = buttons(block(view, BLOCKS.itemErrorsPaging));
    expect(paging.map((b) => [b.action_id, b.value])).toEqual([
      [ACTIONS.itemErrorsPrevious, '1'],
      [ACTIONS.itemErrorsNext, '50'],
    ]);
  });

  it('has no paging on a single page, and says when there are no record errors', () => {
    const view = itemBreakdownModal({ item: aggregate, recordErrors: [], page: 1, hasPrevious: false, hasNext: false, metadata: '{}' });
    expect(checkView(view)).toEqual([]);
    expect(block(view, BLOCKS.itemErrorsPaging)).toBeUndefined();
    expect(allText(view)).toContain('No record errors in this warehouse item.');
  });

  it('stays valid with 1,000 hostile record errors of 2,000 characters', () => {
    const recordErrors = Array.from({ length: 1000 }, (_, i) =>
      recordError(i + 1, { recordRef: HOSTILE_LONG, message: (i % 2 ? HOSTILE : '&').repeat(2000).slice(0, 2000), unmappedSku: HOSTILE_LONG }),
    );
    const view = itemBreakdownModal({ item: { ...aggregate, externalId: HOSTILE_LONG, errorMessage: HOSTILE_LONG }, recordErrors, page: 1, hasPrevious: false, hasNext: true, metadata: '{}' });
    expect(checkView(view)).toEqual([]);
    expect(allText(view)).toMatch(/…and [\d,]+ more record errors/);
  });
});

describe('homeView', () => {
  it('shows one card per integration × domain type with its buttons', () => {
    const cards = [
      card(),
      card({ domainType: 'warehouse_inventory', lastExecution: execution({ id: 99, domainType: 'warehouse_inventory', status: 'success', failedCount: 0 }) }),
    ];
    const view = homeView({ cards, deliveryProblems: [], generatedAt: AT, viewerIsAdmin: false });
    expect(checkView(view)).toEqual([]);
    expect(view.type).toBe('home');
    const text = allText(view);
    expect(text).toContain('Updated <!date^1772962200^{date_short_pretty} {time}|2026-03-08 09:30 UTC> · 1 integration');
    expect(text).toContain(':warning: *Shopify EU* `shopify-eu` · `sales_orders`');
    expect(text).toContain('Last run <!date^1772962200^{date_short_pretty} {time}|2026-03-08 09:30 UTC> · partial · 1,190 success · 10 failed · 12 skipped');
    expect(text).toContain('Next sync <!date^1772963100^');
    expect(text).toContain('Every 15 minutes (Europe/Berlin)');
    const all = buttons(view);
    expect(all.filter((b) => b.action_id === ACTIONS.homeSync).map((b) => JSON.parse(b.value))).toEqual([
      { integrationKey: 'shopify-eu', domainType: 'sales_orders' },
      { integrationKey: 'shopify-eu', domainType: 'warehouse_inventory' },
    ]);
    expect(all.filter((b) => b.action_id === ACTIONS.homeHistory).map((b) => b.value)).toEqual(['shopify-eu', 'shopify-eu']);
    const failed = all.filter((b) => b.action_id === ACTIONS.openItems);
    expect(failed.map((b) => JSON.parse(b.value))).toEqual([{ executionId: 1234, status: 'problems' }]);
    expect(text).not.toContain('You are an admin');
  });

  it('shows stale flags with their reasons in words and the dry-run marker', () => {
    const { integration: _, ...schedule } = { integration: null, ...card().schedule! };
    const stale = card({
      integration: integration({ dryRun: true }),
      schedule: {
        ...schedule,
        assessment: {
          stale: true,
          reasons: [{ code: 'failing', failedRuns: 3 }, { code: 'no_worker', worker: { state: 'down', lastSeenAt: AT, stoppedAt: null } }],
          warnings: [],
          worker: { state: 'down', lastSeenAt: AT, stoppedAt: null },
        },
      },
    });
    const text = allText(homeView({ cards: [stale], deliveryProblems: [], generatedAt: AT, viewerIsAdmin: true }));
    expect(text).toContain(':rotating_light: *Stale*: the last 3 runs failed; no worker alive: the last one was last seen <!date^');
    expect(text).toContain(':test_tube: dry run mode');
    expect(text).toContain('You are an admin');
  });

  it('lists delivery problems with their fix', () => {
    const view = homeView({
      cards: [card()],
      deliveryProblems: [{ channel: '#ops-sync', error: 'not_in_channel', fix: 'invite the bot to #ops-sync: /invite @Tether', since: AT }],
      generatedAt: AT,
      viewerIsAdmin: false,
    });
    expect(checkView(view)).toEqual([]);
    expect(allText(view)).toContain('• #ops-sync: not_in_channel since <!date^1772962200^');
    expect(allText(view)).toContain('*fix:* invite the bot to #ops-sync: /invite @Tether');
  });

  it('has an empty state', () => {
    const view = homeView({ cards: [], deliveryProblems: [], generatedAt: AT, viewerIsAdmin: true });
    expect(checkView(view)).toEqual([]);
    expect(allText(view)).toContain('No integrations yet — apply an integrations file');
  });

  it('shows the health of each card, its reasons and the trend line', () => {
    const view = homeView({ cards: [card({ health: healthView() })], deliveryProblems: [], generatedAt: AT, viewerIsAdmin: false });
    expect(checkView(view)).toEqual([]);
    expect(allText(view)).toContain('*Health*: :warning: needs attention — Fetched 0 records;');
    expect(allText(view)).toContain('fetched ▇█▇███▇▁ · failed ▁▁▁█▁▁▁▁ · duration ▁▁█▁▁▁▁▅');
  });

  it('stays within 100 blocks with 200 integrations, hostile names and 50 delivery problems, and says how many more', () => {
    const hostileHealth = healthView();
    for (const key of Object.keys(hostileHealth.indicators) as (keyof typeof hostileHealth.indicators)[]) hostileHealth.indicators[key] = { state: 'attention', reason: HOSTILE_LONG };
    const cards = manyCards(200).map((c, i) => ({ ...c, health: i % 2 ? hostileHealth : healthView() }));
    const deliveryProblems = Array.from({ length: 50 }, () => ({ channel: HOSTILE_LONG, error: HOSTILE_LONG, fix: AMPERSANDS, since: AT }));
    const view = homeView({ cards, deliveryProblems, generatedAt: AT, viewerIsAdmin: true });
    expect(checkView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = allText(view);
    // 31 cards fit; the cut falls between integrations: 15 whole integrations (30 cards) shown.
    const cardSections = (view.blocks as Json[]).filter((b) => b.type === 'section' && /`(sales_orders|warehouse_inventory)`/.test(b.text.text));
    expect(cardSections).toHaveLength(30);
    expect(text).toContain('…and 185 more integrations — use `/tether status &lt;integration&gt;`');
    // Ten problems at most, fewer when they are long: the rest are counted.
    expect(text).toMatch(/…and (4\d) more problems/);
  });
});

describe('resetConfirmModal', () => {
  it('asks before resetting, and says what a reset does', () => {
    const view = resetConfirmModal({ integrationKey: 'shopify-eu', integrationName: 'Shopify EU', domains: ['sales_orders', 'warehouse_inventory'], metadata: '{"key":"shopify-eu"}' });
    expect(checkView(view)).toEqual([]);
    expect(view).toMatchObject({
      callback_id: VIEWS.resetConfirm,
      title: { text: 'Reset sync state' },
      submit: { text: 'Reset' },
      close: { text: 'Cancel' },
      private_metadata: '{"key":"shopify-eu"}',
    });
    const text = allText(view);
    expect(text).toContain('Reset the sync state of *Shopify EU* `shopify-eu` for `sales_orders`, `warehouse_inventory`?');
    expect(text).toContain('*cursor* is emptied');
    expect(text).toContain('*kept problem records*');
    expect(text).toContain('*full re-sync*');
  });

  it('stays valid with hostile names', () => {
    const view = resetConfirmModal({ integrationKey: HOSTILE_LONG, integrationName: AMPERSANDS, domains: [HOSTILE_LONG, HOSTILE_LONG], metadata: '{}' });
    expect(checkView(view)).toEqual([]);
  });
});

describe('mappingModal', () => {
  const mappingInput = (overrides: Partial<MappingModalInput> = {}): MappingModalInput => ({
    integration: integration(),
    kind: 'sku',
    values: Array.from({ length: 20 }, (_, i) => unmappedValue(i + 1)),
    total: 57,
    page: 1,
    hasNext: true,
    saved: null,
    retryable: 0,
    error: null,
    metadata: '{"integrationKey":"shopify-eu","kind":"sku","page":1}',
    ...overrides,
  });
  const inputs = (view: { blocks: unknown[] }) => (view.blocks as Json[]).filter((b) => b.type === 'input');
  const pagingIds = (view: { blocks: unknown[] }) =>
    buttons(view)
      .filter((b) => b.action_id === ACTIONS.mappingNext || b.action_id === ACTIONS.mappingPrevious)
      .map((b) => [b.action_id, b.text.text, b.value]);

  it('each input\'s block_id follows its value, so a pick Slack keeps across views.update never lands on another value', () => {
    const ids = (values: ReturnType<typeof unmappedValue>[]) => inputs(mappingModal(mappingInput({ values }))).map((b) => b.block_id as string);
    const first = ids(Array.from({ length: 5 }, (_, i) => unmappedValue(i + 1)));
    const next = ids(Array.from({ length: 5 }, (_, i) => unmappedValue(i + 6)));
    expect(new Set([...first, ...next]).size).toBe(10); // the next page shares no block with this one
    // After a save, the values left move up the list: each keeps its block (and the pick Slack kept for it).
    expect(ids([unmappedValue(3), unmappedValue(1)])).toEqual([first[2], first[0]]);
    for (const id of first) expect(id).toMatch(/^mapping_value_[0-9a-f]{16}$/);
    // A value listed twice still gets blocks of its own (block ids are unique in a view).
    const twice = ids([unmappedValue(1), unmappedValue(1)]);
    expect(twice).toEqual([first[0], `${first[0]}_2`]);
  });

  it('a page of 20 values: one optional searchable select per value, the integration, counts and page info', () => {
    const input = mappingInput();
    const view = mappingModal(input);
    expect(checkView(view)).toEqual([]);
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: VIEWS.mapping,
      title: { type: 'plain_text', text: 'Map SKUs' },
      submit: { text: 'Save' },
      close: { text: 'Close' },
      private_metadata: input.metadata,
    });
    expect(view.blocks.length).toBeLessThanOrEqual(27);
    const text = allText(view);
    expect(text).toContain('*Shopify EU* `shopify-eu` · 57 unmapped SKUs hold back records; most blocking first.');
    expect(text).toContain('Page 1 · 20 SKUs here of 57');
    const fields = inputs(view);
    expect(fields).toHaveLength(20);
    expect(fields.map((b) => b.block_id)).toEqual(mappingValueBlockIds(input.values.slice(0, 20).map((v) => v.value)));
    expect(fields[0]).toEqual({
      type: 'input',
      block_id: mappingValueBlockIds(['ACME-1'])[0],
      optional: true,
      label: { type: 'plain_text', text: 'ACME-1', emoji: true },
      hint: { type: 'plain_text', text: 'Holds back 12 orders · 30 units · USD 1,234.50 · EUR 99.00 · 3 inventory rows', emoji: true },
      element: {
        type: 'external_select',
        action_id: ACTIONS.mappingTarget,
        placeholder: { type: 'plain_text', text: 'Search Tether SKUs', emoji: true },
        min_query_length: 1,
      },
    });
    expect(pagingIds(view)).toEqual([[ACTIONS.mappingNext, 'Next values', '2']]);
    expect(buttons(view).some((b) => b.action_id === ACTIONS.retryFailed)).toBe(false);
  });

  it('maps channels with its own title and placeholder', () => {
    const view = mappingModal(mappingInput({ kind: 'channel', values: [unmappedValue(1, { value: 'amazon-de' })], total: 1, hasNext: false }));
    expect(checkView(view)).toEqual([]);
    expect(view.title.text).toBe('Map channels');
    expect(allText(view)).toContain('1 unmapped channel holds back records; most blocking first.');
    expect(inputs(view)[0]!.element.placeholder.text).toBe('Search Tether channels');
    expect(inputs(view)[0]!.label.text).toBe('amazon-de');
    expect(pagingIds(view)).toEqual([]);
  });

  it('pages: Previous values after page 1, Next values when there is more', () => {
    expect(pagingIds(mappingModal(mappingInput({ page: 2 })))).toEqual([
      [ACTIONS.mappingPrevious, 'Previous values', '1'],
      [ACTIONS.mappingNext, 'Next values', '3'],
    ]);
    const last = mappingModal(mappingInput({ page: 3, hasNext: false, values: [unmappedValue(41)] }));
    expect(pagingIds(last)).toEqual([[ACTIONS.mappingPrevious, 'Previous values', '2']]);
    expect(allText(last)).toContain('Page 3 · 1 SKU here of 57');
  });

  it('says what the last save did, capped, and offers Retry failed items when records are kept', () => {
    const saved = [
      { externalId: 'ACME-1', code: 'SKU-0001', outcome: 'added' as const },
      { externalId: 'ACME-2', code: 'SKU-0002', outcome: 'changed' as const },
      { externalId: 'ACME-3', code: 'SKU-0003', outcome: 'unchanged' as const },
    ];
    const view = mappingModal(mappingInput({ saved, retryable: 12 }));
    expect(checkView(view)).toEqual([]);
    const text = allText(view);
    expect(text).toContain(':white_check_mark: Saved 3 mappings: `ACME-1` → `SKU-0001` (new), `ACME-2` → `SKU-0002` (changed), `ACME-3` → `SKU-0003` (unchanged)');
    expect(text).toContain('12 failed records are kept and will be processed again with the new mappings');
    const retry = buttons(view).find((b) => b.action_id === ACTIONS.retryFailed)!;
    expect(retry.text.text).toBe('Retry failed items');
    expect(JSON.parse(retry.value)).toEqual({ integrationKey: 'shopify-eu' });

    const noRetry = mappingModal(mappingInput({ saved, retryable: 0 }));
    expect(buttons(noRetry).some((b) => b.action_id === ACTIONS.retryFailed)).toBe(false);
    expect(allText(noRetry)).not.toContain('failed record');

    const many = Array.from({ length: 500 }, (_, i) => ({ externalId: `E-${i}`, code: `SKU-${i}`, outcome: 'added' as const }));
    const capped = mappingModal(mappingInput({ saved: many, retryable: 1 }));
    expect(checkView(capped)).toEqual([]);
    expect(allText(capped)).toContain('Saved 500 mappings: `E-0` → `SKU-0` (new)');
    expect(allText(capped)).toContain('…and 490 more');
    expect(allText(capped)).toContain('1 failed record is kept');

    expect(allText(mappingModal(mappingInput({ saved: [] })))).toContain('Nothing saved: no value had a Tether SKU chosen.');
  });

  it('shows an error first', () => {
    const view = mappingModal(mappingInput({ error: 'SKU-9999 is not a Tether SKU <!channel>' }));
    expect(checkView(view)).toEqual([]);
    expect(view.blocks[0]).toMatchObject({ type: 'section', text: { text: ':x: SKU-9999 is not a Tether SKU &lt;!channel&gt;' } });
  });

  it('has an empty state with nothing to save', () => {
    const view = mappingModal(mappingInput({ values: [], total: 0, hasNext: false }));
    expect(checkView(view)).toEqual([]);
    expect(allText(view)).toContain('Nothing left to map: no kept record names an unmapped SKU.');
    expect(view.submit).toBeUndefined();
    expect(inputs(view)).toHaveLength(0);
    const channels = mappingModal(mappingInput({ kind: 'channel', values: [], total: 0, hasNext: false }));
    expect(allText(channels)).toContain('Nothing left to map: no kept record names an unmapped channel.');
    // A page past the end while values remain elsewhere.
    const past = mappingModal(mappingInput({ values: [], total: 3, page: 2, hasNext: false }));
    expect(checkView(past)).toEqual([]);
    expect(pagingIds(past)).toEqual([[ACTIONS.mappingPrevious, 'Previous values', '1']]);
  });

  it('keeps 20 hostile 10,000-character values, amounts and saved mappings inert and within every limit', () => {
    const values = Array.from({ length: 20 }, (_, i) =>
      unmappedValue(i, {
        value: i % 2 ? HOSTILE_LONG : AMPERSANDS,
        orders: 1_000_000,
        units: 123_456_789,
        orderValue: Array.from({ length: 50 }, () => ({ currency: HOSTILE_LONG, amount: i % 2 ? HOSTILE_LONG : '9'.repeat(10_000) })),
      }),
    );
    const saved = Array.from({ length: 1000 }, () => ({ externalId: HOSTILE_LONG, code: AMPERSANDS, outcome: 'changed' as const }));
    const view = mappingModal(
      mappingInput({ integration: hostileIntegration(), values, total: 1_000_000, page: 50_000, saved, retryable: 1_000_000, error: HOSTILE_LONG }),
    );
    expect(checkView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(inputs(view)).toHaveLength(20);
    const label = inputs(view)[1]!.label.text as string;
    expect(label.length).toBeLessThanOrEqual(150);
    expect(label.startsWith('<!channel> <@U123>')).toBe(true); // plain text: shown literally, never a ping
    expect(inputs(view)[0]!.hint.text).toContain('+47 more currencies');
    expect(allText(view)).toContain('1,000,000 unmapped SKUs hold back records');
  });

  it('never goes over 100 blocks with 1,000 values', () => {
    const view = mappingModal(mappingInput({ values: Array.from({ length: 1000 }, (_, i) => unmappedValue(i)), total: 1000 }));
    expect(checkView(view)).toEqual([]);
    expect(inputs(view)).toHaveLength(MAX_MAPPING_VALUES);
    expect(allText(view)).toContain(`…and ${1000 - MAX_MAPPING_VALUES} more SKUs on this page are not shown`);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it('refuses a state over the private_metadata limit rather than cutting it', () => {
    expect(() => mappingModal(mappingInput({ metadata: 'x'.repeat(3001) }))).toThrow(RangeError);
  });
});

describe('heldBackText', () => {
  it('formats amounts with separators and exact decimals, counts with plurals, and caps currencies', () => {
    expect(heldBackText(unmappedValue(1))).toBe('Holds back 12 orders · 30 units · USD 1,234.50 · EUR 99.00 · 3 inventory rows');
    expect(
      heldBackText(
        unmappedValue(1, {
          orders: 1,
          units: 1,
          inventoryRows: 1,
          orderValue: [
            { currency: 'USD', amount: '1234567.005' },
            { currency: 'EUR', amount: '0.10' },
            { currency: 'GBP', amount: '-12.3' },
            { currency: 'JPY', amount: '1000' },
          ],
        }),
      ),
    ).toBe('Holds back 1 order · 1 unit · USD 1,234,567.005 · EUR 0.10 · GBP -12.3 · +1 more currency · 1 inventory row');
    expect(heldBackText(unmappedValue(1, { orders: 0, units: 0, orderValue: [], inventoryRows: 1200 }))).toBe('Holds back 1,200 inventory rows');
    expect(heldBackText(unmappedValue(1, { heldBack: 7, orders: 0, units: 0, orderValue: [], inventoryRows: 0 }))).toBe('Holds back 7 records');
  });
});
