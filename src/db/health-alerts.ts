import type { Queryable } from './pool.js';
import { SLACK_OUTBOX_CHANNEL } from './slack-outbox.js';

/** A problem a run (or the stale check) found, as health recognises it. */
export interface AlertProblem {
  /** Stable per kind of problem: one alert per integration × domain type × key while it lasts. */
  key: string;
  category: string;
  reason: string;
  fix: string;
}

export interface HealthAlertRow {
  id: number;
  integrationId: number;
  integrationKey: string;
  domainType: string;
  problemKey: string;
  category: string;
  reason: string;
  fix: string;
  occurrences: number;
  firstExecutionId: number | null;
  lastExecutionId: number | null;
  openedAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
  slackMessageId: number | null;
}

export interface MuteRow {
  integrationId: number;
  integrationKey: string;
  until: Date | null;
  untilResolved: boolean;
  mutedBy: string;
  mutedAt: Date;
}

const ALERT_COLUMNS = `a.id, a.integration_id, i.key AS integration_key, a.domain_type, a.problem_key, a.category, a.reason, a.fix,
  a.occurrences, a.first_execution_id, a.last_execution_id, a.opened_at, a.last_seen_at, a.resolved_at, a.slack_message_id`;

const toAlert = (row: any): HealthAlertRow => ({
  id: Number(row.id),
  integrationId: row.integration_id,
  integrationKey: row.integration_key,
  domainType: row.domain_type,
  problemKey: row.problem_key,
  category: row.category,
  reason: row.reason,
  fix: row.fix,
  occurrences: row.occurrences,
  firstExecutionId: row.first_execution_id,
  lastExecutionId: row.last_execution_id,
  openedAt: row.opened_at,
  lastSeenAt: row.last_seen_at,
  resolvedAt: row.resolved_at,
  slackMessageId: row.slack_message_id === null ? null : Number(row.slack_message_id),
});

