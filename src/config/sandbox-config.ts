import { z } from 'zod';
import { ConfigError } from './config.js';

/** `npm run demo`'s local Slack sandbox (SANDBOX_*). */
export interface SandboxConfig {
  /** Port of the sandbox page and its Slack Web API (SANDBOX_PORT, default 3000; 0 = any free port). */
  port: number;
  /** Interface it listens on (SANDBOX_HOST, default 127.0.0.1: only this machine). */
  host: string;
}

/** Real Slack settings: when any is set the sandbox does not start (it would stand in for a real workspace). */
export const REAL_SLACK_VARIABLES = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_API_URL'] as const;

const sandboxEnv = z.object({
  SANDBOX_PORT: z.coerce.number({ error: 'must be a port number (0-65535)' }).int({ error: 'must be a port number (0-65535)' }).min(0).max(65535).default(3000),
  SANDBOX_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:-]+$/, { message: 'must be a host name or IP address to listen on, e.g. 127.0.0.1' })
    .default('127.0.0.1'),
});

/** Reads SANDBOX_*; refuses when real Slack settings are present, naming them (never their values). */
export function loadSandboxConfig(env: NodeJS.ProcessEnv): SandboxConfig {
  const real = REAL_SLACK_VARIABLES.filter((name) => env[name] !== undefined && env[name] !== '');
  if (real.length) {
    throw new ConfigError(
      `The local Slack sandbox does not start while real Slack settings are configured (${real.join(', ')}): it would stand in for your workspace. ` +
        'Unset them to try the demo (`npm run demo`), use `npm run demo -- --once` for the printed demo, or run the real bot with `npm start`.',
    );
  }
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = sandboxEnv.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return { port: parsed.data.SANDBOX_PORT, host: parsed.data.SANDBOX_HOST };
}
