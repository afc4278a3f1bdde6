import type { WebClient } from '@slack/web-api';
import type { Listener } from '../../db/listen.js';
import type { ClaimedSlackMessage, SlackOutboxService } from '../../services/slack-outbox.service.js';
import type { Logger } from '../../sync/ports.js';
import type { SlackMessage } from '../blocks/types.js';
import { RUN_FINISHED } from '../../db/slack-outbox.js';
import { classifySlackError, UNREACHABLE } from './slack-errors.js';

/** Slack's rule for edits: at most one per 3 s per message. */
export const EDIT_THROTTLE_MS = 3000;
/** A claim is held this long; a process killed mid-delivery loses it then, and another delivers. */
export const LEASE_MS = 60_000;
/** Backoff of retries: outages start at 1 s, channel / token problems at 30 s (someone has to act). */
export const DEFAULT_BACKOFF = { transientStartMs: 1000, transientCapMs: 5 * 60_000, blockedStartMs: 30_000, blockedCapMs: 15 * 60_000 };
export type Backoff = typeof DEFAULT_BACKOFF;
/** A thread reply waits this long between looks for its parent's ts. */
const PARENT_WAIT_MS = 1000;

export interface DeliveryDeps {
  outbox: SlackOutboxService;
  client: WebClient;
  render(message: ClaimedSlackMessage): Promise<SlackMessage | null>;
  log: Logger;
  /** This process, for leases (host:pid:start). */
  owner: string;
  /** A run's final message reached Slack (the App Home refreshes). */
  onRunFinished?(): void;
  backoff?: Partial<Backoff>;
}

/**
 * Delivers the Slack outbox: wakes on LISTEN/NOTIFY (and on a timer for the next retry or
 * throttled edit — never a busy poll), claims one due message at a time, posts it or edits it
 * to its newest version, and records Slack's answer. Slack errors never reach the sync: they are
 * retried (honouring Retry-After), logged once per channel and cause with the fix, and kept on the
 * message for the App Home.
 */
export class SlackDelivery {
  private listener: Listener | null = null;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private wakeAgain = false;
  private stopped = false;
  private readonly reported = new Set<string>();
  private readonly backoff: Backoff;

  constructor(private readonly deps: DeliveryDeps) {
    this.backoff = { ...DEFAULT_BACKOFF, ...deps.backoff };
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.listener = await this.deps.outbox.subscribe(
      (payload) => {
        if (payload === RUN_FINISHED) this.deps.onRunFinished?.();
        this.wake();
      },
      (error) => this.deps.log.warn({ err: error }, 'Slack outbox listener lost its connection; reconnecting'),
    );
  }

