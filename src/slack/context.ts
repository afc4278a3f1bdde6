import type { Integration } from '../db/entities/index.js';
import type { Services } from '../services/services.js';
import type { Logger } from '../sync/ports.js';
import type { AdminCheck } from './admins.js';
import type { IntegrationSummary } from './blocks/types.js';
import type { HomePublisher } from './home.js';

/** What every Slack handler gets: the services (never the database), the admin check, the Home publisher. */
export interface SlackContext {
  services: Services;
  log: Logger;
  admins: AdminCheck;
  home: HomePublisher;
}

/** An integration as Slack shows it: never its credentials. */
export const summarize = (integration: Integration): IntegrationSummary => ({
  key: integration.key,
  name: integration.name,
  domains: integration.domains,
  enabled: integration.enabled,
  dryRun: integration.dryRun,
  slackChannel: integration.slackChannel ?? null,
});

/** Who did it, for the audit log: the Slack user. */
export const slackActor = (userId: string): string => `slack:${userId}`;
