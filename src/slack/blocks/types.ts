import type { KnownBlock, View } from '@slack/types';
import type { ItemRow, ItemsPurge, RecordErrorRow } from '../../db/executions.repository.js';
import type { ScheduleView } from '../../scheduler/schedule-view.js';
import type { ExecutionRecord } from '../../sync/ports.js';
import type { ItemStatusFilter } from '../ids.js';

/** A message as the builders return it: `text` is the notification and screen-reader fallback. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export type ModalView = View & { type: 'modal' };
export type HomeView = View & { type: 'home' };

/** What the builders need to know of an integration (never its credentials). */
export interface IntegrationSummary {
  key: string;
  name: string;
  domains: string[];
  enabled: boolean;
  dryRun: boolean;
  slackChannel: string | null;
}

/** A run message: live while queued / running, the execution summary once it ended. */
export interface RunMessageInput {
  execution: ExecutionRecord;
  integration: IntegrationSummary;
  /** Slack user id of the person who asked for the run, when it came from Slack. */
  requestedBy?: string | null;
  /** The newest retry of this run's failed items asked for from this message (its outcome is shown). */
  retriedBy?: ExecutionRecord | null;
}

export interface UnmappedAlertInput {
  execution: ExecutionRecord;
  integration: IntegrationSummary;
}

/** The items modal's state; it travels in `private_metadata` (≤ 3000 chars, see items-state.ts). */
export interface ItemsModalState {
  executionId: number;
  status: ItemStatusFilter;
  domainType: string | null;
  search: string | null;
  /** Cursors of the pages before the current one (keyset, oldest first); empty on the first page. */
  previous: (string | null)[];
  /** The cursor the current page was read after (null = first page). */
  after: string | null;
}

export interface ItemsModalInput {
  execution: ExecutionRecord;
  integration: IntegrationSummary;
  state: ItemsModalState;
  items: ItemRow[];
  /** Cursor of the next page, or null on the last page. */
  nextCursor: string | null;
  /** Set when retention purged the execution's items: the modal says so instead of "no items". */
  purged?: ItemsPurge | null;
  /** Set when a search stopped at its scan limit: it has searched this fraction (0–1) of the execution's items. */
  searchedFraction?: number | null;
  /** The state serialised for private_metadata (already within the limit). */
  metadata: string;
}

export interface ItemBreakdownInput {
  item: ItemRow & { executionId: number };
  recordErrors: RecordErrorRow[];
  /** 1-based page number, and whether there are pages before / after. */
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  metadata: string;
}

/** One integration × domain type on the App Home and in `/tether status`. */
export interface StatusCard {
  integration: IntegrationSummary;
  domainType: string;
  lastExecution: ExecutionRecord | null;
  schedule: Pick<ScheduleView, 'cron' | 'timezone' | 'description' | 'lastSyncAt' | 'nextRuns' | 'assessment'> | null;
  /** Health of the pair, when known: shown as a word with a badge, the reasons, and the trends. */
  health?: HealthView | null;
}

/** A message Slack refused to take, shown on the App Home with its fix. */
export interface DeliveryProblem {
  channel: string;
  error: string;
  /** What to do, in words (e.g. "invite the bot to #ops-sync: /invite @Tether"). */
  fix: string;
  since: Date;
}

export interface HomeInput {
  cards: StatusCard[];
  deliveryProblems: DeliveryProblem[];
  generatedAt: Date;
  /** Whether the viewer may use admin actions (buttons are shown; the server checks again). */
  viewerIsAdmin: boolean;
  /** Integrations whose alerts are muted now (each with an Unmute button). */
  mutes?: (MuteView & { integrationKey: string })[];
}

/** Value of an ACTIONS.openItems button (JSON): which execution, and the filters to open with. */
export interface ItemsModalRequest {
  executionId: number;
  status: ItemStatusFilter;
  search?: string;
  domainType?: string;
}

/** Value of an ACTIONS.syncAgain button (JSON). */
export interface SyncAgainValue {
  integrationKey: string;
  domainType: string;
  dryRun: boolean;
}

/** Value of an ACTIONS.openMapping button (JSON). */
export interface OpenMappingValue {
  integrationKey: string;
  kind: 'sku' | 'channel';
}

/**
 * Value of an ACTIONS.retryFailed button (JSON): the integration, and the domain type (alerts, run
 * summaries) and execution (run summaries) it came from; the mapping modal sends only the key.
 */
export interface RetryValue {
  integrationKey: string;
  domainType?: string;
  executionId?: number;
}

// ---------------------------------------------------------------- health, alerts, mapping

export type HealthStateWord = 'healthy' | 'attention' | 'not_enough_history';

/** One health indicator as the builders show it (from the health service). */
export interface IndicatorView {
  state: HealthStateWord;
  reason: string;
}

/** Health of one integration × domain type: overall state, indicators, and the trends of the last runs (oldest first). */
export interface HealthView {
  overall: HealthStateWord;
  indicators: Record<'status' | 'failed' | 'fetched' | 'duration' | 'schedule', IndicatorView>;
  trends: { recordsFetched: number[]; failed: number[]; durationMs: number[] };
}

/** An integration's alerts are muted (until a time, or until its alerts are resolved). */
export interface MuteView {
  until: Date | null;
  untilResolved: boolean;
  mutedBy: string;
}

/** One alert: an integration × domain type × problem, open or resolved. */
export interface HealthAlertInput {
  alert: {
    id: number;
    domainType: string;
    /** authentication | unmapped_skus | unmapped_channels | no_records | failing | failed_rising | fetched_drop | duration | stale */
    problemKey: string;
    /** A short title, e.g. "Unmapped SKUs". */
    title: string;
    category: string;
    reason: string;
    fix: string;
    occurrences: number;
    openedAt: Date;
    lastSeenAt: Date;
    resolvedAt: Date | null;
    lastExecutionId: number | null;
  };
  integration: IntegrationSummary;
  health: HealthView | null;
  mute: MuteView | null;
  /** Kept failed records of the pair that a retry would process (0: no Retry button). */
  retryable: number;
}

/** A thread reply under an alert: the problem was seen again. */
export interface AlertFollowupInput {
  alert: HealthAlertInput['alert'];
  integration: IntegrationSummary;
  executionId: number | null;
  occurrence: number;
}

/** One unmapped external value and what it holds back (from the catalog service). */
export interface UnmappedValueView {
  value: string;
  heldBack: number;
  orders: number;
  units: number;
  orderValue: { currency: string; amount: string }[];
  inventoryRows: number;
}

/** The "Map SKUs" / "Map channels" modal: a page of unmapped values, each with a searchable Tether SKU / channel select. */
export interface MappingModalInput {
  integration: IntegrationSummary;
  kind: 'sku' | 'channel';
  values: UnmappedValueView[];
  /** Unmapped values of this kind in all. */
  total: number;
  /** 1-based. */
  page: number;
  hasNext: boolean;
  /** What the last save did, shown on top ("Saved 4 mappings: …"), with the Retry button when something is retryable. */
  saved: { externalId: string; code: string; outcome: 'added' | 'changed' | 'unchanged' }[] | null;
  /** Kept failed records a retry would process now (after the save). */
  retryable: number;
  error: string | null;
  metadata: string;
}
