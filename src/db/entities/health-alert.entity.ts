import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { IntegrationSchema } from './integration.entity.js';

/**
 * One alert per integration × domain type × problem (a health problem key such as
 * `unmapped_skus`) while the problem lasts: opened once, counted on every run that still has it,
 * resolved when a run no longer does. A partial unique index keeps it to one open alert, whatever
 * the number of workers finishing runs at once.
 */
export const HealthAlertSchema = defineEntity({
  name: 'HealthAlert',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    integration: p.manyToOne(IntegrationSchema).deleteRule('cascade'),
    domainType: p.string().length(64),
    problemKey: p.string().length(64),
    category: p.string().length(64),
    reason: p.text(),
    fix: p.text(),
    occurrences: p.integer().default(1),
    firstExecutionId: p.integer().nullable(),
    lastExecutionId: p.integer().nullable(),
    openedAt: p.datetime().defaultRaw('now()'),
    lastSeenAt: p.datetime().defaultRaw('now()'),
    resolvedAt: p.datetime().nullable(),
    /** Its Slack message in the outbox (null while muted or without a channel). */
    slackMessageId: p.bigint('number').nullable(),
  },
  indexes: [
    {
      name: 'health_alert_open_unique',
      expression: 'create unique index "health_alert_open_unique" on "health_alert" ("integration_id", "domain_type", "problem_key") where "resolved_at" is null',
    },
    { properties: ['integration', 'openedAt'] },
  ],
});
export type HealthAlert = InferEntity<typeof HealthAlertSchema>;

/** Alerts of an integration muted for a while, or until its open alerts are resolved. */
export const AlertMuteSchema = defineEntity({
  name: 'AlertMute',
  properties: {
    integration: p.oneToOne(IntegrationSchema).primary().deleteRule('cascade'),
    until: p.datetime().nullable(),
    untilResolved: p.boolean().default(false),
    mutedBy: p.string(),
    mutedAt: p.datetime().defaultRaw('now()'),
  },
});
export type AlertMute = InferEntity<typeof AlertMuteSchema>;
