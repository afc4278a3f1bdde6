import { announces, type NotifyPolicy } from '../domain/notify.js';
import type { ExecutionStatus } from '../domain/statuses.js';
import type { ErrorAnalysis } from '../sync/ports.js';
import type { Queryable } from './pool.js';

/** The channel bot processes LISTEN on: a message was written or wants a newer version, or a run ended. */
export const SLACK_OUTBOX_CHANNEL = 'tether_slack_outbox';
/** The payload of the notification sent whenever a run ends (the App Home refreshes). */
export const RUN_FINISHED = 'run_finished';

export type SlackMessageKind = 'run' | 'unmapped_alert' | 'notice' | 'health_alert' | 'alert_followup';

const notify = (db: Queryable) => db.query(`SELECT pg_notify('${SLACK_OUTBOX_CHANNEL}', '')`);

/**
 * A run's message, asked for when the run is queued from Slack: posted at once ("queued"), then
 * edited as the run goes. Written in the enqueue transaction.
 */
export async function addRunMessage(
  db: Queryable,
  input: { executionId: number; integrationId: number; channel: string; requestedBy: string | null; responseUrl?: string | null; retryOf?: number | null },
): Promise<void> {
  await db.query(
    `INSERT INTO slack_message (kind, execution_id, integration_id, channel, payload) VALUES ('run', $1, $2, $3, $4)
     ON CONFLICT (execution_id, kind) WHERE execution_id IS NOT NULL DO NOTHING`,
    [input.executionId, input.integrationId, input.channel, { requestedBy: input.requestedBy, responseUrl: input.responseUrl ?? null, retryOf: input.retryOf ?? null }],
  );
  await notify(db);
}

/**
 * The run started: its message (if any) shows it running. A scheduled run of an integration that
 * announces every run gets a live message in its channel now; under `problems` it is announced
 * only when it ends with one, so a good run posts nothing.
 */
export async function runMessageOnStart(db: Queryable, executionId: number): Promise<void> {
  const { rows } = await db.query<{ id: number }>(
    `WITH bumped AS (
       UPDATE slack_message SET version = version + 1 WHERE execution_id = $1 AND kind = 'run' RETURNING id),
     added AS (
       INSERT INTO slack_message (kind, execution_id, integration_id, channel)
       SELECT 'run', e.id, i.id, i.slack_channel FROM sync_execution e JOIN integration i ON i.id = e.integration_id
       WHERE e.id = $1 AND e.trigger IN ('scheduled', 'full_resync', 'retry') AND i.slack_channel IS NOT NULL AND i.notify = 'always'
         AND NOT EXISTS (SELECT 1 FROM bumped)
       ON CONFLICT (execution_id, kind) WHERE execution_id IS NOT NULL DO NOTHING RETURNING id)
     SELECT id FROM bumped UNION ALL SELECT id FROM added`,
    [executionId],
  );
  if (rows.length) await notify(db);
}

/** A page committed: the live message wants the new counts (delivery throttles the edits). */
export async function runMessageOnProgress(db: Queryable, executionId: number): Promise<void> {
  const { rowCount } = await db.query(`UPDATE slack_message SET version = version + 1 WHERE execution_id = $1 AND kind = 'run' AND NOT final`, [
    executionId,
  ]);
  if (rowCount) await notify(db);
}

/**
 * The run ended (in the transaction that finishes it): its message becomes the summary, or one is
 * written when the integration's notify policy announces this outcome; an unmapped alert is
 * written when the run found unmapped SKUs or channels and the run is announced.
 */
