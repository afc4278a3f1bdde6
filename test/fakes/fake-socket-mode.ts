import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { FakeSlack } from './fake-slack.js';

/**
 * Stands in for Slack's Socket Mode so the real `@slack/socket-mode` client inside Bolt connects to
 * it: it answers `apps.connections.open` (app-level `xapp-` token as Bearer) with a one-time
 * `ws://127.0.0.1:PORT/link/?ticket=…` URL, accepts the WebSocket, says `hello`, and lets a test
 * send envelopes and wait for the app's ack.
 *
 * It lives on a FakeSlack's HTTP server, so ONE `slackApiUrl` serves both the Web API and Socket
 * Mode (Bolt's App passes its `clientOptions` to the socket-mode client too):
 *
 *   const slack = new FakeSlack();
 *   const socket = new FakeSocketMode({ slack });
 *   const slackApiUrl = await slack.start();
 *   const app = new App({ socketMode: true, appToken: 'xapp-1-test', token: 'xoxb-test', botId: slack.botId,
 *     botUserId: slack.botUserId, tokenVerificationEnabled: false, clientOptions: { slackApiUrl } });
 *   await app.start();                      // resolves after hello
 *   const { ack } = await socket.send('slash_commands', buildCommand(slack, 'help').fields);
 *
 * Without `slack` it makes a private FakeSlack (start() then returns its URL).
 */

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketConnection {
  id: string;
  appToken: string;
  openedAt: Date;
  closedAt?: Date;
  open: boolean;
}

export interface Envelope {
  envelopeId: string;
  type: EnvelopeType | (string & {});
  payload: unknown;
  connectionId: string;
  sentAt: Date;
  acceptsResponsePayload: boolean;
  /** What the app sent back: `{ envelope_id, payload? }` minus the id. */
  ack?: { payload?: unknown };
  ackedInMs?: number;
}

export interface SendOptions {
  /** Send on this connection (default: the open connections take turns, as Slack spreads envelopes). */
  connection?: SocketConnection | string;
  /** Give up waiting for a connection and for the ack after this long (default 10 s). */
  timeoutMs?: number;
  acceptsResponsePayload?: boolean;
  retryAttempt?: number;
  retryReason?: string;
}

export interface SendResult {
  envelopeId: string;
  ack: { payload?: unknown };
  ackedInMs: number;
  connection: SocketConnection;
}

export interface FakeSocketModeOptions {
  /** Mount on this FakeSlack (one server, one slackApiUrl). Default: a private FakeSlack. */
  slack?: FakeSlack;
  /** When set, apps.connections.open refuses any other app token with invalid_auth. */
  appToken?: string;
}

interface Live {
  connection: SocketConnection;
  ws: WebSocket;
  pending: Map<string, { resolve: (ack: { payload?: unknown }) => void; reject: (error: Error) => void }>;
}

export class FakeSocketMode {
  readonly slack: FakeSlack;
  /** Every connection ever made (closed ones have open: false). */
  readonly connections: SocketConnection[] = [];
  readonly envelopes: Envelope[] = [];
  private readonly ownsSlack: boolean;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Map<string, string>();
  private readonly live = new Map<string, Live>();
  private readonly events = new EventEmitter();
  private turn = 0;

  constructor(private readonly options: FakeSocketModeOptions = {}) {
    this.ownsSlack = !options.slack;
    this.slack = options.slack ?? new FakeSlack();
    this.events.setMaxListeners(100);
    this.slack.mountMethod('apps.connections.open', ({ token }) => this.open(token), { appToken: true });
    this.slack.mountUpgrade((req, socket, head) => this.upgrade(req, socket, head));
  }

  /** The slackApiUrl serving apps.connections.open (the FakeSlack's). Starts the private FakeSlack if there is one. */
  async start(): Promise<string> {
    if (this.ownsSlack) return this.slack.start();
    return this.slack.url;
  }

  /** Gives connections already closing (the app stopped first) half a second to finish, then drops the rest. */
  async stop(): Promise<void> {
    const deadline = Date.now() + 500;
    while (this.live.size > 0 && Date.now() < deadline) await this.once('close', deadline - Date.now());
    for (const live of this.live.values()) live.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    if (this.ownsSlack) await this.slack.stop();
  }

  get url(): string {
    return this.slack.url;
  }

  openConnections(): SocketConnection[] {
    return this.connections.filter((connection) => connection.open);
  }

