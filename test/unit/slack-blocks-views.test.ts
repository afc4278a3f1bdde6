import { describe, expect, it } from 'vitest';
import { homeView } from '../../src/slack/blocks/home.js';
import { itemBreakdownModal } from '../../src/slack/blocks/item-breakdown.js';
import { ALL_DOMAINS, itemsModal, loadingModal } from '../../src/slack/blocks/items-modal.js';
import { resetConfirmModal } from '../../src/slack/blocks/reset.js';
import type { ItemsModalInput, ItemsModalState } from '../../src/slack/blocks/types.js';
import { ACTIONS, BLOCKS, ITEM_STATUS_FILTERS, VIEWS } from '../../src/slack/ids.js';
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