export async function runMessageOnFinish(
  db: Queryable,
  executionId: number,
  outcome: { status: ExecutionStatus; analysis: ErrorAnalysis | null },
): Promise<void> {
  // Every run's end refreshes the App Home of recent viewers, posted about or not.
  await db.query(`SELECT pg_notify('${SLACK_OUTBOX_CHANNEL}', '${RUN_FINISHED}')`);
  const { rows: existing } = await db.query<{ id: number; channel: string; integration_id: number; retry_of: string | null }>(
    `UPDATE slack_message SET version = version + 1, final = true WHERE execution_id = $1 AND kind = 'run'
     RETURNING id, channel, integration_id, payload->>'retryOf' AS retry_of`,
    [executionId],
  );
  // A retry answers a run: that run's summary is edited to show the outcome.
  if (existing[0]?.retry_of) {
    await db.query(`UPDATE slack_message SET version = version + 1 WHERE execution_id = $1 AND kind = 'run'`, [Number(existing[0].retry_of)]);
  }
  let message = existing[0] ?? null;
  if (!message) {
    const { rows } = await db.query<{ integration_id: number; slack_channel: string | null; notify: NotifyPolicy }>(
      `SELECT i.id AS integration_id, i.slack_channel, i.notify FROM sync_execution e JOIN integration i ON i.id = e.integration_id WHERE e.id = $1`,
      [executionId],
    );
    const integration = rows[0];
    if (!integration?.slack_channel || !announces(integration.notify, outcome.status)) return;
    const added = await db.query<{ id: number }>(
      `INSERT INTO slack_message (kind, execution_id, integration_id, channel, final) VALUES ('run', $1, $2, $3, true)
       ON CONFLICT (execution_id, kind) WHERE execution_id IS NOT NULL DO NOTHING RETURNING id`,
      [executionId, integration.integration_id, integration.slack_channel],
    );
    if (!added.rows[0]) return;
    message = { id: added.rows[0].id, channel: integration.slack_channel, integration_id: integration.integration_id, retry_of: null };
  }
  const unmapped = (outcome.analysis?.unmappedSkus.length ?? 0) + (outcome.analysis?.unmappedChannels.length ?? 0);
  if (unmapped > 0) {
    await db.query(
      `INSERT INTO slack_message (kind, execution_id, integration_id, channel, thread_of_id) VALUES ('unmapped_alert', $1, $2, $3, $4)
       ON CONFLICT (execution_id, kind) WHERE execution_id IS NOT NULL DO NOTHING`,
      [executionId, message.integration_id, message.channel, message.id],
    );
  }
  await notify(db);
}

/** A notice for a channel (e.g. an admin reset), delivered like every other message. */
export async function addNotice(db: Queryable, input: { integrationId: number | null; channel: string; payload: Record<string, unknown> }): Promise<void> {
  await db.query(`INSERT INTO slack_message (kind, integration_id, channel, payload, final) VALUES ('notice', $1, $2, $3, true)`, [
    input.integrationId,
    input.channel,
    input.payload,
  ]);
  await notify(db);
}

/** A message a bot process has claimed for delivery. */
export interface ClaimedSlackMessage {
  id: number;
  kind: SlackMessageKind;
  executionId: number | null;
  integrationId: number | null;
  channel: string;
  threadOfId: number | null;
  payload: Record<string, unknown>;
  /** The version this delivery shows. */
  version: number;
  final: boolean;
  /** Null until the first post succeeded: then it is an edit. */
  ts: string | null;
  postedChannel: string | null;
  attempts: number;
}

export interface DeliveryProblemRow {
  channel: string;
  error: string;
  since: Date;
  messages: number;
}

/**
 * Delivery bookkeeping for bot processes. A claim is a lease: `FOR UPDATE SKIP LOCKED` picks a
 * due message no other process holds, and the lease keeps it theirs while they talk to Slack; a
 * process killed mid-delivery loses it when the lease runs out, and another delivers.
 */
export class SlackOutboxRepository {
  constructor(private readonly db: Queryable) {}

  async claim(owner: string, leaseMs: number): Promise<ClaimedSlackMessage | null> {
    const { rows } = await this.db.query(
      `UPDATE slack_message SET lease_owner = $1, lease_until = now() + make_interval(secs => $2::double precision / 1000)
       WHERE id = (
         SELECT id FROM slack_message
         WHERE delivered_version < version AND NOT gave_up AND next_attempt_at <= now()
           AND (lease_until IS NULL OR lease_until < now())
         ORDER BY next_attempt_at, id FOR UPDATE SKIP LOCKED LIMIT 1)
       RETURNING id, kind, execution_id, integration_id, channel, thread_of_id, payload, version, final, ts, posted_channel, attempts`,
      [owner, leaseMs],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: Number(row.id),
      kind: row.kind,
      executionId: row.execution_id,
      integrationId: row.integration_id,
      channel: row.channel,
      threadOfId: row.thread_of_id === null ? null : Number(row.thread_of_id),
      payload: row.payload,
      version: row.version,
      final: row.final,
      ts: row.ts,
      postedChannel: row.posted_channel,
      attempts: row.attempts,
    };
  }

  /** Slack shows `version` now; the next edit waits `throttleMs` (at most one edit per 3 s per message). */
  async delivered(id: number, owner: string, input: { version: number; ts: string; postedChannel: string; throttleMs: number }): Promise<void> {
    await this.db.query(
      `UPDATE slack_message SET delivered_version = GREATEST(delivered_version, $3), ts = $4, posted_channel = $5,
         last_edit_at = now(), next_attempt_at = now() + make_interval(secs => $6::double precision / 1000),
         attempts = 0, last_error = NULL, last_error_at = NULL, lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND lease_owner = $2`,
      [id, owner, input.version, input.ts, input.postedChannel, input.throttleMs],
    );
  }

