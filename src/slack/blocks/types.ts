import type { KnownBlock, View } from '@slack/types';
import type { ItemRow, RecordErrorRow } from '../../db/executions.repository.js';
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