/** Whether the integration's alerts are muted now (expired mutes do not count). */
async function isMuted(db: Queryable, integrationId: number): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM alert_mute WHERE integration_id = $1 AND (until_resolved OR until > now())`,
    [integrationId],
  );
  return rows.length > 0;
}

/**
 * Records what health found for one integration × domain type, in the caller's transaction (the
 * one that finishes the run, or the stale check's): each problem opens its alert once (the partial
 * unique index makes a second opener — another worker at the same moment — count an occurrence
 * instead) or counts another occurrence; open alerts of `scope` keys that are no longer found are
 * resolved. Slack messages go through the outbox: a new alert posts one message, later
 * occurrences edit it (and reply in its thread while not muted), resolving edits it to
 * "Resolved". Muted integrations get no new posts or replies.
 */
export async function recordHealth(
  db: Queryable,
  input: {
    integrationId: number;
    domainType: string;
    executionId: number | null;
    problems: AlertProblem[];
    /** Which open alerts this look may resolve (the stale check only resolves `stale`, a run everything else). */
    scope: (key: string) => boolean;
    /** A run saw it again (counted, message edited, thread reply); false for a periodic re-check. */
    countOccurrence: boolean;
  },
): Promise<{ opened: number[]; continued: number[]; resolved: number[] }> {
  const outcome = { opened: [] as number[], continued: [] as number[], resolved: [] as number[] };
  const { rows: integrationRows } = await db.query<{ slack_channel: string | null; notify: string }>(
    'SELECT slack_channel, notify FROM integration WHERE id = $1',
    [input.integrationId],
  );
  // `notify: never` keeps the channel quiet about alerts too (they stay on the App Home and in `status`).
  const channel = integrationRows[0]?.notify === 'never' ? null : (integrationRows[0]?.slack_channel ?? null);
  const muted = await isMuted(db, input.integrationId);
  let touchedSlack = false;

  for (const problem of input.problems) {
    const { rows } = await db.query<{ id: number; inserted: boolean; slack_message_id: number | null; occurrences: number }>(
      `INSERT INTO health_alert (integration_id, domain_type, problem_key, category, reason, fix, first_execution_id, last_execution_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
       ON CONFLICT (integration_id, domain_type, problem_key) WHERE resolved_at IS NULL DO UPDATE SET
         occurrences = health_alert.occurrences + $8, reason = excluded.reason, fix = excluded.fix, category = excluded.category,
         last_execution_id = coalesce(excluded.last_execution_id, health_alert.last_execution_id), last_seen_at = now()
       RETURNING id, (xmax = 0) AS inserted, slack_message_id, occurrences`,
      [input.integrationId, input.domainType, problem.key, problem.category, problem.reason, problem.fix, input.executionId, input.countOccurrence ? 1 : 0],
    );
    const alert = rows[0]!;
    const alertId = Number(alert.id);
    (alert.inserted ? outcome.opened : outcome.continued).push(alertId);
    if (!alert.inserted && !input.countOccurrence && alert.slack_message_id !== null) continue; // a re-check: nothing new to say
    if (alert.slack_message_id !== null) {
      await db.query('UPDATE slack_message SET version = version + 1 WHERE id = $1', [alert.slack_message_id]);
      if (!muted && input.countOccurrence) {
        await db.query(
          `INSERT INTO slack_message (kind, integration_id, channel, thread_of_id, payload, final)
           SELECT 'alert_followup', $1, channel, id, $3, true FROM slack_message WHERE id = $2`,
          [input.integrationId, alert.slack_message_id, { alertId, executionId: input.executionId, occurrence: alert.occurrences }],
        );
      }
      touchedSlack = true;
    } else if (channel && !muted) {
      const { rows: posted } = await db.query<{ id: number }>(
        `INSERT INTO slack_message (kind, integration_id, channel, payload) VALUES ('health_alert', $1, $2, $3) RETURNING id`,
        [input.integrationId, channel, { alertId }],
      );
      await db.query('UPDATE health_alert SET slack_message_id = $2 WHERE id = $1', [alertId, posted[0]!.id]);
      touchedSlack = true;
    }
  }

  const found = input.problems.map((problem) => problem.key);
  const { rows: open } = await db.query<{ id: number; problem_key: string; slack_message_id: number | null }>(
    `SELECT id, problem_key, slack_message_id FROM health_alert
     WHERE integration_id = $1 AND domain_type = $2 AND resolved_at IS NULL AND NOT (problem_key = ANY($3::text[]))`,
    [input.integrationId, input.domainType, found],
  );
  for (const alert of open.filter((row) => input.scope(row.problem_key))) {
    await db.query('UPDATE health_alert SET resolved_at = now(), last_execution_id = coalesce($2, last_execution_id) WHERE id = $1', [alert.id, input.executionId]);
    outcome.resolved.push(Number(alert.id));
    if (alert.slack_message_id !== null) {
      await db.query('UPDATE slack_message SET version = version + 1, final = true WHERE id = $1', [alert.slack_message_id]);
      touchedSlack = true;
    }
  }
  // A mute "until resolved" ends with the integration's last open alert.
  await db.query(
    `DELETE FROM alert_mute WHERE integration_id = $1 AND until_resolved
       AND NOT EXISTS (SELECT 1 FROM health_alert WHERE integration_id = $1 AND resolved_at IS NULL)`,
    [input.integrationId],
  );
  if (touchedSlack) await db.query(`SELECT pg_notify('${SLACK_OUTBOX_CHANNEL}', '')`);
  return outcome;
}

/** Alerts repository: reads for Slack, the CLI and the App Home; mutes. */
export class HealthAlertsRepository {
  constructor(private readonly db: Queryable) {}

  async get(alertId: number): Promise<HealthAlertRow | null> {
    const { rows } = await this.db.query(`SELECT ${ALERT_COLUMNS} FROM health_alert a JOIN integration i ON i.id = a.integration_id WHERE a.id = $1`, [alertId]);
    return rows[0] ? toAlert(rows[0]) : null;
  }

  async open(integrationId?: number): Promise<HealthAlertRow[]> {
    const { rows } = await this.db.query(
      `SELECT ${ALERT_COLUMNS} FROM health_alert a JOIN integration i ON i.id = a.integration_id
       WHERE a.resolved_at IS NULL AND ($1::int IS NULL OR a.integration_id = $1) ORDER BY a.opened_at`,
      [integrationId ?? null],
    );
    return rows.map(toAlert);
  }

  async mutes(): Promise<MuteRow[]> {
    const { rows } = await this.db.query(
      `SELECT m.integration_id, i.key AS integration_key, m.until, m.until_resolved, m.muted_by, m.muted_at
       FROM alert_mute m JOIN integration i ON i.id = m.integration_id WHERE m.until_resolved OR m.until > now() ORDER BY i.key`,
    );
    return rows.map((row) => ({
      integrationId: row.integration_id,
      integrationKey: row.integration_key,
      until: row.until,
      untilResolved: row.until_resolved,
      mutedBy: row.muted_by,
      mutedAt: row.muted_at,
    }));
  }

  /** Mutes (or re-mutes) an integration's alerts; `until` null with `untilResolved` = until its alerts are resolved. */
  async mute(integrationId: number, input: { until: Date | null; untilResolved: boolean; actor: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO alert_mute (integration_id, until, until_resolved, muted_by, muted_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (integration_id) DO UPDATE SET until = excluded.until, until_resolved = excluded.until_resolved, muted_by = excluded.muted_by, muted_at = now()`,
      [integrationId, input.until, input.untilResolved, input.actor],
    );
    await this.refreshAlertMessages(integrationId);
  }

  /** Returns whether there was a mute to lift. */
  async unmute(integrationId: number): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM alert_mute WHERE integration_id = $1', [integrationId]);
    await this.refreshAlertMessages(integrationId);
    return (rowCount ?? 0) > 0;
  }

  /** The alert messages show the mute state: edit the open ones. */
  private async refreshAlertMessages(integrationId: number): Promise<void> {
    const { rowCount } = await this.db.query(
      `UPDATE slack_message SET version = version + 1 WHERE id IN (SELECT slack_message_id FROM health_alert WHERE integration_id = $1 AND resolved_at IS NULL AND slack_message_id IS NOT NULL)`,
      [integrationId],
    );
    if (rowCount) await this.db.query(`SELECT pg_notify('${SLACK_OUTBOX_CHANNEL}', '')`);
  }
}
