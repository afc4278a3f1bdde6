/**
 * The HTTP front's thread (started by http-front.ts): owns the public listening socket, accepts
 * connections on its own idle event loop, and forwards every request unchanged to the bot's
 * internal HTTP server over kept-alive loopback connections. The main thread's event loop may be
 * busy with a sync for 100+ ms a pass and accepts only one new connection per pass; requests on
 * connections it already holds are all read in the next pass.
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { createConnection, type AddressInfo, type Socket } from 'node:net';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { lateAckMessage, slackSignatureValid, slashCommandResponseUrl, type EarlyAck } from './early-ack.js';

export interface FrontWorkerData {
  listen: { port: number; host?: string };
  upstream: { host: string; port: number };
  /** Connections to the upstream opened ahead of need (accepted while the main thread is idle). */
  spareConnections: number;
  /** Slash commands the bot has not acked by the deadline are acked here (see early-ack.ts). */
  earlyAck: EarlyAck | null;
  /** Report each Slack request's SlackAck to the main thread (null: none); `signatures`: with its signature. */
  acks: { signatures: boolean } | null;
}

/** One Slack request's ack as the front saw it: from its arrival at the front to the answer's last byte sent. */
export interface SlackAck {
  /** Who answered: the bot (Bolt, through the front), the front itself (early ack), or nobody (the client hung up first). */
  by: 'bot' | 'front' | 'none';
  /** When the request arrived at the front (ms since the epoch, fractional: comparable across threads and processes). */
  arrivedAt: number;
  /** Arrival → the answer sent (or → the client hanging up, when `by` is 'none'). */
  ms: number;
  /** The answer's HTTP status (a 401 is Bolt refusing a bad signature, a 502 the front finding no bot); 0 when none. */
  status: number;
  /** The request's x-slack-signature, only when asked for (`acks.signatures`: benchmarks match records by it); else null. */
  signature: string | null;
}

export type FrontMessage =
  | { type: 'listening'; address: AddressInfo }
  | { type: 'ack'; ack: SlackAck }
  | { type: 'failed'; code: string | null; message: string }
  | { type: 'stopped' }
  | { type: 'warn'; message: string };

/** Per-connection headers: they describe one hop, not the request (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function endToEnd(rawHeaders: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!HOP_BY_HOP.has(rawHeaders[i]!.toLowerCase())) out.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return out;
}

/**
 * A keep-alive agent that hands out connections opened ahead of time. A new connection to the
 * main thread waits for a pass of its event loop to be accepted (one per pass); a spare one was
 * accepted while it was idle, so a burst of requests never waits for accepts.
 */
class SpareConnectionsAgent extends Agent {
  private readonly spares: Socket[] = [];
  private opening = 0;
  private closed = false;
  private failures = 0;

  constructor(
    private readonly upstream: { host: string; port: number },
    private readonly target: number,
  ) {
    super({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: Math.max(64, target * 2) });
    this.refill();
  }

  override createConnection(): Socket {
    const spare = this.spares.shift();
    setImmediate(() => this.refill());
    if (!spare) return createConnection(this.upstream);
    spare.removeAllListeners('close');
    spare.removeAllListeners('error');
    return spare;
  }

  override destroy(): void {
    this.closed = true;
    for (const spare of this.spares.splice(0)) spare.destroy();
    super.destroy();
  }

  private refill(): void {
    while (!this.closed && this.spares.length + this.opening < this.target) {
      this.opening += 1;
      const socket = createConnection(this.upstream);
      socket.setNoDelay(true);
      socket.once('connect', () => {
        this.opening -= 1;
        this.failures = 0;
        if (this.closed) socket.destroy();
        else this.spares.push(socket);
      });
      socket.once('error', () => {
        if (socket.connecting) this.opening -= 1;
        this.failures += 1;
      });
      // A spare closed by the other side is replaced, after a pause when connecting fails.
      socket.once('close', () => {
        const at = this.spares.indexOf(socket);
        if (at >= 0) this.spares.splice(at, 1);
        if (!this.closed) setTimeout(() => this.refill(), Math.min(5000, 50 * 2 ** this.failures)).unref();
      });
    }
  }
}

const hasBody = (req: IncomingMessage) => (req.headers['content-length'] ?? '0') !== '0' || req.headers['transfer-encoding'] !== undefined;

function forward(agent: Agent, upstream: { host: string; port: number }, req: IncomingMessage, res: ServerResponse): void {
  const headers = endToEnd(req.rawHeaders);
  const forwardedFor = req.socket.remoteAddress;
  if (forwardedFor) headers.push('x-forwarded-for', forwardedFor);
  const out = request({ ...upstream, agent, method: req.method, path: req.url, headers, setHost: false });
  out.on('response', (answer) => {
    // A refusal may come before the server read the body (Bolt's 413 over its body limit leaves the
    // rest unread): that connection would hang the next request sent on it, so it is not reused.
    if ((answer.statusCode ?? 500) >= 400 && hasBody(req)) out.shouldKeepAlive = false;
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders));
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  out.on('error', () => {
    if (res.headersSent) res.destroy();
    else if (!res.writableEnded) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('the bot is not answering');
    }
  });
  // The client gave up before the answer: give up upstream too (the connection is then replaced).
  res.on('close', () => {
    if (!res.writableFinished) out.destroy();
  });
  req.on('close', () => {
    if (!req.complete) out.destroy();
  });
  req.pipe(out);
}

/** Slack's requests: to the events path (Bolt's default endpoint). */
const isSlackRequest = (req: IncomingMessage) => req.method === 'POST' && (req.url ?? '').startsWith('/slack/events');

