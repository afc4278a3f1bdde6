import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { IntegrationSchema } from './integration.entity.js';
import { SyncExecutionSchema } from './sync-execution.entity.js';

/**
 * The Slack outbox: one row per Slack message (a run's live message that becomes its summary, an
 * unmapped alert, a notice). Written in the transaction that decides it; bot processes deliver it.
 * `version` is the state wanted, `deliveredVersion` the state Slack shows.
 */
export const SlackMessageSchema = defineEntity({
  name: 'SlackMessage',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    /** run | unmapped_alert | notice */
    kind: p.string().length(32),
    execution: p.manyToOne(SyncExecutionSchema).nullable().deleteRule('cascade'),
    integration: p.manyToOne(IntegrationSchema).nullable().deleteRule('cascade'),
    /** Where it goes: a channel id or #name. */
    channel: p.string(),
    /** Posted as a reply in the thread of that message (its id; the reply waits for its ts). */
    threadOfId: p.bigint('number').nullable(),
    /** What rendering needs that is not in the database (who asked, a notice's facts). */
    payload: p.json<Record<string, unknown>>().default('{}'),
    version: p.integer().default(1),
    deliveredVersion: p.integer().default(0),
    /** The run ended: `version` is the last state. */
    final: p.boolean().default(false),
    /** Set once Slack answered the first post: later versions edit this message. */
    ts: p.string().length(32).nullable(),
    postedChannel: p.string().length(64).nullable(),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime().defaultRaw('now()'),
    lastEditAt: p.datetime().nullable(),
    /** The bot process delivering it, and until when its claim holds. */
    leaseOwner: p.string().length(128).nullable(),
    leaseUntil: p.datetime().nullable(),
    lastError: p.string().nullable(),
    lastErrorAt: p.datetime().nullable(),
    /** Slack refused the payload itself: retrying cannot help. */
    gaveUp: p.boolean().default(false),
    createdAt: p.datetime().defaultRaw('now()'),
  },
  indexes: [
    {
      name: 'slack_message_execution_kind_unique',
      expression: 'create unique index "slack_message_execution_kind_unique" on "slack_message" ("execution_id", "kind") where "execution_id" is not null',
    },
    {
      name: 'slack_message_due_index',
      expression: 'create index "slack_message_due_index" on "slack_message" ("next_attempt_at") where "delivered_version" < "version" and not "gave_up"',
    },
  ],
});
export type SlackMessage = InferEntity<typeof SlackMessageSchema>;

/** Who opened the App Home and when: their Home is republished after runs for a day. */
export const SlackHomeViewerSchema = defineEntity({
  name: 'SlackHomeViewer',
  properties: {
    userId: p.string().length(32).primary(),
    openedAt: p.datetime(),
  },
});
export type SlackHomeViewer = InferEntity<typeof SlackHomeViewerSchema>;