  /** Something may be due: drain now (or right after the drain in progress). */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.wakeAgain = true;
      return;
    }
    this.draining = this.drain()
      .catch((error) => {
        // The database (or our own code) failed, not Slack: look again shortly, so nothing waits
        // for the next notification that may never come.
        this.deps.log.error({ err: error }, 'Slack delivery failed; retrying shortly');
        this.scheduleNext(new Date(Date.now() + this.backoff.transientStartMs));
      })
      .finally(() => {
        this.draining = null;
        if (this.wakeAgain && !this.stopped) {
          this.wakeAgain = false;
          this.wake();
        }
      });
  }

  /** Resolves once nothing is due now (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.listener?.close();
    this.listener = null;
    await this.draining;
  }

  private async drain(): Promise<void> {
    this.wakeAgain = false;
    for (;;) {
      if (this.stopped) return;
      const message = await this.deps.outbox.claim(this.deps.owner, LEASE_MS);
      if (!message) break;
      await this.deliver(message);
    }
    this.scheduleNext(await this.deps.outbox.soonestDue());
  }

  private scheduleNext(at: Date | null): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!at || this.stopped) return;
    this.timer = setTimeout(() => this.wake(), Math.max(50, at.getTime() - Date.now() + 20));
    this.timer.unref();
  }

  private async deliver(message: ClaimedSlackMessage): Promise<void> {
    const { outbox, client, owner } = this.deps;
    let threadTs: string | undefined;
    if (message.threadOfId !== null && !message.ts) {
      const parent = await outbox.parent(message.threadOfId);
      if (parent && !parent.ts && !parent.gaveUp) {
        // Wait for the parent: look again when it is next tried, not every second.
        const waitMs = Math.max(PARENT_WAIT_MS, (parent.nextAttemptAt?.getTime() ?? 0) - Date.now() + 100);
        await outbox.postpone(message.id, owner, waitMs);
        return;
      }
      threadTs = parent?.ts ?? undefined;
    }
    let rendered;
    try {
      rendered = await this.deps.render(message);
    } catch (error) {
      // Reading what to show failed (the database, most likely): try again like an outage.
      this.deps.log.error({ err: error, messageId: message.id, executionId: message.executionId }, 'could not render a Slack message; retrying');
      await outbox.retryLater(message.id, owner, { error: `${UNREACHABLE} (render)`, delayMs: this.backoff.transientStartMs * 2 ** Math.min(message.attempts, 8) });
      return;
    }
    if (!rendered) {
      await outbox.giveUp(message.id, owner, 'nothing_to_show');
      return;
    }
    try {
      const posted = message.ts
        ? await client.chat.update({ channel: message.postedChannel ?? message.channel, ts: message.ts, text: rendered.text, blocks: rendered.blocks })
        : await client.chat.postMessage({
            channel: message.channel,
            text: rendered.text,
            blocks: rendered.blocks,
            thread_ts: threadTs,
            unfurl_links: false,
            unfurl_media: false,
          });
      await outbox.delivered(message.id, owner, {
        version: message.version,
        ts: message.ts ?? String(posted.ts),
        postedChannel: String(posted.channel ?? message.postedChannel ?? message.channel),
        throttleMs: EDIT_THROTTLE_MS,
      });
      for (const key of [...this.reported]) if (key.startsWith(`${message.channel}|`)) this.reported.delete(key);
    } catch (error) {
      await this.failed(message, error);
    }
  }

  private async failed(message: ClaimedSlackMessage, error: unknown): Promise<void> {
    const { outbox, log, owner } = this.deps;
    const failure = classifySlackError(error, message.channel);
    switch (failure.kind) {
      case 'rate_limited':
        await outbox.retryLater(message.id, owner, { error: failure.error, delayMs: failure.retryAfterMs });
        return;
      case 'transient': {
        const delayMs = Math.min(this.backoff.transientCapMs, this.backoff.transientStartMs * 2 ** message.attempts);
        this.reportOnce(message.channel, UNREACHABLE, () => log.warn({ channel: message.channel, error: failure.error }, 'Slack is unreachable: messages are kept and sent when it answers'));
        await outbox.retryLater(message.id, owner, { error: `${UNREACHABLE} (${failure.error})`, delayMs });
        return;
      }
      case 'blocked': {
        if (message.kind === 'run' && !message.ts && typeof message.payload.responseUrl === 'string' && !message.payload.requesterTold) {
          await this.tellRequester(message, failure.error, failure.fix);
          const moved = await outbox.retarget(message.id, owner);
          if (moved) return;
        }
        const delayMs = Math.min(this.backoff.blockedCapMs, this.backoff.blockedStartMs * 2 ** message.attempts);
        this.reportOnce(message.channel, failure.error, () =>
          log.error({ channel: message.channel, error: failure.error }, `Slack refuses messages for ${message.channel} (${failure.error}): ${failure.fix}. They are kept and retried.`),
        );
        await outbox.retryLater(message.id, owner, { error: failure.error, delayMs });
        return;
      }
      case 'message_gone':
        // Someone deleted the message in Slack: post the current state anew.
        await outbox.forgetTs(message.id, owner);
        return;
      case 'rejected':
        log.error({ err: error, channel: message.channel, kind: message.kind, messageId: message.id, executionId: message.executionId }, `Slack refused a message (${failure.error}); not retried`);
        await outbox.giveUp(message.id, owner, failure.error);
        return;
    }
  }

  /**
   * The person who asked for a run in a channel Slack will not let the bot post in is told so,
   * once, through the command's response_url (which needs no membership).
   */
  private async tellRequester(message: ClaimedSlackMessage, error: string, fix: string): Promise<void> {
    await this.deps.outbox.markRequesterTold(message.id);
    const text =
      `:warning: I cannot post the run's progress in this channel (${error}): ${fix}. ` +
      "It goes to the integration's own channel if it has one; `/tether status` shows how it went.";
    await fetch(String(message.payload.responseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
    }).catch((err) => this.deps.log.warn({ err }, 'could not tell the requester through response_url'));
  }

  /** One log line per channel and cause until a message gets through there again. */
  private reportOnce(channel: string, cause: string, report: () => void): void {
    const key = `${channel}|${cause}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    report();
  }
}
