import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../sync/ports.js';
import { checkHealth, type HealthDeps } from './health-check.js';
import type { Metrics } from './metrics.js';

export const HEALTHZ_PATH = '/healthz';
export const METRICS_PATH = '/metrics';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface OpsRoutes {
  healthz: Handler;
  metrics: Handler;
  /** The same two, as Bolt's `customRoutes` (HTTP mode serves them on Slack's port). */
  customRoutes: { path: string; method: string[]; handler: (req: IncomingMessage, res: ServerResponse) => void }[];
}

export function opsRoutes(health: HealthDeps, metrics: Metrics, log: Logger): OpsRoutes {
  const guard = (name: string, handler: Handler): Handler => async (req, res) => {
    try {
      await handler(req, res);
    } catch (error) {
      log.error({ err: error, path: name }, 'operations endpoint failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    }
  };
  const healthz = guard(HEALTHZ_PATH, async (_req, res) => {
    const report = await checkHealth(health);
    res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(report));
  });
  const metricsRoute = guard(METRICS_PATH, async (_req, res) => {
    const text = await metrics.render();
    res.writeHead(200, { 'content-type': metrics.contentType });
    res.end(text);
  });
  return {
    healthz,
    metrics: metricsRoute,
    customRoutes: [
      { path: HEALTHZ_PATH, method: ['GET', 'HEAD'], handler: (req, res) => void healthz(req, res) },
      { path: METRICS_PATH, method: ['GET'], handler: (req, res) => void metricsRoute(req, res) },
    ],
  };
}

/** A small HTTP server for /healthz and /metrics where Bolt serves none (Socket Mode, worker role). */
export async function startOpsServer(routes: OpsRoutes, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === HEALTHZ_PATH && (req.method === 'GET' || req.method === 'HEAD')) return void routes.healthz(req, res);
    if (path === METRICS_PATH && req.method === 'GET') return void routes.metrics(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`not found: ${HEALTHZ_PATH} and ${METRICS_PATH} are served here\n`);
  });
  // Health checks arrive every few seconds: no lingering keep-alive sockets to wait for at shutdown.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** Closes the server, dropping idle keep-alive connections at once. */
export async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
