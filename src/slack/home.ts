import type { WebClient } from '@slack/web-api';
import type { Logger } from '../sync/ports.js';
import type { Services } from '../services/services.js';
import type { AdminCheck } from './admins.js';
import { homeView, MAX_HOME_CARDS } from './blocks/index.js';
import type { DeliveryProblem } from './blocks/types.js';
import { fixFor } from './delivery/slack-errors.js';
import { toStatusCards } from './status-cards.js';

/** Republished for people who opened the App Home within this long. */
export const HOME_VIEWERS_WITHIN_MS = 24 * 3600_000;
/** Runs finishing close together republish the Home once, and at most once in this long (views.publish is Tier 4). */
const REFRESH_DEBOUNCE_MS = 2000;
const REFRESH_MIN_INTERVAL_MS = 30_000;
/** views.publish is Tier 4 (~100/min): a refresh publishes for at most this many people. */
const MAX_REFRESH_VIEWERS = 50;

/** Builds and publishes the App Home: one card per integration × domain type, and delivery problems. */
export class HomePublisher {
  private refreshTimer: NodeJS.Timeout | null = null;
  private lastRefreshAt = 0;

  constructor(
    private readonly services: Services,
    private readonly client: WebClient,
    private readonly admins: AdminCheck,
    private readonly log: Logger,
    private readonly minIntervalMs = REFRESH_MIN_INTERVAL_MS,
  ) {}

  async publish(userId: string): Promise<void> {
    const [{ pairs }, health, mutes] = await Promise.all([
      this.services.overview.pairs({ limit: MAX_HOME_CARDS }),
      this.services.health.all({ limit: MAX_HOME_CARDS }).then((result) => result.pairs),
      this.services.alerts.mutes(),
    ]);
    const problems: DeliveryProblem[] = (await this.services.slackOutbox.problems()).map((row) => ({
      channel: row.channel,
      error: row.error,
      fix: fixFor(row.error, row.channel),
      since: row.since,
    }));
    const view = homeView({
      cards: toStatusCards(pairs, health),
      mutes: mutes.map((mute) => ({ integrationKey: mute.integrationKey, until: mute.until, untilResolved: mute.untilResolved, mutedBy: mute.mutedBy.replace(/^slack:/, '') })),
      deliveryProblems: problems,
      generatedAt: new Date(),
      viewerIsAdmin: await this.admins.isAdmin(userId),
    });
    await this.client.views.publish({ user_id: userId, view });
  }

  /** Someone opened the Home: remember them (their Home is refreshed after runs for a day) and publish it. */
  async opened(userId: string): Promise<void> {
    await this.services.slackOutbox.recordHomeViewer(userId, new Date());
    await this.publish(userId);
  }

  /** After runs end: republish for recent viewers, once for a burst of runs. */
  refreshSoon(): void {
    if (this.refreshTimer) return;
    const wait = Math.max(REFRESH_DEBOUNCE_MS, this.lastRefreshAt + this.minIntervalMs - Date.now());
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      this.lastRefreshAt = Date.now();
      void this.refresh().catch((error) => this.log.warn({ err: error }, 'App Home refresh failed'));
    }, wait);
    this.refreshTimer.unref();
  }

  private async refresh(): Promise<void> {
    const viewers = await this.services.slackOutbox.homeViewersSince(new Date(Date.now() - HOME_VIEWERS_WITHIN_MS));
    for (const userId of viewers.slice(0, MAX_REFRESH_VIEWERS)) {
      await this.publish(userId).catch((error) => this.log.warn({ err: error, userId }, 'App Home publish failed'));
    }
  }

  stop(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
  }
}
