import { ChannelExternalIdSchema, ChannelSchema, SkuExternalIdSchema, SkuSchema } from './catalog.entity.js';
import { InventoryLevelSchema, SalesOrderLineSchema, SalesOrderSchema } from './commerce.entity.js';
import { AuditEventSchema, IntegrationSchema, SyncStateSchema } from './integration.entity.js';
import { ProblemRecordSchema, SyncExecutionSchema, SyncItemErrorSchema, SyncItemSchema } from './sync-execution.entity.js';
import { MappingVersionSchema } from './mapping-version.entity.js';
import { SettingSchema } from './setting.entity.js';
import { SlackHomeViewerSchema, SlackMessageSchema } from './slack.entity.js';
import { AlertMuteSchema, HealthAlertSchema } from './health-alert.entity.js';
import { WorkerHeartbeatSchema } from './worker-heartbeat.entity.js';

export * from './catalog.entity.js';
export * from './commerce.entity.js';
export * from './integration.entity.js';
export * from './mapping-version.entity.js';
export * from './setting.entity.js';
export * from './slack.entity.js';
export * from './health-alert.entity.js';
export * from './sync-execution.entity.js';
export * from './worker-heartbeat.entity.js';

export const ALL_ENTITIES = [
  IntegrationSchema,
  SyncStateSchema,
  AuditEventSchema,
  SyncExecutionSchema,
  SyncItemSchema,
  SyncItemErrorSchema,
  ProblemRecordSchema,
  SkuSchema,
  ChannelSchema,
  SkuExternalIdSchema,
  ChannelExternalIdSchema,
  SalesOrderSchema,
  SalesOrderLineSchema,
  InventoryLevelSchema,
  WorkerHeartbeatSchema,
  SettingSchema,
  SlackMessageSchema,
  SlackHomeViewerSchema,
  HealthAlertSchema,
  AlertMuteSchema,
  MappingVersionSchema,
];
