/**
 * The container's HEALTHCHECK: exits 0 when /healthz on PORT answers 200, else 1 with the reason
 * on stderr (`docker inspect` shows it). Node only: the slim image has no curl.
 */
import { readPort } from '../config/config.js';

const TIMEOUT_MS = 4_000;

try {
  const response = await fetch(`http://127.0.0.1:${readPort(process.env)}/healthz`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const body = await response.text();
  if (response.status !== 200) {
    process.stderr.write(`unhealthy (${response.status}): ${body}\n`);
    process.exit(1);
  }
  process.stdout.write(`healthy: ${body}\n`);
} catch (error) {
  process.stderr.write(`no answer from /healthz: ${(error as Error).message}\n`);
  process.exit(1);
}
