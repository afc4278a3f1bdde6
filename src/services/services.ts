import type pg from 'pg';
import type { Config } from '../config/config.js';
import type { CatalogRepository } from '../db/catalog.repository.js';
import type { ExecutionsRepository } from '../db/executions.repository.js';
import type { IntegrationsRepository } from '../db/integrations.repository.js';
import type { PgSyncStore } from '../db/pg-sync-store.js';
import type { ConnectorRegistry } from '../sync/connectors/connector.js';
import type { SyncEngine } from '../sync/engine.js';
import { systemClock, type Logger } from '../sync/ports.js';
import { AdminService } from './admin.service.js';
import { CatalogService } from './catalog.service.js';
import { ExecutionService } from './executions.service.js';
import { AlertsService } from './alerts.service.js';
import { HealthService } from './health.service.js';
import { IntegrationLookup } from './integration-lookup.js';
import { IntegrationService } from './integrations.service.js';
import { SchedulerAccess } from './scheduler-access.js';
import { ScheduleService } from './schedules.service.js';
import { OverviewService } from './overview.service.js';
import { RetentionService } from './retention.service.js';
import { SlackOutboxService } from './slack-outbox.service.js';
import { SyncService } from './syncs.service.js';
import { WorkerService } from './worker.service.js';

/**
 * The use cases every front end (CLI, Slack) shares: typed results and typed refusals, no
 * printing, no terminal or Slack words. Front ends get this, never the pool, ORM or store.
 */
export interface Services {
  readonly config: Config;
  readonly log: Logger;
  readonly integrations: IntegrationService;
  readonly syncs: SyncService;
  readonly executions: ExecutionService;
  readonly catalog: CatalogService;
  readonly schedules: ScheduleService;
  readonly admin: AdminService;
  readonly worker: WorkerService;
  readonly overview: OverviewService;
  /** Health indicators per integration × domain type, with trends and recognised problems. */
  readonly health: HealthService;
  readonly alerts: AlertsService;
  /** Item retention: the purge of old executions' items (scheduled in workers, or on demand). */
  readonly retention: RetentionService;
  /** The Slack outbox (bot processes only). */
  readonly slackOutbox: SlackOutboxService;
  /** Closes what the services opened (the scheduler connection); the app closes the rest. */
  close(): Promise<void>;
}

export interface ServiceDeps {
  config: Config;
  log: Logger;
  pool: pg.Pool;
  connectors: ConnectorRegistry;
  store: PgSyncStore;
  engine: SyncEngine;
  integrations: IntegrationsRepository;
  catalog: CatalogRepository;
  executions: ExecutionsRepository;
  scheduler: SchedulerAccess;
}

export function createServices(deps: ServiceDeps): Services {
  const lookup = new IntegrationLookup(deps.integrations);
  const { scheduler } = deps;
  const health = new HealthService(lookup, deps.pool, deps.config.health);
  const alerts = new AlertsService(deps.pool, lookup, health, deps.executions, deps.log);
  const integrations = new IntegrationService(lookup, deps.integrations, deps.connectors, scheduler);
  const schedules = new ScheduleService(lookup, deps.executions, deps.pool);
  const retention = new RetentionService(deps.pool, deps.config.databaseUrl, deps.config.retention, systemClock, deps.log);
  return {
    config: deps.config,
    log: deps.log,
    integrations,
    syncs: new SyncService(lookup, deps.engine, deps.executions, scheduler),
    executions: new ExecutionService(lookup, deps.executions),
    catalog: new CatalogService(lookup, deps.catalog),
    schedules,
    admin: new AdminService(lookup, deps.executions, deps.integrations),
    worker: new WorkerService(scheduler, alerts, retention, deps.log),
    overview: new OverviewService(lookup, integrations, deps.executions, schedules),
    health,
    alerts,
    retention,
    slackOutbox: new SlackOutboxService(deps.pool, deps.config.databaseUrl),
    close: () => scheduler.close(),
  };
}
