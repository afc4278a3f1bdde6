import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { EVENTS } from '../ids.js';

/** The App Home tab is published when someone opens it (and refreshed after runs for a day). */
export function registerAppHome(app: App, ctx: SlackContext): void {
  app.event(EVENTS.appHomeOpened, async ({ event }) => {
    if (event.tab !== 'home') return;
    await ctx.home.opened(event.user).catch((error) => ctx.log.warn({ err: error, user: event.user }, 'App Home publish failed'));
  });
}
