import pino from 'pino';
import type { Config } from './config/config.js';
import type { Logger } from './sync/ports.js';

/** Structured logs on stderr (stdout stays clean for tables and --json). Secrets are redacted. */
export function createLogger(level: Config['logLevel']): Logger & pino.Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['credentials', '*.credentials', 'token', '*.token', 'password', '*.password', 'authorization', '*.authorization', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}
