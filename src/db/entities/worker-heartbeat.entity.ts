import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** One row per worker process, refreshed while it runs: "is any worker alive?" for stale schedules. */
export const WorkerHeartbeatSchema = defineEntity({
  name: 'WorkerHeartbeat',
  properties: {
    id: p.string().length(128).primary(),
    host: p.string(),
    pid: p.integer(),
    startedAt: p.datetime(),
    lastSeenAt: p.datetime(),
    stoppedAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['lastSeenAt'] }],
});
export type WorkerHeartbeat = InferEntity<typeof WorkerHeartbeatSchema>;
