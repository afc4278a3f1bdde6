import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import type { Duplex } from 'node:stream';
import { checkMessage, checkView, problemMessage, type Problem } from './block-kit-rules.js';

/**
 * A small HTTP server standing in for Slack's Web API, so the real `@slack/web-api` client (and
 * Bolt, and `respond()`) run against it — in the tests (as test/fakes' FakeSlack) and in the local
 * sandbox of `npm run demo` (src/sandbox/sandbox-server.ts mounts its web page on the same server):
 *
 *   const slack = new SlackWebApi();
 *   const slackApiUrl = await slack.start();            // http://127.0.0.1:PORT/api/
 *   const client = new WebClient('xoxb-test', { slackApiUrl });
 *
 * It answers `POST /api/<method>` (form-encoded with JSON-string fields, or JSON), keeps what a
 * workspace would keep (messages per channel with their edit history, modal stacks, Home tabs,
 * trigger_ids, response_urls), refuses what Slack refuses (Block Kit limits from SLACK.md) and
 * records every call and every rule broken in `calls` / `violations`. Faults are queued per method.
 *
 * `violations` is about the shape of what the app sent (limits, required arguments, forbidden
 * unescaped text, and two soft rules: message text over 4000 chars, blocks without a `text`
 * fallback). Outcomes that depend on state (message_not_found, hash_conflict, expired_trigger_id,
 * push_limit_reached, not_found) are answered like Slack but are not violations: see `calls[].error`.
 */

export interface SlackCall {
  method: string;
  /** The arguments as parsed: JSON-string fields (blocks, view, attachments, …) are objects here. The token is not in args. */
  args: Record<string, any>;
  /** Bearer token, or the `token` form field. */
  token: string | undefined;
  at: Date;
  /** How the request body was encoded. */
  encoding: 'form' | 'json';
  /** HTTP status answered (0 when the connection was dropped). */
  status: number;
  /** The JSON body answered, when there was one. */
  response?: Record<string, any>;
  /** True when the call did not succeed: an injected fault, an outage, or an `ok: false` answer. */
  failed?: boolean;
  /** True when failNext() or down() made it fail. */
  injected?: boolean;
  /** The error answered: Slack's error code (`invalid_blocks`, `ratelimited`, …), `http_503`, or `connection_reset`. */
  error?: string;
}

export interface Violation {
  /** Web API method, or `response_url` for POSTs to a response_url. */
  method: string;
  reason: string;
  /** Where in the request: a JSON pointer like `/blocks/3/text/text`. */
  pointer?: string;
  /** Slack accepted the call; the project's rules did not (text over 4000 chars, no text fallback). */
  soft?: boolean;
  at: Date;
}

export interface FailOptions {
  /** Slack error code to answer (`ok: false`). `ratelimited` answers HTTP 429 with Retry-After. */
  error?: 'not_in_channel' | 'channel_not_found' | 'invalid_auth' | 'ratelimited' | (string & {});
  /** Answer this HTTP status instead (e.g. 500, 503). */
  status?: number;
  /** Seconds for the Retry-After header of a 429 (default 1). */
  retryAfter?: number;
  /** How many consecutive calls to the method fail this way (default 1). */
  times?: number;
  /** `reset` drops the connection without an answer; `slow` (with delayMs) answers normally, late. Nothing given at all: `fatal_error`. */
  kind?: 'error' | 'reset' | 'slow';
  /** Wait this long before answering (alone: a slow but successful answer). */
  delayMs?: number;
}

export interface UserOptions {
  isAdmin?: boolean;
  isOwner?: boolean;
  isPrimaryOwner?: boolean;
  isBot?: boolean;
  deleted?: boolean;
  /** IANA zone, e.g. `America/New_York` (default UTC). */
  tz?: string;
  name?: string;
  realName?: string;
}

export interface ChannelOptions {
  name?: string;
  isPrivate?: boolean;
  /** false: chat.postMessage answers not_in_channel (public) or channel_not_found (private). */
  isMember?: boolean;
  isArchived?: boolean;
}

export interface FakeSlackOptions {
  teamId?: string;
  teamDomain?: string;
  teamName?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  /** When set, any other bot token gets invalid_auth. By default any `xoxb-`/`xoxp-` token is accepted. */
  botToken?: string;
  /** Unknown user ids get user_not_found (default: any id is a plain member in UTC). */
  strictUsers?: boolean;
  /** Unknown channel ids get channel_not_found (default: any C/G/D id is a public channel the bot is in). */
  strictChannels?: boolean;
  /** Keep at most this many calls, violations and response_url posts (a long-running sandbox); default: all. */
  maxRecorded?: number;
}

/** Serves a request that is not a Web API call or a response_url (the sandbox's page); false: not mine (404). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;

export interface MessageVersion {
  text?: string;
  blocks?: any[];
  attachments?: any[];
  at: Date;
  via: 'chat.postMessage' | 'chat.update' | 'response_url';
}

export interface StoredMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  /** Current version. */
  text?: string;
  blocks?: any[];
  attachments?: any[];
  /** Who posted it: the bot user, or the user for an in_channel response_url answer. */
  user: string;
  /** Number of edits (chat.update, replace_original). */
  edits: number;
  /** Every version, oldest (as posted) first. */
  history: MessageVersion[];
  deleted: boolean;
}

export interface EphemeralMessage {
  channel?: string;
  user?: string;
  text?: string;
  blocks?: any[];
  messageTs?: string;
  /** `ack`: a slash command's acknowledgement body, which Slack shows to the user only. */
  via: 'chat.postEphemeral' | 'response_url' | 'ack';
  at: Date;
}

export interface StoredView {
  id: string;
  type: 'modal' | 'home';
  hash: string;
  /** The view as Slack would return it (with id, hash, state, root_view_id, …). */
  view: Record<string, any>;
  /** The user whose Home tab it is, or who the modal was opened for (when known). */
  userId?: string;
  rootViewId: string;
  previousViewId: string | null;
  /** False once closed (submission without response_action, view_closed, response_action clear). */
  open: boolean;
  /** Versions of the view as sent (open/push/publish first, then every update). */
  history: Record<string, any>[];
  updates: number;
}

