import { readFile } from 'node:fs/promises';
import { CronExpressionParser } from 'cron-parser';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { DOMAIN_TYPES } from '../domain/domain-types.js';
import { NOTIFY_POLICIES, type NotifyPolicy } from '../domain/notify.js';
import { InvalidInput } from '../domain/refusals.js';

/** One integration as declared in an integrations YAML file (see README, "Integrations file"). */
export interface IntegrationSpec {
  key: string;
  name: string;
  connector: string;
  domains: (typeof DOMAIN_TYPES)[number][];
  config: Record<string, unknown>;
  credentials: Record<string, string>;
  schedule: { cron: string; timezone: string } | null;
  enabled: boolean;
  dryRun: boolean;
  matchSkuCodes: boolean;
  slackChannel: string | null;
  /** When its Slack channel hears about runs: every run, runs with problems (partial / failed / interrupted), or never. */
  notify: NotifyPolicy;
}

export class SpecError extends InvalidInput {
  override name = 'SpecError';
}

export function isValidTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Why a cron expression is not usable, or null when it is. */
export function cronProblem(cron: string, timezone: string): string | null {
  if (!isValidTimezone(timezone)) return `unknown timezone "${timezone}" (use an IANA name like Europe/Berlin)`;
  if (cron.trim().split(/\s+/).length < 5) return `cron "${cron}" needs 5 fields (minute hour day-of-month month day-of-week)`;
  try {
    CronExpressionParser.parse(cron, { tz: timezone });
    return null;
  } catch (error) {
    return `invalid cron "${cron}": ${(error as Error).message}`;
  }
}

const specSchema = z
  .object({
    key: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be a slug: lowercase letters, digits and dashes (max 63)' }),
    name: z.string().min(1).max(255),
    connector: z.string().min(1),
    domains: z.array(z.enum(DOMAIN_TYPES)).min(1, { error: 'must list at least one domain type' }),
    config: z.record(z.string(), z.unknown()).default({}),
    credentials: z.record(z.string(), z.string()).default({}),
    schedule: z
      .object({ cron: z.string().min(1), timezone: z.string().default('UTC') })
      .strict()
      .superRefine((value, ctx) => {
        const problem = cronProblem(value.cron, value.timezone);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .nullable()
      .default(null),
    enabled: z.boolean().default(true),
    dry_run: z.boolean().default(false),
    match_sku_codes: z.boolean().default(false),
    slack_channel: z.string().min(1).nullable().default(null),
    notify: z
      .enum(NOTIFY_POLICIES, { error: 'must be one of always, problems, never (problems = partial, failed or interrupted runs)' })
      .default('problems'),
  })
  .strict();

/** `${NAME}` inside credential values is replaced by that environment variable. */
function substituteEnv(value: string, env: NodeJS.ProcessEnv, where: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
    const found = env[name];
    if (found === undefined || found === '') throw new SpecError(`${where} uses \${${name}}, but the environment variable ${name} is not set`);
    return found;
  });
}

export function parseIntegrationsYaml(source: string, env: NodeJS.ProcessEnv, fileName = 'integrations file'): IntegrationSpec[] {
  let document: unknown;
  try {
    document = parseYaml(source);
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
    throw new SpecError(`${fileName} is not valid YAML: ${detail}`);
  }
  if (!Array.isArray(document)) throw new SpecError(`${fileName} must be a YAML list of integrations (each starting with "- key: ...")`);
  const specs = document.map((entry, index) => {
    const label = `${fileName}, integration ${index + 1}${entry && typeof entry === 'object' && 'key' in entry ? ` ("${String(entry.key)}")` : ''}`;
    const result = specSchema.safeParse(entry);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const field = issue.path.length ? issue.path.join('.') : 'entry';
      throw new SpecError(`${label}: ${field} ${issue.message}`);
    }
    const spec = result.data;
    const credentials = Object.fromEntries(
      Object.entries(spec.credentials).map(([name, value]) => [name, substituteEnv(value, env, `${label}: credentials.${name}`)]),
    );
    return {
      key: spec.key,
      name: spec.name,
      connector: spec.connector,
      domains: [...new Set(spec.domains)],
      config: spec.config,
      credentials,
      schedule: spec.schedule,
      enabled: spec.enabled,
      dryRun: spec.dry_run,
      matchSkuCodes: spec.match_sku_codes,
      slackChannel: spec.slack_channel,
      notify: spec.notify,
    } satisfies IntegrationSpec;
  });
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.key)) throw new SpecError(`${fileName}: key "${spec.key}" is declared twice`);
    seen.add(spec.key);
  }
  return specs;
}

export async function readIntegrationsFile(path: string, env: NodeJS.ProcessEnv): Promise<IntegrationSpec[]> {
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (error) {
    throw new SpecError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  return parseIntegrationsYaml(source, env, path);
}