  /** Resolves once at least `count` connections are open (the app said hello back by connecting). */
  async waitForConnections(count = 1, timeoutMs = 10_000): Promise<SocketConnection[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.openConnections().length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} open Socket Mode connection(s), have ${this.openConnections().length}`);
      await this.once('connection', left);
    }
    return this.openConnections();
  }

  /** Resolves once no connection is open (e.g. after app.stop(), which does not wait for its socket to close). */
  async waitForAllClosed(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.live.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.live.size} Socket Mode connection(s) still open after ${timeoutMs} ms`);
      await this.once('close', left);
    }
  }

  /**
   * Sends an envelope like Slack does and resolves with the app's ack. The payload is what Slack
   * puts in `payload`: the slash command fields, the interactive payload (block_actions,
   * view_submission, …) or the Events API `event_callback` body.
   */
  async send(type: EnvelopeType | (string & {}), payload: unknown, options: SendOptions = {}): Promise<SendResult> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const started = Date.now();
    const live = await this.pick(options.connection, timeoutMs);
    const envelopeId = randomUUID();
    const acceptsResponsePayload = options.acceptsResponsePayload ?? acceptsPayload(type, payload);
    const envelope: Envelope = {
      envelopeId,
      type,
      payload,
      connectionId: live.connection.id,
      sentAt: new Date(),
      acceptsResponsePayload,
    };
    this.envelopes.push(envelope);
    const message = {
      envelope_id: envelopeId,
      payload,
      type,
      accepts_response_payload: acceptsResponsePayload,
      ...(type === 'events_api' ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? '' } : {}),
    };
    const sentAt = performance.now();
    const ack = await new Promise<{ payload?: unknown }>((resolve, reject) => {
      const left = Math.max(1, timeoutMs - (Date.now() - started));
      const timer = setTimeout(() => {
        live.pending.delete(envelopeId);
        reject(new Error(`envelope ${envelopeId} (${type}) was not acked within ${timeoutMs} ms`));
      }, left);
      live.pending.set(envelopeId, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      if (live.ws.readyState !== WebSocket.OPEN) {
        live.pending.get(envelopeId)?.reject(new Error(`connection ${live.connection.id} closed before envelope ${envelopeId} was sent`));
        live.pending.delete(envelopeId);
        return;
      }
      live.ws.send(JSON.stringify(message), (error) => {
        if (!error) return;
        live.pending.get(envelopeId)?.reject(new Error(`connection ${live.connection.id} failed to send envelope ${envelopeId}: ${error.message}`));
        live.pending.delete(envelopeId);
      });
    });
    envelope.ack = ack;
    envelope.ackedInMs = Math.round(performance.now() - sentAt);
    return { envelopeId, ack, ackedInMs: envelope.ackedInMs, connection: live.connection };
  }

  /**
   * Ends a connection. `refresh` (default) is what Slack does routinely: a `disconnect` message
   * (reason refresh_requested) after which the client closes and reconnects; `close` sends a
   * close frame; `terminate` drops the TCP connection. Resolves once the socket is closed.
   */
  async disconnect(connection: SocketConnection | string, { how = 'refresh' }: { how?: 'refresh' | 'close' | 'terminate' } = {}): Promise<void> {
    const connectionId = typeof connection === 'string' ? connection : connection.id;
    const live = this.live.get(connectionId);
    if (!live) return;
    const closed = new Promise<void>((resolve) => live.ws.once('close', () => resolve()));
    if (how === 'terminate') live.ws.terminate();
    else if (how === 'close') live.ws.close(1001, 'going away');
    else live.ws.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'fake-socket-mode' } }));
    const fallback = setTimeout(() => live.ws.terminate(), 5_000);
    await closed;
    clearTimeout(fallback);
  }

  // ---------------------------------------------------------------- internals

  private open(token: string | undefined): Record<string, unknown> {
    if (this.options.appToken !== undefined && token !== this.options.appToken) return { ok: false, error: 'invalid_auth' };
    const ticket = randomUUID();
    this.tickets.set(ticket, token ?? '');
    const origin = this.slack.origin.replace(/^http/, 'ws');
    return { ok: true, url: `${origin}/link/?ticket=${ticket}&app_id=${this.slack.appId}` };
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://fake-socket-mode');
    if (url.pathname !== '/link/' && url.pathname !== '/link') return false;
    const ticket = url.searchParams.get('ticket') ?? '';
    const appToken = this.tickets.get(ticket);
    if (appToken === undefined) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return true;
    }
    this.tickets.delete(ticket);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, appToken));
    return true;
  }

  private accept(ws: WebSocket, appToken: string): void {
    const connection: SocketConnection = { id: `conn-${randomBytes(4).toString('hex')}`, appToken, openedAt: new Date(), open: true };
    const live: Live = { connection, ws, pending: new Map() };
    this.connections.push(connection);
    this.live.set(connection.id, live);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let message: { envelope_id?: string; payload?: unknown };
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      const envelopeId = message.envelope_id;
      if (!envelopeId) return;
      const waiting = live.pending.get(envelopeId);
      live.pending.delete(envelopeId);
      waiting?.resolve('payload' in message ? { payload: message.payload } : {});
    });
    ws.on('close', () => {
      connection.open = false;
      connection.closedAt = new Date();
      this.live.delete(connection.id);
      for (const [envelopeId, waiting] of live.pending) waiting.reject(new Error(`connection ${connection.id} closed before envelope ${envelopeId} was acked`));
      live.pending.clear();
      this.events.emit('close', connection);
    });
    ws.on('error', () => ws.terminate());
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.openConnections().length,
        debug_info: { host: 'fake-socket-mode', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.slack.appId },
      }),
    );
    this.events.emit('connection', connection);
  }

  private async pick(wanted: SocketConnection | string | undefined, timeoutMs: number): Promise<Live> {
    if (wanted !== undefined) {
      const live = this.live.get(typeof wanted === 'string' ? wanted : wanted.id);
      if (!live) throw new Error(`Socket Mode connection ${typeof wanted === 'string' ? wanted : wanted.id} is not open`);
      return live;
    }
    if (this.live.size === 0) await this.waitForConnections(1, timeoutMs);
    const open = [...this.live.values()];
    const live = open[this.turn % open.length]!;
    this.turn += 1;
    return live;
  }

  private once(event: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.events.off(event, done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.events.on(event, done);
    });
  }
}

/** Slack sets accepts_response_payload where the ack may carry a body: commands, view submissions, options. */
function acceptsPayload(type: string, payload: unknown): boolean {
  if (type === 'slash_commands') return true;
  if (type !== 'interactive' || typeof payload !== 'object' || payload === null) return false;
  const kind = (payload as { type?: unknown }).type;
  return kind === 'view_submission' || kind === 'block_suggestion';
}
