import type pg from 'pg';
import { listen, type Listener } from '../db/listen.js';
import { SLACK_OUTBOX_CHANNEL, SlackOutboxRepository } from '../db/slack-outbox.js';

export type { ClaimedSlackMessage, DeliveryProblemRow } from '../db/slack-outbox.js';

/**
 * The Slack outbox as bot processes see it: claim a due message, record what Slack answered, and
 * wake up on LISTEN/NOTIFY when one is written (no polling). Only bot processes use this.
 */
export class SlackOutboxService extends SlackOutboxRepository {
  constructor(
    pool: pg.Pool,
    private readonly databaseUrl: string,
  ) {
    super(pool);
  }

  /** Calls `onWake` whenever a message is written or wants a newer version (and once at start). */
  subscribe(onWake: (payload: string) => void, onError: (error: Error) => void): Promise<Listener> {
    return listen(this.databaseUrl, SLACK_OUTBOX_CHANNEL, onWake, onError);
  }
}
