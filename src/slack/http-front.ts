import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../sync/ports.js';
import type { EarlyAck } from './early-ack.js';
import type { FrontMessage, FrontWorkerData, SlackAck } from './http-front.worker.js';

export type { SlackAck } from './http-front.worker.js';

export interface HttpFront {
  /** Where the front listens (PORT): what Slack and load balancers reach. */
  address: AddressInfo;
  /** Stops accepting, lets requests in flight finish (up to `graceMs`), ends the thread. */
  stop(graceMs?: number): Promise<void>;
}

export interface HttpFrontOptions {
  port: number;
  host?: string;
  /** The bot's own HTTP server (Bolt's HTTPReceiver) on loopback. */
  upstream: { host: string; port: number };
  /** Upstream connections kept open ahead of need; a burst larger than this waits for accepts. */
  spareConnections?: number;
  /** Ack slash commands the bot has not acked by this deadline (null: never; see early-ack.ts). */
  earlyAck?: EarlyAck | null;
  /** How each Slack request was answered, once the answer has left (how long, and whether the bot or the front wrote it). */
  onAck?: (ack: SlackAck) => void;
  /** Give onAck each request's signature too (benchmarks match records by it; production has no use for it). */
  ackSignatures?: boolean;
  log: Logger;
}

const DEFAULT_SPARE_CONNECTIONS = 64;

/**
 * Starts the HTTP front in a worker thread: it listens on `port` and forwards every request
 * (status, headers and body byte for byte, both ways) to `upstream`. Rejects like a server would
 * (e.g. `code: 'EADDRINUSE'`) when it cannot listen.
 */
export async function startHttpFront(options: HttpFrontOptions): Promise<HttpFront> {
  const front: FrontWorkerData = {
    listen: { port: options.port, ...(options.host ? { host: options.host } : {}) },
    upstream: options.upstream,
    spareConnections: options.spareConnections ?? DEFAULT_SPARE_CONNECTIONS,
    earlyAck: options.earlyAck ?? null,
    acks: options.onAck ? { signatures: options.ackSignatures ?? false } : null,
  };
  const worker = startWorker({ front });
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`the HTTP front stopped while starting (exit code ${code})`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.on('message', (message: FrontMessage) => {
      if (message.type === 'listening') {
        worker.off('error', reject);
        worker.off('exit', onExit);
        resolve(message.address);
      } else if (message.type === 'failed') {
        reject(Object.assign(new Error(`the HTTP front cannot listen on port ${options.port}: ${message.message}`), { code: message.code }));
      }
    });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  let stopped = false;
  worker.on('error', (error) => options.log.error({ err: error }, 'the HTTP front failed: Slack requests are not reaching the bot'));
  worker.on('message', (message: FrontMessage) => {
    if (message.type === 'warn') options.log.warn({}, message.message);
    else if (message.type === 'ack') {
      try {
        options.onAck?.(message.ack);
      } catch (error) {
        options.log.warn({ err: error }, 'recording a Slack ack failed');
      }
    }
  });
  worker.on('exit', (code) => {
    if (!stopped) options.log.error({ code }, 'the HTTP front stopped unexpectedly: Slack requests are not reaching the bot');
  });
  return {
    address,
    async stop(graceMs = 2000) {
      if (stopped) return;
      stopped = true;
      const done = new Promise<void>((resolve) => worker.on('message', (message: FrontMessage) => message.type === 'stopped' && resolve()));
      worker.postMessage({ type: 'stop', graceMs });
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, graceMs + 1000).unref())]);
      await worker.terminate();
    },
  };
}

/**
 * The worker runs the compiled .js next to this file; from TypeScript sources (tsx, vitest) it
 * registers tsx in the thread first, as a worker does not inherit the main thread's loader.
 */
function startWorker(workerData: { front: FrontWorkerData }): Worker {
  const self = new URL(import.meta.url);
  if (!self.pathname.endsWith('.ts')) return new Worker(new URL('./http-front.worker.js', self), { workerData });
  // require.resolve finds the CommonJS build; the thread needs its ES module twin.
  const tsx = pathToFileURL(createRequire(self).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./http-front.worker.ts', self).href;
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
