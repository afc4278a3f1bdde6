import pino from 'pino';
import type { Config } from './config/config.js';
import type { Logger } from './sync/ports.js';

/** Field names whose values never reach a log line, at the top level and one level down. */
export const REDACTED_FIELDS = ['credentials', 'token', 'password', 'authorization'] as const;

/**
 * Structured logs on stderr (stdout stays clean for tables and --json). Secrets are redacted.
 * `destination` is for tests that read the JSON lines the real logger writes.
 */
export function createLogger(level: Config['logLevel'], destination: pino.DestinationStream = pino.destination(2)): Logger & pino.Logger {
  return pino(
    {
      level,
      redact: {
        paths: [...REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`]), 'headers.authorization', '*.headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