  /** Slack could not take it now: try again after `delayMs`, keeping the error for the App Home. */
  async retryLater(id: number, owner: string, input: { error: string; delayMs: number }): Promise<void> {
    await this.db.query(
      `UPDATE slack_message SET attempts = attempts + 1, last_error = $3, last_error_at = coalesce(last_error_at, now()),
         next_attempt_at = now() + make_interval(secs => $4::double precision / 1000), lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND lease_owner = $2`,
      [id, owner, input.error.slice(0, 255), input.delayMs],
    );
  }

  /** Not yet (e.g. a thread reply waiting for its parent's ts): look again after `delayMs`, no error recorded. */
  async postpone(id: number, owner: string, delayMs: number): Promise<void> {
    await this.db.query(
      `UPDATE slack_message SET next_attempt_at = now() + make_interval(secs => $3::double precision / 1000), lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND lease_owner = $2`,
      [id, owner, delayMs],
    );
  }

  /** Slack refused the message itself (not the channel or the moment): retrying cannot help. */
  async giveUp(id: number, owner: string, error: string): Promise<void> {
    await this.db.query(
      `UPDATE slack_message SET gave_up = true, last_error = $3, last_error_at = now(), lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND lease_owner = $2`,
      [id, owner, error.slice(0, 255)],
    );
  }

  /**
   * Slack refuses the channel a run was asked from: send the message to the integration's own
   * channel instead, at once. Returns that channel, or null when there is none (or it is the same).
   */
  async retarget(id: number, owner: string): Promise<string | null> {
    const { rows } = await this.db.query<{ channel: string }>(
      `UPDATE slack_message m SET channel = i.slack_channel, ts = NULL, posted_channel = NULL, next_attempt_at = now(),
         payload = m.payload || '{"retargeted": true}', lease_owner = NULL, lease_until = NULL
       FROM integration i WHERE m.id = $1 AND m.lease_owner = $2 AND i.id = m.integration_id
         AND i.slack_channel IS NOT NULL AND i.slack_channel <> m.channel AND m.ts IS NULL
       RETURNING m.channel`,
      [id, owner],
    );
    return rows[0]?.channel ?? null;
  }

  /** Remembers that the person who asked for the run was told the channel refused it. */
  async markRequesterTold(id: number): Promise<void> {
    await this.db.query(`UPDATE slack_message SET payload = payload || '{"requesterTold": true}' WHERE id = $1`, [id]);
  }

  /** The message was deleted in Slack: the next delivery posts it anew. */
  async forgetTs(id: number, owner: string): Promise<void> {
    await this.db.query(`UPDATE slack_message SET ts = NULL, posted_channel = NULL, lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2`, [
      id,
      owner,
    ]);
  }

  /** The parent of a thread reply: its ts once posted, or why it never will be. */
  async parent(id: number): Promise<{ ts: string | null; postedChannel: string | null; gaveUp: boolean; nextAttemptAt: Date | null } | null> {
    const { rows } = await this.db.query<{ ts: string | null; posted_channel: string | null; gave_up: boolean; next_attempt_at: Date }>(
      'SELECT ts, posted_channel, gave_up, next_attempt_at FROM slack_message WHERE id = $1',
      [id],
    );
    const row = rows[0];
    return row ? { ts: row.ts, postedChannel: row.posted_channel, gaveUp: row.gave_up, nextAttemptAt: row.next_attempt_at } : null;
  }

  /** When the next pending message is due (null: nothing pending), so delivery can sleep until then. */
  async soonestDue(): Promise<Date | null> {
    const { rows } = await this.db.query<{ at: Date | null }>(
      `SELECT min(greatest(next_attempt_at, coalesce(lease_until, next_attempt_at))) AS at FROM slack_message
       WHERE delivered_version < version AND NOT gave_up`,
    );
    return rows[0]?.at ?? null;
  }

  /** Channels Slack is refusing messages for right now, with the error, oldest first. */
  async problems(): Promise<DeliveryProblemRow[]> {
    const { rows } = await this.db.query<{ channel: string; error: string; since: Date; messages: number }>(
      `SELECT channel, last_error AS error, min(last_error_at) AS since, count(*)::int AS messages FROM slack_message
       WHERE last_error IS NOT NULL AND (delivered_version < version OR gave_up) AND last_error_at > now() - interval '7 days'
       GROUP BY channel, last_error ORDER BY since LIMIT 20`,
    );
    return rows;
  }

  async pendingCount(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM slack_message WHERE delivered_version < version AND NOT gave_up`);
    return rows[0]?.n ?? 0;
  }

  async recordHomeViewer(userId: string, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO slack_home_viewer (user_id, opened_at) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET opened_at = excluded.opened_at`,
      [userId, at],
    );
  }

  async homeViewersSince(since: Date): Promise<string[]> {
    const { rows } = await this.db.query<{ user_id: string }>('SELECT user_id FROM slack_home_viewer WHERE opened_at >= $1 ORDER BY user_id', [since]);
    return rows.map((row) => row.user_id);
  }
}
