import type { DomainType } from '../domain/domain-types.js';
import type { ExecutionsRepository } from '../db/executions.repository.js';
import type { IntegrationsRepository, RekeyResult } from '../db/integrations.repository.js';
import type { IntegrationLookup } from './integration-lookup.js';

/** Admin actions: each one checked, audited with the actor, and refused while it would do harm. */
export class AdminService {
  constructor(
    private readonly lookup: IntegrationLookup,
    private readonly executions: ExecutionsRepository,
    private readonly integrations: IntegrationsRepository,
  ) {}

  /**
   * Seals every integration's credentials again with the current key (opening them with the
   * previous keys): all or nothing, idempotent, audited with counts and key ids only.
   */
  rekeyCredentials(actor: string): Promise<RekeyResult> {
    return this.integrations.rekeyCredentials(actor);
  }

  /**
   * Empties the sync state (cursor and kept problem records) of one domain type, or all of the
   * integration's, so the next run is a full re-sync. Refused while a run of it is going.
   */
  async reset(
    integrationKey: string,
    options: {
      domainType?: string | null;
      actor: string;
      /** Where to announce it when the integration has no Slack channel of its own (the channel it was asked in). */
      fallbackChannel?: string | null;
      /** The Slack user who asked, for the announcement. */
      slackUser?: string | null;
    },
  ): Promise<{ integrationKey: string; domains: DomainType[]; announcedIn: string | null }> {
    const integration = await this.lookup.require(integrationKey);
    const domains = this.lookup.domainsToRun(integration, options.domainType);
    const channel = integration.slackChannel ?? options.fallbackChannel ?? null;
    const payload = {
      type: 'reset',
      integrationKey: integration.key,
      integrationName: integration.name,
      domains,
      actor: options.actor,
      slackUser: options.slackUser ?? null,
      at: new Date().toISOString(),
    };
    await this.executions.reset(integration.id, domains, options.actor, integration.key, channel ? { channel, payload } : null);
    return { integrationKey: integration.key, domains, announcedIn: channel };
  }
}