export interface ResponseUrlPost {
  id: string;
  url: string;
  body: Record<string, any>;
  at: Date;
  status: number;
  ok: boolean;
  error?: string;
}

export interface ResponseUrlContext {
  channelId?: string;
  userId?: string;
  /** The message the interaction came from: replace_original / delete_original act on it. */
  messageTs?: string;
}

export interface TriggerContext {
  userId?: string;
  /** The view the interaction came from: views.push pushes onto its stack. */
  viewId?: string;
}

/** What a mounted handler (e.g. FakeSocketMode's apps.connections.open) answers. */
export type MethodHandler = (call: { args: Record<string, any>; token: string | undefined }) => Record<string, any> | Promise<Record<string, any>>;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata', 'options', 'option_groups', 'unfurls', 'user_auth_blocks'];
const TRIGGER_TTL_MS = 3_000;
const RESPONSE_URL_TTL_MS = 30 * 60_000;
const RESPONSE_URL_USES = 5;
const MAX_VIEW_STACK = 3;

const flag = (value: unknown): boolean => value === true || value === 'true' || value === 1 || value === '1';
const id = (prefix: string, length = 10): string =>
  prefix +
  Array.from(randomBytes(length), (byte) => 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'[byte % 34])
    .join('')
    .slice(0, length);

type Answer = Record<string, any>;
const fail = (error: string, extra: Answer = {}): Answer => ({ ok: false, error, ...extra });

interface QueuedFault extends FailOptions {
  remaining: number;
}

export class SlackWebApi {
  readonly calls: SlackCall[] = [];
  readonly violations: Violation[] = [];
  readonly teamId: string;
  readonly teamDomain: string;
  readonly teamName: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;

  private server: Server | null = null;
  private port = 0;
  private readonly events = new EventEmitter();
  private readonly faults = new Map<string, QueuedFault[]>();
  private isDown = false;
  private clockOffsetMs = 0;
  private lastTsMicros = 0n;
  private forbidden: RegExp[] = [];
  private readonly users = new Map<string, UserOptions>();
  private readonly channels = new Map<string, ChannelOptions>();
  private readonly channelMessages = new Map<string, Map<string, StoredMessage>>();
  private ephemeralMessages: EphemeralMessage[] = [];
  private readonly viewStore = new Map<string, StoredView>();
  private readonly homes = new Map<string, string>();
  private readonly stacks = new Map<string, string[]>();
  private readonly triggers = new Map<string, TriggerContext & { issuedAt: number; used: boolean }>();
  private readonly responseUrls = new Map<string, ResponseUrlContext & { createdAt: number; uses: number }>();
  private responsePosts: ResponseUrlPost[] = [];
  private readonly mounted = new Map<string, { handler: MethodHandler; appToken: boolean }>();
  private readonly upgradeHandlers: UpgradeHandler[] = [];
  private readonly upgraded = new Set<Duplex>();
  private triggerCounter = 0;
  private readonly routes: RouteHandler[] = [];

  constructor(private readonly options: FakeSlackOptions = {}) {
    this.teamId = options.teamId ?? 'T1';
    this.teamDomain = options.teamDomain ?? 'tether-test';
    this.teamName = options.teamName ?? 'Tether Test';
    this.botUserId = options.botUserId ?? 'U_TETHER';
    this.botId = options.botId ?? 'B_TETHER';
    this.appId = options.appId ?? 'A_TETHER';
    this.events.setMaxListeners(100);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Listens on 127.0.0.1 (a free port unless `port` is given) and returns the `slackApiUrl`: `http://127.0.0.1:PORT/api/`. */
  async start({ port = 0, host = '127.0.0.1' }: { port?: number; host?: string } = {}): Promise<string> {
    if (this.server) return this.url;
    const server = createServer((req, res) => void this.route(req, res));
    server.keepAliveTimeout = 1000;
    server.on('upgrade', (req, socket, head) => {
      this.upgraded.add(socket);
      socket.once('close', () => this.upgraded.delete(socket));
      for (const handler of this.upgradeHandlers) if (handler(req, socket, head)) return;
      socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    // WebSockets (FakeSocketMode) are not the server's connections any more once upgraded.
    for (const socket of this.upgraded) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** `http://127.0.0.1:PORT/api/` — what `slackApiUrl` must be. */
  get url(): string {
    return `${this.origin}/api/`;
  }

  /** `http://127.0.0.1:PORT` */
  get origin(): string {
    if (!this.server) throw new Error('SlackWebApi is not started');
    return `http://127.0.0.1:${this.port}`;
  }

  /** Forgets calls, violations, messages, views, triggers, response_urls, faults, the outage and forbidden patterns (keeps setUser/setChannel). */
  reset(): void {
    this.calls.length = 0;
    this.violations.length = 0;
    this.faults.clear();
    this.isDown = false;
    this.forbidden = [];
    this.channelMessages.clear();
    this.ephemeralMessages = [];
    this.viewStore.clear();
    this.homes.clear();
    this.stacks.clear();
    this.triggers.clear();
    this.responseUrls.clear();
    this.responsePosts = [];
    this.clockOffsetMs = 0;
  }

  // ---------------------------------------------------------------- configuration

  setUser(userId: string, options: UserOptions = {}): void {
    this.users.set(userId, { ...this.users.get(userId), ...options });
  }

  setChannel(channelId: string, options: ChannelOptions = {}): void {
    this.channels.set(channelId, { ...this.channels.get(channelId), ...options });
  }

  /**
   * Opt-in check: any mrkdwn text (message `text`, section text/fields, context, attachments,
   * markdown blocks) matching `pattern` is recorded as a violation. Slack itself would accept and
   * render it (a real `<!channel>` ping), so the call still succeeds. Escaped text (`&lt;!channel&gt;`)
   * does not match a pattern for the raw form. See SlackWebApi.SLACK_SYNTAX for a catch-all.
   */
  forbidUnescaped(pattern: RegExp): void {
    this.forbidden.push(pattern);
  }

  /** Matches any raw Slack control sequence: `<!channel>`, `<!here>`, `<!everyone>`, `<@U…>`, `<#C…>`, `<http…|…>`, `<mailto:…>`, `<!subteam^…>`. */
  static readonly SLACK_SYNTAX = /<(?:!(?:channel|here|everyone|subteam\^)|@[UW]|#[CG]|https?:|mailto:)[^>]*>/;

  /** Moves the fake's clock (trigger_id and response_url expiry) forward. */
  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  // ---------------------------------------------------------------- faults

  /** The next call(s) to `method` fail as described (`'*'` matches any method). Queued per method, in order. */
  failNext(method: string, options: FailOptions = {}): void {
    const queue = this.faults.get(method) ?? [];
    const nothingSaid = options.error === undefined && options.status === undefined && options.kind === undefined && options.delayMs === undefined;
    queue.push({ ...options, ...(nothingSaid ? { error: 'fatal_error' } : {}), remaining: Math.max(1, options.times ?? 1) });
    this.faults.set(method, queue);
  }

  /** Every call (Web API and response_url) answers 503 until up(). */
  down(): void {
    this.isDown = true;
  }

  up(): void {
    this.isDown = false;
  }

  // ---------------------------------------------------------------- tokens handed to the app

  /** A trigger_id valid for 3 s and for one views.open / views.push. */
  newTriggerId(context: TriggerContext = {}): string {
    this.triggerCounter += 1;
    const triggerId = `${Math.floor(this.now() / 1000)}.${this.triggerCounter}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(triggerId, { ...context, issuedAt: this.now(), used: false });
    return triggerId;
  }

  /** A response_url (`http://127.0.0.1:PORT/response/<id>`): 5 uses, 30 minutes. */
  newResponseUrl(context: ResponseUrlContext = {}): string {
    const responseId = randomBytes(12).toString('hex');
    this.responseUrls.set(responseId, { ...context, createdAt: this.now(), uses: 0 });
    return `${this.origin}/response/${responseId}`;
  }

  /** The `<id>` of a response_url. */
  static responseUrlId(url: string): string {
    return url.slice(url.lastIndexOf('/') + 1);
  }

  // ---------------------------------------------------------------- what tests look at

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The first call to `method` (already made, or the next one) matching `predicate`. Includes failed calls: test `call.failed` or use waitForOk. */
  waitFor(method: string, predicate: (call: SlackCall) => boolean = () => true, timeoutMs = 10_000): Promise<SlackCall> {
    return this.waitForEvent('call', (call: SlackCall) => call.method === method && predicate(call), this.calls, timeoutMs, () =>
      `no ${method} call matched within ${timeoutMs} ms; calls to it: ${JSON.stringify(this.callsTo(method).map((c) => ({ args: c.args, error: c.error })))}`,
    );
  }

  /** Like waitFor, but only calls that succeeded. */
  waitForOk(method: string, predicate: (call: SlackCall) => boolean = () => true, timeoutMs = 10_000): Promise<SlackCall> {
    return this.waitFor(method, (call) => !call.failed && predicate(call), timeoutMs);
  }

  /** Current version of each top-level message in a channel (no thread replies, no deleted ones), oldest first. */
  messages(channel: string): StoredMessage[] {
    return this.sortedMessages(this.resolveChannel(channel)).filter((m) => !m.deleted && (!m.threadTs || m.threadTs === m.ts));
  }

  /** Thread replies under `threadTs`, oldest first. */
  replies(channel: string, threadTs: string): StoredMessage[] {
    return this.sortedMessages(this.resolveChannel(channel)).filter((m) => !m.deleted && m.threadTs === threadTs && m.ts !== threadTs);
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    const found = this.channelMessages.get(this.resolveChannel(channel))?.get(ts);
    return found ? structuredClone(found) : undefined;
  }

  /** Ephemeral messages (chat.postEphemeral and ephemeral response_url answers), optionally for one channel and/or user. */
  ephemerals(filter: { channel?: string; user?: string } = {}): EphemeralMessage[] {
    return this.ephemeralMessages
      .filter((m) => (!filter.channel || m.channel === filter.channel) && (!filter.user || m.user === filter.user))
      .map((m) => structuredClone(m));
  }

  /** POSTs to response_urls (all, or to one: pass its id or the whole URL), in order. */
  responses(idOrUrl?: string): ResponseUrlPost[] {
    const wanted = idOrUrl === undefined ? undefined : SlackWebApi.responseUrlId(idOrUrl);
    return this.responsePosts.filter((post) => wanted === undefined || post.id === wanted).map((post) => structuredClone(post));
  }

  waitForResponse(idOrUrl?: string, predicate: (post: ResponseUrlPost) => boolean = () => true, timeoutMs = 10_000): Promise<ResponseUrlPost> {
    const wanted = idOrUrl === undefined ? undefined : SlackWebApi.responseUrlId(idOrUrl);
    return this.waitForEvent(
      'response',
      (post: ResponseUrlPost) => (wanted === undefined || post.id === wanted) && predicate(post),
      this.responsePosts,
      timeoutMs,
      () => `no response_url POST matched within ${timeoutMs} ms; posts: ${JSON.stringify(this.responses(idOrUrl))}`,
    );
  }

  view(viewId: string): StoredView | undefined {
    const found = this.viewStore.get(viewId);
    return found ? structuredClone(found) : undefined;
  }

  views(filter: { open?: boolean; type?: 'modal' | 'home' } = {}): StoredView[] {
    return [...this.viewStore.values()]
      .filter((v) => (filter.open === undefined || v.open === filter.open) && (!filter.type || v.type === filter.type))
      .map((v) => structuredClone(v));
  }

  /** The modal stack a view is in (open views, root first). */
  viewStack(viewId: string): StoredView[] {
    const root = this.viewStore.get(viewId)?.rootViewId;
    return (root ? this.stacks.get(root) ?? [] : []).map((vid) => structuredClone(this.viewStore.get(vid)!));
  }

  homeView(userId: string): StoredView | undefined {
    const viewId = this.homes.get(userId);
    return viewId ? this.view(viewId) : undefined;
  }

  /** What the user did to a modal, applied as Slack would after the app acked a view_submission (the ack body may carry a response_action). */
  viewSubmitted(viewId: string, ack: unknown): void {
    const record = this.viewStore.get(viewId);
    if (!record || !record.open) return;
    const body = typeof ack === 'object' && ack !== null ? (ack as Record<string, any>) : {};
    switch (body.response_action) {
      case 'errors':
        return;
      case 'update':
        if (typeof body.view === 'object') this.replaceView(record, body.view, 'response_action');
        return;
      case 'push':
        if (typeof body.view === 'object') this.pushView(record.rootViewId, body.view, record.userId);
        return;
      case 'clear':
        return this.closeStack(record.rootViewId);
      default:
        return this.popView(record);
    }
  }

  /** The user closed a modal (X closes the whole stack: isCleared; Back/close pops one view). */
  viewClosedByUser(viewId: string, { isCleared = false }: { isCleared?: boolean } = {}): void {
    const record = this.viewStore.get(viewId);
    if (!record || !record.open) return;
    if (isCleared) this.closeStack(record.rootViewId);
    else this.popView(record);
  }

  /**
   * For FakeSocketMode and similar: answer a Web API method this fake does not know. With
   * `appToken: true` the method wants an `xapp-` token (and refuses bot tokens), like apps.connections.open.
   */
  mountMethod(method: string, handler: MethodHandler, { appToken = false }: { appToken?: boolean } = {}): void {
    this.mounted.set(method, { handler, appToken });
  }

  /** Serves other paths (GET or POST) before the 404: the sandbox's web page. */
  mountRoutes(handler: RouteHandler): void {
    this.routes.push(handler);
  }

  /** Called after every Web API call and response_url POST (the workspace may have changed). */
  onChange(listener: () => void): () => void {
    const changed = () => listener();
    this.events.on('call', changed);
    this.events.on('response', changed);
    this.events.on('change', changed);
    return () => {
      this.events.off('call', changed);
      this.events.off('response', changed);
      this.events.off('change', changed);
    };
  }

  /** Called with every Web API call once answered (the sandbox shows refusals on its page). */
  onCall(listener: (call: SlackCall) => void): () => void {
    this.events.on('call', listener);
    return () => this.events.off('call', listener);
  }

  /** Channel ids that have messages, or were configured with setChannel. */
  channelIds(): string[] {
    return [...new Set([...this.channels.keys(), ...this.channelMessages.keys()])];
  }

  /** Channel options as configured with setChannel. */
  channelOptions(channelId: string): ChannelOptions | undefined {
    return this.channels.get(channelId);
  }

  /** An ephemeral answer that came another way than the Web API (a slash command's ack body). */
  addEphemeral(message: Omit<EphemeralMessage, 'at' | 'via'>): void {
    this.ephemeralMessages.push({ ...message, via: 'ack', at: new Date() });
    if (this.options.maxRecorded && this.ephemeralMessages.length > this.options.maxRecorded) this.ephemeralMessages.splice(0, 1);
    this.events.emit('change');
  }

  /** For FakeSocketMode: a WebSocket upgrade handler (return true when it took the request). */
  mountUpgrade(handler: UpgradeHandler): void {
    this.upgradeHandlers.push(handler);
  }

  // ---------------------------------------------------------------- HTTP

  private now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://slack-web-api');
      if (!url.pathname.startsWith('/api/') && !url.pathname.startsWith('/response/'))
        for (const handler of this.routes) if (await handler(req, res, url)) return;
      const body = await readBody(req);
      if (req.method === 'POST' && url.pathname.startsWith('/api/')) return await this.handleApi(url.pathname.slice(5), req, body, res);
      if (req.method === 'POST' && url.pathname.startsWith('/response/')) return await this.handleResponseUrl(url.pathname.slice(10), req, body, res);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`slack web api failed: ${(error as Error).message}`);
    }
  }

  private async handleApi(method: string, req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    const at = new Date();
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(req, raw);
    } catch {
      const call: SlackCall = { method, args: { raw }, token: undefined, at, encoding: 'json', status: 0 };
      return this.finish(call, res, 200, fail('invalid_json'));
    }
    const { args, encoding, token: bodyToken } = parsed;
    const bearer = req.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    const token = bearer ?? bodyToken;
    const call: SlackCall = { method, args, token, at, encoding, status: 0 };

    if (this.isDown) return this.finish(call, res, 503, { ok: false, error: 'service_unavailable' }, { injected: true, error: 'http_503' });
    const fault = this.takeFault(method);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault && (fault.kind === 'reset' || fault.error || fault.status)) {
      if (fault.kind === 'reset') {
        Object.assign(call, { failed: true, injected: true, error: 'connection_reset', status: 0 });
        this.record(call);
        req.socket.destroy();
        return;
      }
      if (fault.error === 'ratelimited' || fault.status === 429) {
        const retryAfter = String(fault.retryAfter ?? 1);
        return this.finish(call, res, 429, { ok: false, error: 'ratelimited' }, { injected: true, error: 'ratelimited', headers: { 'retry-after': retryAfter } });
      }
      if (fault.status && fault.status !== 200)
        return this.finish(call, res, fault.status, { ok: false, error: fault.error ?? 'fatal_error' }, { injected: true, error: fault.error ?? `http_${fault.status}` });
      return this.finish(call, res, 200, fail(fault.error!), { injected: true });
    }

    const mounted = this.mounted.get(method);
    const authError = this.checkToken(token, mounted?.appToken ?? false);
    if (authError) return this.finish(call, res, 200, fail(authError));
    let answer: Answer;
    if (mounted) answer = await mounted.handler({ args, token });
    else {
      const handler = this.handlers[method];
      answer = handler ? handler(args, call) : fail('unknown_method');
    }
    return this.finish(call, res, 200, answer);
  }

  private finish(
    call: SlackCall,
    res: ServerResponse,
    status: number,
    body: Answer,
    extra: { injected?: boolean; error?: string; headers?: Record<string, string> } = {},
  ): void {
    call.status = status;
    call.response = body;
    if (status !== 200 || body.ok === false) {
      call.failed = true;
      call.error = extra.error ?? (typeof body.error === 'string' ? body.error : `http_${status}`);
    }
    if (extra.injected) call.injected = true;
    this.record(call);
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...extra.headers });
    res.end(JSON.stringify(body));
  }

  private record(call: SlackCall): void {
    this.calls.push(call);
    this.trim();
    this.events.emit('call', call);
  }

  private trim(): void {
    const max = this.options.maxRecorded;
    if (!max) return;
    for (const list of [this.calls, this.violations, this.responsePosts] as unknown[][]) if (list.length > max) list.splice(0, list.length - max);
  }

  private takeFault(method: string): QueuedFault | undefined {
    for (const key of [method, '*']) {
      const queue = this.faults.get(key);
      const fault = queue?.[0];
      if (!queue || !fault) continue;
      fault.remaining -= 1;
      if (fault.remaining <= 0) queue.shift();
      return fault;
    }
    return undefined;
  }

  private checkToken(token: string | undefined, wantsAppToken: boolean): string | null {
    if (!token) return 'not_authed';
    if (wantsAppToken) return token.startsWith('xapp-') ? null : 'not_allowed_token_type';
    if (token.startsWith('xapp-')) return 'not_allowed_token_type';
    if (this.options.botToken !== undefined) return token === this.options.botToken ? null : 'invalid_auth';
    return /^xox[bpe]-/.test(token) ? null : 'invalid_auth';
  }

  private async waitForEvent<T>(event: string, match: (item: T) => boolean, existing: readonly T[], timeoutMs: number, explain: () => string): Promise<T> {
    const found = existing.find(match);
    if (found) return found;
    return new Promise<T>((resolve, reject) => {
      const listener = (item: T) => {
        if (!match(item)) return;
        clearTimeout(timer);
        this.events.off(event, listener);
        resolve(item);
      };
      const timer = setTimeout(() => {
        this.events.off(event, listener);
        reject(new Error(explain()));
      }, timeoutMs);
      this.events.on(event, listener);
    });
  }

  // ---------------------------------------------------------------- validation

  /** Records every problem as a violation; answers Slack's refusal when any is a hard one. */
  private refuse(method: string, problems: Problem[], code: string): Answer | null {
    const at = new Date();
    for (const problem of problems)
      this.violations.push({ method, reason: problemMessage(problem), pointer: problem.pointer, ...(problem.soft ? { soft: true } : {}), at });
    const hard = problems.filter((problem) => !problem.soft && problem.kind !== 'forbidden');
    if (hard.length === 0) return null;
    const messages = hard.map(problemMessage);
    return fail(code, { errors: hard.map((p) => `${p.message} [json-pointer:${p.pointer}]`), response_metadata: { messages } });
  }

  private missing(method: string, args: Record<string, any>, names: string[], code = 'invalid_arguments'): Answer | null {
    const problems: Problem[] = names
      .filter((name) => args[name] === undefined || args[name] === '')
      .map((name) => ({ pointer: `/${name}`, message: `missing required argument ${name}` }));
    return problems.length ? this.refuse(method, problems, code) : null;
  }

  private messageCode(problems: Problem[]): string {
    const hard = problems.filter((p) => !p.soft && p.kind !== 'forbidden');
    if (hard.some((p) => p.message.startsWith('no_text'))) return 'no_text';
    if (hard.some((p) => p.message.startsWith('msg_too_long'))) return 'msg_too_long';
    if (hard.some((p) => p.kind === 'format')) return 'invalid_blocks_format';
    return 'invalid_blocks';
  }

  private checkMessageArgs(method: string, args: Record<string, any>): Answer | null {
    const problems = checkMessage(args, { forbidden: this.forbidden });
    return this.refuse(method, problems, this.messageCode(problems));
  }

  // ---------------------------------------------------------------- workspace state

  /** User ids post to their DM; `#name` (accepted by chat.postMessage) resolves to the channel configured with that name. */
  private resolveChannel(channel: string): string {
    if (channel.startsWith('#')) {
      const named = [...this.channels.entries()].find(([, options]) => options.name && `#${options.name}` === channel);
      return named ? named[0] : channel;
    }
    return /^[UW]/.test(channel) ? `D${channel.slice(1)}` : channel;
  }

  private channelInfo(channelId: string): (ChannelOptions & { id: string }) | null {
    const configured = this.channels.get(channelId);
    if (!configured && (this.options.strictChannels || !/^[CGD#]/.test(channelId))) return null;
    return { id: channelId, ...configured };
  }

  private channelForPosting(method: string, args: Record<string, any>): { channel: string } | { error: Answer } {
    const missing = this.missing(method, args, ['channel'], 'channel_not_found');
    if (missing) return { error: missing };
    const channel = this.resolveChannel(String(args.channel));
    const info = this.channelInfo(channel);
    if (!info) return { error: fail('channel_not_found') };
    if (info.isArchived) return { error: fail('is_archived') };
    if (info.isMember === false) return { error: fail(info.isPrivate ? 'channel_not_found' : 'not_in_channel') };
    return { channel };
  }

  private nextTs(): string {
    let micros = BigInt(this.now()) * 1000n;
    if (micros <= this.lastTsMicros) micros = this.lastTsMicros + 100n;
    this.lastTsMicros = micros;
    const seconds = micros / 1_000_000n;
    const fraction = (micros % 1_000_000n).toString().padStart(6, '0');
    return `${seconds}.${fraction}`;
  }

  private sortedMessages(channel: string): StoredMessage[] {
    return [...(this.channelMessages.get(channel)?.values() ?? [])]
      .sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0))
      .map((m) => structuredClone(m));
  }

  private storeMessage(channel: string, args: Record<string, any>, user: string): StoredMessage {
    const ts = this.nextTs();
    const version: MessageVersion = { text: args.text, blocks: args.blocks, attachments: args.attachments, at: new Date(), via: 'chat.postMessage' };
    const message: StoredMessage = {
      channel,
      ts,
      ...(args.thread_ts ? { threadTs: String(args.thread_ts) } : {}),
      text: args.text,
      blocks: args.blocks,
      attachments: args.attachments,
      user,
      edits: 0,
      history: [version],
      deleted: false,
    };
    let perChannel = this.channelMessages.get(channel);
    if (!perChannel) this.channelMessages.set(channel, (perChannel = new Map()));
    perChannel.set(ts, message);
    return message;
  }

  private editMessage(message: StoredMessage, args: Record<string, any>, via: MessageVersion['via']): void {
    if (args.text !== undefined) message.text = args.text;
    if (args.blocks !== undefined) message.blocks = args.blocks;
    if (args.attachments !== undefined) message.attachments = args.attachments;
    message.edits += 1;
    message.history.push({ text: message.text, blocks: message.blocks, attachments: message.attachments, at: new Date(), via });
  }

  private messageJson(message: StoredMessage): Answer {
    return {
      type: 'message',
      user: message.user,
      ...(message.user === this.botUserId ? { bot_id: this.botId, app_id: this.appId } : {}),
      text: message.text ?? '',
      ...(message.blocks ? { blocks: message.blocks } : {}),
      ...(message.attachments ? { attachments: message.attachments } : {}),
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      ts: message.ts,
      team: this.teamId,
      ...(message.edits > 0 ? { edited: { user: message.user, ts: `${Math.floor(message.history.at(-1)!.at.getTime() / 1000)}.000000` } } : {}),
    };
  }

  private userJson(userId: string): Answer | null {
    const configured = this.users.get(userId);
    if (!configured && this.options.strictUsers) return null;
    const user = configured ?? {};
    const tz = user.tz ?? 'UTC';
    const name = user.name ?? (userId.toLowerCase().replace(/^u_?/, '') || userId);
    return {
      id: userId,
      team_id: this.teamId,
      name,
      real_name: user.realName ?? name,
      deleted: user.deleted ?? false,
      is_admin: user.isAdmin ?? false,
      is_owner: user.isOwner ?? false,
      is_primary_owner: user.isPrimaryOwner ?? false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: user.isBot ?? false,
      is_app_user: false,
      tz,
      tz_label: tzLabel(tz),
      tz_offset: tzOffsetSeconds(tz, this.now()),
      profile: { real_name: user.realName ?? name, display_name: name, team: this.teamId },
      updated: Math.floor(this.now() / 1000),
    };
  }

  private hash(): string {
    return `${Math.floor(this.now() / 1000)}.${randomBytes(4).toString('hex')}`;
  }

  private viewJson(record: Pick<StoredView, 'id' | 'hash' | 'rootViewId' | 'previousViewId'>, view: Record<string, any>, state: unknown): Answer {
    return {
      id: record.id,
      team_id: this.teamId,
      type: view.type,
      blocks: view.blocks ?? [],
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id ?? '',
      state: state ?? { values: {} },
      hash: record.hash,
      ...(view.title ? { title: view.title } : {}),
      clear_on_close: view.clear_on_close ?? false,
      notify_on_close: view.notify_on_close ?? false,
      ...(view.close ? { close: view.close } : {}),
      ...(view.submit ? { submit: view.submit } : {}),
      previous_view_id: record.previousViewId,
      root_view_id: record.rootViewId,
      app_id: this.appId,
      external_id: view.external_id ?? '',
      app_installed_team_id: this.teamId,
      bot_id: this.botId,
    };
  }

  private duplicateExternalId(view: Record<string, any>, except?: string): boolean {
    if (!view.external_id) return false;
    return [...this.viewStore.values()].some((v) => v.open && v.id !== except && v.view.external_id === view.external_id);
  }

  private createView(view: Record<string, any>, type: 'modal' | 'home', rootViewId: string | null, previousViewId: string | null, userId?: string): StoredView {
    const viewId = id('V');
    const record: StoredView = {
      id: viewId,
      type,
      hash: this.hash(),
      view: {},
      ...(userId ? { userId } : {}),
      rootViewId: rootViewId ?? viewId,
      previousViewId,
      open: true,
      history: [structuredClone(view)],
      updates: 0,
    };
    record.view = this.viewJson(record, view, undefined);
    this.viewStore.set(viewId, record);
    return record;
  }

  private replaceView(record: StoredView, view: Record<string, any>, _via: string): void {
    record.hash = this.hash();
    record.view = this.viewJson(record, view, record.view.state);
    record.history.push(structuredClone(view));
    record.updates += 1;
  }

  private pushView(rootViewId: string, view: Record<string, any>, userId?: string): StoredView | null {
    const stack = this.stacks.get(rootViewId) ?? [];
    if (stack.length >= MAX_VIEW_STACK) return null;
    const record = this.createView(view, 'modal', rootViewId, stack.at(-1) ?? null, userId);
    stack.push(record.id);
    this.stacks.set(rootViewId, stack);
    return record;
  }

  private popView(record: StoredView): void {
    const stack = this.stacks.get(record.rootViewId) ?? [];
    const index = stack.indexOf(record.id);
    if (index < 0) return;
    for (const viewId of stack.splice(index)) this.viewStore.get(viewId)!.open = false;
  }

  private closeStack(rootViewId: string): void {
    for (const viewId of this.stacks.get(rootViewId) ?? []) this.viewStore.get(viewId)!.open = false;
    this.stacks.set(rootViewId, []);
  }

  private useTrigger(triggerId: unknown): { trigger: TriggerContext } | { error: Answer } {
    const trigger = typeof triggerId === 'string' ? this.triggers.get(triggerId) : undefined;
    if (!trigger || this.now() - trigger.issuedAt > TRIGGER_TTL_MS) return { error: fail('expired_trigger_id') };
    if (trigger.used) return { error: fail('exchanged_trigger_id') };
    return { trigger };
  }

  // ---------------------------------------------------------------- Web API methods

  private readonly handlers: Record<string, (args: Record<string, any>, call: SlackCall) => Answer> = {
    'api.test': (args) => ({ ok: true, args }),

    'auth.test': () => ({
      ok: true,
      url: `https://${this.teamDomain}.slack.com/`,
      team: this.teamName,
      user: 'tether',
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      is_enterprise_install: false,
    }),

    'chat.postMessage': (args) => {
      const target = this.channelForPosting('chat.postMessage', args);
      if ('error' in target) return target.error;
      const refused = this.checkMessageArgs('chat.postMessage', args);
      if (refused) return refused;
      const message = this.storeMessage(target.channel, args, this.botUserId);
      return { ok: true, channel: target.channel, ts: message.ts, message: this.messageJson(message) };
    },

    'chat.update': (args) => {
      const missing = this.missing('chat.update', args, ['channel', 'ts']);
      if (missing) return missing;
      const channel = this.resolveChannel(String(args.channel));
      const refused = this.checkMessageArgs('chat.update', args);
      if (refused) return refused;
      const message = this.channelMessages.get(channel)?.get(String(args.ts));
      if (!message || message.deleted) return fail('message_not_found');
      this.editMessage(message, args, 'chat.update');
      return { ok: true, channel, ts: message.ts, text: message.text ?? '', message: this.messageJson(message) };
    },

    'chat.postEphemeral': (args) => {
      const missing = this.missing('chat.postEphemeral', args, ['channel', 'user']);
      if (missing) return missing;
      const target = this.channelForPosting('chat.postEphemeral', args);
      if ('error' in target) return target.error;
      const refused = this.checkMessageArgs('chat.postEphemeral', args);
      if (refused) return refused;
      const messageTs = this.nextTs();
      this.ephemeralMessages.push({
        channel: target.channel,
        user: String(args.user),
        text: args.text,
        blocks: args.blocks,
        messageTs,
        via: 'chat.postEphemeral',
        at: new Date(),
      });
      return { ok: true, message_ts: messageTs };
    },

    'chat.delete': (args) => {
      const missing = this.missing('chat.delete', args, ['channel', 'ts']);
      if (missing) return missing;
      const channel = this.resolveChannel(String(args.channel));
      const message = this.channelMessages.get(channel)?.get(String(args.ts));
      if (!message || message.deleted) return fail('message_not_found');
      message.deleted = true;
      return { ok: true, channel, ts: message.ts };
    },

    'chat.getPermalink': (args) => {
      const missing = this.missing('chat.getPermalink', args, ['channel', 'message_ts']);
      if (missing) return missing;
      const channel = this.resolveChannel(String(args.channel));
      if (!this.channelMessages.get(channel)?.has(String(args.message_ts))) return fail('message_not_found');
      return {
        ok: true,
        channel,
        permalink: `https://${this.teamDomain}.slack.com/archives/${channel}/p${String(args.message_ts).replace('.', '')}`,
      };
    },

    'conversations.info': (args) => {
      const missing = this.missing('conversations.info', args, ['channel'], 'channel_not_found');
      if (missing) return missing;
      const channelId = this.resolveChannel(String(args.channel));
      const info = this.channelInfo(channelId);
      if (!info) return fail('channel_not_found');
      const isIm = channelId.startsWith('D');
      return {
        ok: true,
        channel: {
          id: channelId,
          name: isIm ? undefined : info.name ?? channelId.toLowerCase(),
          is_channel: !isIm && !info.isPrivate,
          is_group: false,
          is_im: isIm,
          is_private: info.isPrivate ?? isIm,
          is_archived: info.isArchived ?? false,
          is_member: info.isMember ?? true,
          is_general: false,
          created: 1_700_000_000,
          context_team_id: this.teamId,
        },
      };
    },

    'conversations.open': (args) => {
      const users = String(args.users ?? '');
      if (!users) return this.missing('conversations.open', args, ['users'])!;
      return { ok: true, channel: { id: this.resolveChannel(users.split(',')[0]!) } };
    },

    'users.info': (args) => {
      // Slack's argument is `user` (not user_id).
      const missing = this.missing('users.info', args, ['user'], 'user_not_found');
      if (missing) return missing;
      const user = this.userJson(String(args.user));
      return user ? { ok: true, user } : fail('user_not_found');
    },

    'views.open': (args) => {
      const missing = this.missing('views.open', args, ['trigger_id', 'view']);
      if (missing) return missing;
      const refused = this.refuse('views.open', checkView(args.view, 'modal', { forbidden: this.forbidden }), 'invalid_arguments');
      if (refused) return refused;
      const used = this.useTrigger(args.trigger_id);
      if ('error' in used) return used.error;
      if (this.duplicateExternalId(args.view)) return fail('duplicate_external_id');
      this.triggers.get(args.trigger_id)!.used = true;
      const record = this.createView(args.view, 'modal', null, null, used.trigger.userId);
      this.stacks.set(record.id, [record.id]);
      return { ok: true, view: record.view };
    },

    'views.push': (args) => {
      const missing = this.missing('views.push', args, ['trigger_id', 'view']);
      if (missing) return missing;
      const refused = this.refuse('views.push', checkView(args.view, 'modal', { forbidden: this.forbidden }), 'invalid_arguments');
      if (refused) return refused;
      const used = this.useTrigger(args.trigger_id);
      if ('error' in used) return used.error;
      if (this.duplicateExternalId(args.view)) return fail('duplicate_external_id');
      const from = used.trigger.viewId ? this.viewStore.get(used.trigger.viewId) : undefined;
      const rootViewId =
        from?.rootViewId ??
        [...this.stacks.entries()].reverse().find(([, stack]) => stack.length > 0)?.[0];
      if (!rootViewId || (this.stacks.get(rootViewId) ?? []).length === 0)
        return this.refuse('views.push', [{ pointer: '/trigger_id', message: 'views.push needs an open modal to push onto' }], 'invalid_arguments')!;
      this.triggers.get(args.trigger_id)!.used = true;
      const record = this.pushView(rootViewId, args.view, used.trigger.userId);
      if (!record) return fail('push_limit_reached');
      return { ok: true, view: record.view };
    },

    'views.update': (args) => {
      if (!args.view_id && !args.external_id)
        return this.refuse('views.update', [{ pointer: '/view_id', message: 'missing required argument view_id or external_id' }], 'invalid_arguments')!;
      const missing = this.missing('views.update', args, ['view']);
      if (missing) return missing;
      const record = args.view_id
        ? this.viewStore.get(String(args.view_id))
        : [...this.viewStore.values()].find((v) => v.open && v.view.external_id === args.external_id);
      const surface = record?.type ?? (typeof args.view === 'object' && args.view?.type === 'home' ? 'home' : 'modal');
      const refused = this.refuse('views.update', checkView(args.view, surface, { forbidden: this.forbidden }), 'invalid_arguments');
      if (refused) return refused;
      if (!record || !record.open) return fail('not_found');
      if (args.hash !== undefined && args.hash !== record.hash) return fail('hash_conflict');
      if (this.duplicateExternalId(args.view, record.id)) return fail('duplicate_external_id');
      this.replaceView(record, args.view, 'views.update');
      return { ok: true, view: record.view };
    },

    'views.publish': (args) => {
      const missing = this.missing('views.publish', args, ['user_id', 'view']);
      if (missing) return missing;
      const refused = this.refuse('views.publish', checkView(args.view, 'home', { forbidden: this.forbidden }), 'invalid_arguments');
      if (refused) return refused;
      const userId = String(args.user_id);
      if (!this.userJson(userId)) return fail('user_not_found');
      const existing = this.homes.get(userId);
      const record = existing ? this.viewStore.get(existing) : undefined;
      if (record) {
        if (args.hash !== undefined && args.hash !== record.hash) return fail('hash_conflict');
        this.replaceView(record, args.view, 'views.publish');
        return { ok: true, view: record.view };
      }
      const created = this.createView(args.view, 'home', null, null, userId);
      this.homes.set(userId, created.id);
      return { ok: true, view: created.view };
    },
  };

  // ---------------------------------------------------------------- response_url

  private async handleResponseUrl(responseId: string, req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    const at = new Date();
    const url = `${this.origin}/response/${responseId}`;
    let body: Record<string, any> = {};
    let parseError: string | null = null;
    try {
      body = (req.headers['content-type'] ?? '').includes('application/json') ? JSON.parse(raw) : parseArgs(req, raw).args;
    } catch {
      parseError = 'invalid_payload';
    }
    const answer = (status: number, json: Answer): void => {
      const post: ResponseUrlPost = { id: responseId, url, body, at, status, ok: status === 200 };
      if (status !== 200) post.error = String(json.error);
      this.responsePosts.push(post);
      this.trim();
      this.events.emit('response', post);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(json));
    };
    if (this.isDown) return answer(503, fail('service_unavailable'));
    const context = this.responseUrls.get(responseId);
    if (!context || this.now() - context.createdAt > RESPONSE_URL_TTL_MS) return answer(404, fail('expired_url'));
    if (context.uses >= RESPONSE_URL_USES) return answer(404, fail('used_too_many_times'));
    context.uses += 1;
    if (parseError) return answer(400, fail(parseError));

    if (!flag(body.delete_original)) {
      const problems = checkMessage(body, { forbidden: this.forbidden });
      if (body.response_type !== undefined && body.response_type !== 'ephemeral' && body.response_type !== 'in_channel')
        problems.push({ pointer: '/response_type', message: 'response_type must be ephemeral or in_channel' });
      const refused = this.refuse('response_url', problems, this.messageCode(problems));
      if (refused) return answer(400, refused);
    }

    const original = context.messageTs && context.channelId ? this.channelMessages.get(context.channelId)?.get(context.messageTs) : undefined;
    if (flag(body.delete_original)) {
      if (original) original.deleted = true;
    } else if (flag(body.replace_original) && original) {
      this.editMessage(original, body, 'response_url');
    } else if (body.response_type === 'in_channel' && context.channelId) {
      const message = this.storeMessage(context.channelId, body, this.botUserId);
      message.history[0]!.via = 'response_url';
    } else {
      this.ephemeralMessages.push({
        ...(context.channelId ? { channel: context.channelId } : {}),
        ...(context.userId ? { user: context.userId } : {}),
        text: body.text,
        blocks: body.blocks,
        via: 'response_url',
        at,
      });
    }
    return answer(200, { ok: true });
  }
}

