/** Realistic and hostile inputs for the Block Kit builder tests. */
import type { ItemRow, RecordErrorRow } from '../../src/db/executions.repository.js';
import type { ScheduleAssessment } from '../../src/domain/schedule.js';
import type { ScheduleView } from '../../src/scheduler/schedule-view.js';
import type { HealthAlertInput, HealthView, IntegrationSummary, StatusCard, UnmappedValueView } from '../../src/slack/blocks/types.js';
import type { ExecutionRecord } from '../../src/sync/ports.js';

/** Source data that must never ping, link or be decoded: shown as text. */
export const HOSTILE = '<!channel> <@U123> <https://evil.example|click me> &amp; <#C999> `x` *b*';
/** 10,000 characters of hostile text. */
export const HOSTILE_LONG = HOSTILE.repeat(Math.ceil(10_000 / HOSTILE.length)).slice(0, 10_000);
/** Escaping multiplies its length by five. */
export const AMPERSANDS = '&'.repeat(10_000);

/** Our own user: `<@U0REQUESTER>` is allowed in mrkdwn; `<@U123>` from source data is not. */
export const REQUESTER = 'U0REQUESTER';

export const AT = new Date('2026-03-08T09:30:00Z');

export function integration(overrides: Partial<IntegrationSummary> = {}): IntegrationSummary {
  return {
    key: 'shopify-eu',
    name: 'Shopify EU',
    domains: ['sales_orders', 'warehouse_inventory'],
    enabled: true,
    dryRun: false,
    slackChannel: 'C0OPS',
    ...overrides,
  };
}

export const hostileIntegration = (): IntegrationSummary =>
  integration({ key: `k${HOSTILE_LONG}`, name: HOSTILE_LONG, domains: ['sales_orders', 'warehouse_inventory', HOSTILE_LONG] });

export function execution(overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    id: 1234,
    integrationId: 7,
    integrationKey: 'shopify-eu',
    domainType: 'sales_orders',
    status: 'partial',
    trigger: 'manual',
    dryRun: false,
    triggeredBy: 'slack:U0REQUESTER',
    queuedAt: new Date('2026-03-08T09:29:58Z'),
    startedAt: AT,
    finishedAt: new Date('2026-03-08T09:31:05Z'),
    durationMs: 65_000,
    recordsFetched: 1200,
    carriedOver: 12,
    successCount: 1190,
    failedCount: 10,
    skippedCount: 12,
    error: null,
    errorAnalysis: {
      unmappedSkus: [
        { value: 'SKU-RED-1', count: 7 },
        { value: 'SKU-BLUE-2', count: 2 },
      ],
      unmappedChannels: [{ value: 'pos-berlin', count: 1 }],
      topErrors: [
        { message: 'Unmapped SKU "SKU-RED-1"', count: 7 },
        { message: 'Unmapped SKU "SKU-BLUE-2"', count: 2 },
        { message: 'Unmapped channel "pos-berlin"', count: 1 },
      ],
    },
    cursorBefore: '2026-03-08T08:00:00Z',
    cursorAfter: '2026-03-08T09:30:00Z',
    ...overrides,
  };
}

export function item(id: number, overrides: Partial<ItemRow> = {}): ItemRow {
  return {
    id,
    status: 'failed',
    domainType: 'sales_orders',
    externalId: `order-${id}`,
    errorMessage: `Unmapped channel "pos-${id}"`,
    fetchedAt: AT,
    recordCount: 1,
    aggregate: false,
    carriedOver: false,
    ...overrides,
  };
}

export const recordError = (id: number, overrides: Partial<RecordErrorRow> = {}): RecordErrorRow => ({
  id,
  recordRef: `stock.csv line ${id + 1}`,
  message: `Unmapped SKU "SKU-${id}"`,
  unmappedSku: `SKU-${id}`,
  ...overrides,
});

export const healthy = (): ScheduleAssessment => ({
  stale: false,
  reasons: [],
  warnings: [],
  worker: { state: 'alive', lastSeenAt: AT },
});

