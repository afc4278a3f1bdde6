import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEventSchema } from './entities/index.js';
import type { Queryable } from './pool.js';

/** Every action the audit log records: who did what to which integration, and when. */
export type AuditAction =
  | 'integration.created'
  | 'integration.updated'
  | 'integration.disabled'
  | 'skus.imported'
  | 'channels.imported'
  | 'mappings.imported'
  | 'mappings.added'
  | 'mappings.changed'
  | 'mappings.removed'
  | 'sync_state.reset'
  | 'execution.cancel'
  | 'execution.queue_lost'
  | 'credentials.rekeyed'
  | 'alerts.muted'
  | 'alerts.unmuted'
  | 'items.purged';

export interface AuditEvent {
  actor: string;
  action: AuditAction;
  integrationKey?: string | null;
  /** Facts about the action (field names, counts, ids) — never a secret value. */
  details?: Record<string, unknown>;
}

const INSERT = `INSERT INTO audit_event (actor, action, integration_key, details) VALUES ($1, $2, $3, $4)`;

/**
 * The one audit writer. Writes inside the caller's transaction, whichever kind it is: a pg
 * client (hot-path SQL) or a MikroORM EntityManager (entity-shaped admin writes), so the event
 * commits or rolls back with the action it records.
 */
export async function recordAudit(target: Queryable | EntityManager, event: AuditEvent): Promise<void> {
  const row = { actor: event.actor, action: event.action, integrationKey: event.integrationKey ?? null, details: event.details ?? {} };
  if ('persist' in target) {
    target.create(AuditEventSchema, row);
    return;
  }
  await target.query(INSERT, [row.actor, row.action, row.integrationKey, row.details]);
}
