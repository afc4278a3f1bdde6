import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** One connection to one external platform. Credentials are sealed (AES-256-GCM), never plain. */
export const IntegrationSchema = defineEntity({
  name: 'Integration',
  properties: {
    id: p.integer().primary().autoincrement(),
    key: p.string().length(64).unique(),
    name: p.string(),
    connector: p.string().length(64),
    domains: p.array().columnType('text[]'),
    config: p.json<Record<string, unknown>>().default('{}'),
    credentialsSealed: p.text().nullable(),
    cron: p.string().nullable(),
    timezone: p.string().default('UTC'),
    enabled: p.boolean().default(true),
    dryRun: p.boolean().default(false),
    matchSkuCodes: p.boolean().default(false),
    slackChannel: p.string().nullable(),
    /** always | problems | never: when its Slack channel hears about runs. */
    notify: p.string().length(16).default('problems'),
    createdAt: p.datetime().defaultRaw('now()').onCreate(() => new Date()),
    updatedAt: p.datetime().defaultRaw('now()').onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Integration = InferEntity<typeof IntegrationSchema>;

/** The incremental cursor per integration and domain type. cursor = null → next run is a full fetch. */
export const SyncStateSchema = defineEntity({
  name: 'SyncState',
  properties: {
    id: p.integer().primary().autoincrement(),
    integration: p.manyToOne(IntegrationSchema).deleteRule('cascade'),
    domainType: p.string().length(64),
    cursor: p.text().nullable(),
    resetAt: p.datetime().nullable(),
    resetBy: p.string().nullable(),
    updatedAt: p.datetime().defaultRaw('now()').onCreate(() => new Date()),
  },
  uniques: [{ properties: ['integration', 'domainType'] }],
});
export type SyncState = InferEntity<typeof SyncStateSchema>;

/** Who did what and when: resets, triggers, mapping changes, integration changes. */
export const AuditEventSchema = defineEntity({
  name: 'AuditEvent',
  properties: {
    id: p.integer().primary().autoincrement(),
    at: p.datetime().defaultRaw('now()').onCreate(() => new Date()),
    actor: p.string(),
    action: p.string().length(64),
    integrationKey: p.string().length(64).nullable(),
    details: p.json<Record<string, unknown>>().default('{}'),
  },
  indexes: [{ properties: ['at'] }],
});
export type AuditEvent = InferEntity<typeof AuditEventSchema>;