export function scheduleView(overrides: Partial<ScheduleView> = {}): ScheduleView {
  return {
    integration: 'shopify-eu',
    enabled: true,
    cron: '*/15 * * * *',
    timezone: 'Europe/Berlin',
    description: 'Every 15 minutes (Europe/Berlin)',
    lastSyncAt: AT,
    nextRuns: [0, 1, 2, 3, 4].map((n) => new Date(AT.getTime() + (n + 1) * 15 * 60_000)),
    assessment: healthy(),
    ...overrides,
  };
}

export function card(overrides: Partial<StatusCard> = {}): StatusCard {
  const { integration: _, ...schedule } = scheduleView();
  return {
    integration: integration(),
    domainType: 'sales_orders',
    lastExecution: execution(),
    schedule,
    ...overrides,
  };
}

/** n integrations with two domain types each, some of them hostile. */
export function manyCards(n: number): StatusCard[] {
  return Array.from({ length: n }, (_, i) => {
    const summary = i % 10 === 0 ? integration({ key: `int-${i}-${HOSTILE_LONG}`, name: HOSTILE_LONG }) : integration({ key: `int-${i}`, name: `Integration ${i}` });
    return (['sales_orders', 'warehouse_inventory'] as const).map((domainType) =>
      card({ integration: summary, domainType, lastExecution: execution({ integrationKey: summary.key, domainType, id: i * 2 }) }),
    );
  }).flat();
}

/** Health with a drop in records fetched on the last run; the other indicators healthy. */
export function healthView(overrides: Partial<HealthView> = {}): HealthView {
  return {
    overall: 'attention',
    indicators: {
      status: { state: 'healthy', reason: 'The last 8 runs succeeded' },
      failed: { state: 'healthy', reason: 'No failed records in the last 8 runs' },
      fetched: { state: 'attention', reason: 'Fetched 0 records; the last 20 runs fetched 1,180 to 1,260' },
      duration: { state: 'healthy', reason: 'Took 1 min 05 s; usually 58 s to 1 min 20 s' },
      schedule: { state: 'healthy', reason: 'Last sync within the schedule' },
    },
    trends: {
      recordsFetched: [1200, 1250, 1200, 1250, 1300, 1250, 1200, 0],
      failed: [0, 0, 0, 2, 0, 0, 0, 0],
      durationMs: [60_000, 60_000, 70_000, 60_000, 60_000, 60_000, 60_000, 65_000],
    },
    ...overrides,
  };
}

type AlertOverrides = Partial<Omit<HealthAlertInput, 'alert'>> & { alert?: Partial<HealthAlertInput['alert']> };

/** An open "Unmapped SKUs" alert seen in 3 runs, not muted, with 12 records to retry. */
export function alertInput(overrides: AlertOverrides = {}): HealthAlertInput {
  const { alert, ...rest } = overrides;
  return {
    alert: {
      id: 42,
      domainType: 'sales_orders',
      problemKey: 'unmapped_skus',
      title: 'Unmapped SKUs',
      category: 'unmapped_sku',
      reason: '2 SKUs have no mapping; 12 orders were held back in the last run',
      fix: 'Map the SKUs to Tether SKUs, then retry the failed items.',
      occurrences: 3,
      openedAt: AT,
      lastSeenAt: new Date('2026-03-08T11:30:00Z'),
      resolvedAt: null,
      lastExecutionId: 1234,
      ...alert,
    },
    integration: integration(),
    health: null,
    mute: null,
    retryable: 12,
    ...rest,
  };
}

export function unmappedValue(i: number, overrides: Partial<UnmappedValueView> = {}): UnmappedValueView {
  return {
    value: `ACME-${i}`,
    heldBack: 12,
    orders: 12,
    units: 30,
    orderValue: [
      { currency: 'USD', amount: '1234.50' },
      { currency: 'EUR', amount: '99.00' },
    ],
    inventoryRows: 3,
    ...overrides,
  };
}