/** Slack's form-encoded requests to the events path: slash commands (and interactions, not acked early). */
const mayBeCommand = (req: IncomingMessage) => isSlackRequest(req) && (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');

/** Command bodies are small; a larger one is forwarded as it comes, with no early ack. */
const MAX_COMMAND_BODY = 64 * 1024;

/**
 * A possible slash command: its body is read here, then sent on. If the bot has not answered
 * within the deadline and the request is a correctly signed slash command, the front acks it (an
 * empty 200) and posts the bot's later ack body, if any, to the command's response_url.
 */
function forwardCommand(agent: Agent, upstream: { host: string; port: number }, req: IncomingMessage, res: ServerResponse, early: EarlyAck, port: MessagePort): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
  });
  req.on('error', () => res.destroy());
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const headers = endToEnd(req.rawHeaders);
    const forwardedFor = req.socket.remoteAddress;
    if (forwardedFor) headers.push('x-forwarded-for', forwardedFor);
    const out = request({ ...upstream, agent, method: req.method, path: req.url, headers, setHost: false });
    let responseUrl: string | null = null;
    const timer =
      size <= MAX_COMMAND_BODY
        ? setTimeout(() => {
            if (res.headersSent) return;
            const url = slashCommandResponseUrl(req.headers['content-type'], body);
            const signed = slackSignatureValid(early.signingSecret, header(req, 'x-slack-request-timestamp'), header(req, 'x-slack-signature'), body);
            if (!url || !signed) return; // not ours to answer: Bolt answers (401 for a bad signature)
            responseUrl = url;
            ackedHere.add(res);
            res.writeHead(200, { 'content-length': '0' });
            res.end();
          }, early.deadlineMs)
        : null;
    out.on('response', (answer) => {
      if (timer) clearTimeout(timer);
      if (responseUrl) {
        postLateAck(answer, responseUrl, port);
        return;
      }
      if ((answer.statusCode ?? 500) >= 400) out.shouldKeepAlive = false;
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders));
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    out.on('error', () => {
      if (timer) clearTimeout(timer);
      if (responseUrl) port.postMessage({ type: 'warn', message: 'a slash command acked by the HTTP front never reached the bot' } satisfies FrontMessage);
      else if (res.headersSent) res.destroy();
      else if (!res.writableEnded) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('the bot is not answering');
      }
    });
    res.on('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    out.end(body);
  });
}

/** Responses the front wrote itself (early acks). */
const ackedHere = new WeakSet<ServerResponse>();

/** Reports how a Slack request was answered, once its response is over (sent, or abandoned by the client). */
function timeAck(req: IncomingMessage, res: ServerResponse, port: MessagePort, withSignature: boolean): void {
  const start = performance.now();
  let sentAt: number | null = null;
  res.once('finish', () => (sentAt = performance.now()));
  res.once('close', () => {
    const by = sentAt === null ? 'none' : ackedHere.has(res) ? 'front' : 'bot';
    const ack: SlackAck = {
      by,
      arrivedAt: performance.timeOrigin + start,
      ms: (sentAt ?? performance.now()) - start,
      status: sentAt === null ? 0 : res.statusCode,
      signature: withSignature ? (header(req, 'x-slack-signature') ?? null) : null,
    };
    port.postMessage({ type: 'ack', ack } satisfies FrontMessage);
  });
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The bot's ack of a command the front already acked: its body goes to the response_url. */
function postLateAck(answer: IncomingMessage, responseUrl: string, port: MessagePort): void {
  const parts: Buffer[] = [];
  answer.on('data', (chunk: Buffer) => parts.push(chunk));
  answer.on('end', () => {
    if (answer.statusCode !== 200) {
      port.postMessage({ type: 'warn', message: `the bot answered ${answer.statusCode} to a slash command the HTTP front had acked` } satisfies FrontMessage);
      return;
    }
    const message = lateAckMessage(answer.headers['content-type'], Buffer.concat(parts));
    if (!message) return;
    fetch(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message), signal: AbortSignal.timeout(10_000) })
      .then((posted) => {
        if (!posted.ok) port.postMessage({ type: 'warn', message: `a late slash-command answer was refused by its response_url (HTTP ${posted.status})` } satisfies FrontMessage);
      })
      .catch((error: Error) => port.postMessage({ type: 'warn', message: `a late slash-command answer could not be posted: ${error.message}` } satisfies FrontMessage));
  });
}

function run(data: FrontWorkerData): void {
  const port = parentPort!;
  const agent = new SpareConnectionsAgent(data.upstream, data.spareConnections);
  const early = data.earlyAck;
  const server = createServer((req, res) => {
    if (data.acks && isSlackRequest(req)) timeAck(req, res, port, data.acks.signatures);
    if (early && mayBeCommand(req)) forwardCommand(agent, data.upstream, req, res, early, port);
    else forward(agent, data.upstream, req, res);
  });
  server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeouts
  server.on('error', (error: NodeJS.ErrnoException) => port.postMessage({ type: 'failed', code: error.code ?? null, message: error.message } satisfies FrontMessage));
  server.on('clientError', (_error, socket) => socket.destroy());
  server.listen(data.listen, () => port.postMessage({ type: 'listening', address: server.address() as AddressInfo } satisfies FrontMessage));
  port.on('message', (message: { type: 'stop'; graceMs: number }) => {
    if (message.type !== 'stop') return;
    // Idle connections close now; requests in flight get `graceMs` to finish.
    server.close(() => {
      agent.destroy();
      port.postMessage({ type: 'stopped' } satisfies FrontMessage);
      port.close();
    });
    setTimeout(() => server.closeAllConnections(), message.graceMs).unref();
  });
}

if (parentPort && workerData?.front) run(workerData.front as FrontWorkerData);
