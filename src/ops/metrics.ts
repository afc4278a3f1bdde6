import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OpsRepository } from '../db/ops.repository.js';
import type { ExecutionRecord, SyncObserver } from '../sync/ports.js';
import type { SlackApiError } from './slack-watch.js';

/** Ack times around Slack's 3 s limit, from a few milliseconds up. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 3];
/** Run durations from a second to a few hours. */
const DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14_400];

/**
 * The Prometheus metrics of one process. Events of this process (runs it finished, items they
 * counted, Slack API errors it got) are counters kept in memory; the shared state (queue, outbox,
 * workers) is read from PostgreSQL at each scrape with small indexed queries.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly executions: Counter<'integration' | 'domain_type' | 'status'>;
  private readonly items: Counter<'integration' | 'domain_type' | 'status'>;
  private readonly duration: Histogram<'domain_type' | 'status'>;
  private readonly slackErrors: Counter<'method' | 'error'>;
  private readonly slackAcks: Histogram<'acked_by'>;
  private readonly active: Gauge<'status'>;
  private readonly queueLag: Gauge;
  private readonly outboxPending: Gauge;
  private readonly outboxOldest: Gauge;
  private readonly workersAlive: Gauge;
  private readonly databaseUp: Gauge;

  constructor(
    private readonly ops: OpsRepository,
    /** Heartbeats older than this do not count as a live worker. */
    private readonly workerFreshMs: number,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.executions = new Counter({ name: 'tether_executions_total', help: 'Sync executions finished by this process, by final status', labelNames: ['integration', 'domain_type', 'status'], registers });
    this.items = new Counter({ name: 'tether_items_total', help: 'Items processed by the executions this process finished, by item status', labelNames: ['integration', 'domain_type', 'status'], registers });
    this.duration = new Histogram({ name: 'tether_execution_duration_seconds', help: 'Duration of the executions this process finished', labelNames: ['domain_type', 'status'], buckets: DURATION_BUCKETS, registers });
    this.slackErrors = new Counter({ name: 'tether_slack_api_errors_total', help: 'Slack Web API calls of this process that failed, by method and error', labelNames: ['method', 'error'], registers });
    this.slackAcks = new Histogram({ name: 'tether_slack_ack_seconds', help: "Slack requests (HTTP mode) from arrival to ack sent, by who acked: the bot, the HTTP front on its behalf, or none (the client gave up)", labelNames: ['acked_by'], buckets: ACK_BUCKETS, registers });
    this.active = new Gauge({ name: 'tether_executions', help: 'Executions queued or running now (all processes)', labelNames: ['status'], registers });
    this.queueLag = new Gauge({ name: 'tether_queue_lag_seconds', help: 'How long the oldest waiting run has waited (queued execution or due scheduled job)', registers });
    this.outboxPending = new Gauge({ name: 'tether_slack_outbox_backlog', help: 'Slack messages written but not yet shown in Slack', registers });
    this.outboxOldest = new Gauge({ name: 'tether_slack_outbox_oldest_seconds', help: 'Age of the oldest Slack message not yet shown in Slack', registers });
    this.workersAlive = new Gauge({ name: 'tether_workers_alive', help: 'Workers with a fresh heartbeat (all processes)', registers });
    this.databaseUp = new Gauge({ name: 'tether_database_up', help: '1 when PostgreSQL answered this scrape', registers });
  }

  /** Counts each finished run; given to bootstrap as the engine's observer. */
  readonly observer: SyncObserver = {
    executionFinished: (execution: ExecutionRecord) => this.recordExecution(execution),
  };

  recordExecution(execution: ExecutionRecord): void {
    const labels = { integration: execution.integrationKey, domain_type: execution.domainType };
    this.executions.inc({ ...labels, status: execution.status });
    this.items.inc({ ...labels, status: 'success' }, execution.successCount);
    this.items.inc({ ...labels, status: 'failed' }, execution.failedCount);
    this.items.inc({ ...labels, status: 'skipped' }, execution.skippedCount);
    if (execution.durationMs !== null) this.duration.observe({ domain_type: execution.domainType, status: execution.status }, execution.durationMs / 1000);
  }

  recordSlackError(failure: SlackApiError): void {
    this.slackErrors.inc({ method: failure.method, error: failure.error });
  }

  /**
   * One Slack request's answer, as the HTTP front saw it (see slack/http-front.ts). Refusals (401 for
   * a bad signature, 502 with no bot) are not acks; a request the client gave up on counts as
   * `acked_by="none"`, at the time it gave up.
   */
  recordSlackAck(ack: { by: 'bot' | 'front' | 'none'; ms: number; status: number }): void {
    if (ack.by !== 'none' && ack.status >= 400) return;
    this.slackAcks.observe({ acked_by: ack.by }, ack.ms / 1000);
  }

  /** The exposition text, with the shared state read now. A database that does not answer shows as tether_database_up 0. */
  async render(): Promise<string> {
    try {
      const [queue, outbox, alive] = await Promise.all([this.ops.queue(), this.ops.outbox(), this.ops.workersAlive(new Date(Date.now() - this.workerFreshMs))]);
      this.active.set({ status: 'queued' }, queue.queued);
      this.active.set({ status: 'running' }, queue.running);
      this.queueLag.set(queue.lagSeconds);
      this.outboxPending.set(outbox.pending);
      this.outboxOldest.set(outbox.oldestSeconds);
      this.workersAlive.set(alive);
      this.databaseUp.set(1);
    } catch {
      this.databaseUp.set(0);
    }
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
