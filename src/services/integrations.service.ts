import type { IntegrationSpec } from '../config/integrations-file.js';
import type { Integration } from '../db/entities/index.js';
import { checkSpecsAgainstConnectors, type ApplyResult, type IntegrationsRepository } from '../db/integrations.repository.js';
import type { ConnectorRegistry } from '../sync/connectors/connector.js';
import type { IntegrationLookup } from './integration-lookup.js';
import type { SchedulerAccess } from './scheduler-access.js';

export interface ApplyOutcome extends ApplyResult {
  /** True when nothing was written: the outcome is the plan. */
  dryRun: boolean;
  /** "key/domain" pairs with a repeating schedule after the apply (unchanged in a dry run). */
  schedules: string[];
}

/** Integrations: look them up, list them, and make them match an integrations file. */
export class IntegrationService {
  constructor(
    readonly lookup: IntegrationLookup,
    private readonly repository: IntegrationsRepository,
    private readonly connectors: ConnectorRegistry,
    private readonly scheduler: SchedulerAccess,
  ) {}

  list(): Promise<Integration[]> {
    return this.repository.list();
  }

  get(key: string): Promise<Integration> {
    return this.lookup.require(key);
  }

  /**
   * The apply pipeline: check every spec against its connector, create / update / disable the
   * integrations to match (all or nothing, audited), then make the schedules match. A dry run
   * only reports the plan.
   */
  async apply(
    specs: IntegrationSpec[],
    options: { actor: string; dryRun?: boolean; replaceUnreadableCredentials?: boolean },
  ): Promise<ApplyOutcome> {
    checkSpecsAgainstConnectors(specs, this.connectors);
    const dryRun = options.dryRun === true;
    const result = await this.repository.apply(specs, options.actor, { dryRun, replaceUnreadableCredentials: options.replaceUnreadableCredentials });
    // A dry run shows the schedules the file would make; a real one makes them.
    const schedules = dryRun
      ? specs.filter((spec) => spec.enabled && spec.schedule).flatMap((spec) => spec.domains.map((domain) => `${spec.key}/${domain}`)).sort()
      : (await (await this.scheduler.get()).reconcile()).scheduled;
    return { ...result, dryRun, schedules };
  }
}