// ------------------------------------------------------------------ helpers

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseArgs(req: IncomingMessage, raw: string): { args: Record<string, any>; encoding: 'form' | 'json'; token: string | undefined } {
  const contentType = req.headers['content-type'] ?? '';
  let args: Record<string, any>;
  let encoding: 'form' | 'json' = 'form';
  if (contentType.includes('application/json')) {
    encoding = 'json';
    args = raw ? (JSON.parse(raw) as Record<string, any>) : {};
  } else {
    args = {};
    for (const [key, value] of Object.entries(parseQuery(raw))) args[key] = Array.isArray(value) ? value.at(-1) : value;
  }
  for (const field of JSON_FIELDS) {
    const value = args[field];
    if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
      try {
        args[field] = JSON.parse(value);
      } catch {
        // left as the string: validation reports the bad format
      }
    }
  }
  const token = typeof args.token === 'string' ? args.token : undefined;
  delete args.token;
  return { args, encoding, token };
}

function tzOffsetSeconds(timeZone: string, at: number): number {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date(at));
    const name = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
    const match = name.match(/GMT([+-])(\d{2}):(\d{2})/);
    if (!match) return 0;
    return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60);
  } catch {
    return 0;
  }
}

function tzLabel(timeZone: string): string {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'long' }).formatToParts(new Date());
    return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  } catch {
    return timeZone;
  }
}
