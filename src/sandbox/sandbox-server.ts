import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { SlackWebApi, type StoredView } from './slack-web-api.js';
import {
  buildBlockAction,
  buildCommand,
  buildEvent,
  buildOptionsRequest,
  buildViewClosed,
  buildViewSubmission,
  signSlackRequest,
} from './slack-payloads.js';

/**
 * The local Slack sandbox of `npm run demo`: one HTTP server that is both
 *   - the Slack Web API the bot calls (`/api/<method>`, `/response/<id>`: SlackWebApi), and
 *   - a web page (`/`) showing the workspace — channels, the App Home tab, modals — whose clicks
 *     and typed `/tether …` commands become the signed requests Slack would send to the bot's
 *     receiver (`/slack/events`), with trigger_ids and response_urls issued by the same server.
 * The page follows changes live over server-sent events (`/sandbox/events`).
 */

export interface SandboxChannel {
  id: string;
  name: string;
}

export interface SandboxOptions {
  /** Port of the page and the Web API (0: a free one). */
  port: number;
  host?: string;
  /** The signing secret the bot verifies requests with. */
  signingSecret: string;
  /** The one person using the sandbox (their Slack user id). */
  userId?: string;
  userName?: string;
  channels?: SandboxChannel[];
  teamName?: string;
}

/** What the page posts to /sandbox/<kind>. */
interface PagePost {
  channel?: string;
  messageTs?: string;
  viewId?: string;
  text?: string;
  actionId?: string;
  blockId?: string;
  value?: string;
  selectedOption?: { text: { type: 'plain_text'; text: string }; value: string };
  values?: Record<string, Record<string, unknown>>;
  isCleared?: boolean;
}

/** What the bot answered to a forwarded request. */
export interface BotAnswer {
  status: number;
  body: unknown;
  ms: number;
  /** Slack gives up after 3 s ("This app took too long to respond"). */
  tooSlow: boolean;
}

const ACK_DEADLINE_MS = 3000;
/** The page shows the newest messages of a channel (a demo left running posts every few minutes). */
const SHOWN_MESSAGES = 100;
const SHOWN_EPHEMERALS = 30;
const PAGE_FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/sandbox.js': 'sandbox.js',
  '/sandbox.css': 'sandbox.css',
};
const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

export class SlackSandbox {
  readonly slack: SlackWebApi;
  readonly userId: string;
  readonly channels: SandboxChannel[];
  /** The bot's receiver, e.g. http://127.0.0.1:PORT/slack/events (set once the bot listens). */
  botUrl: string | null = null;
  private readonly clients = new Set<ServerResponse>();
  private pending: NodeJS.Timeout | null = null;
  private keepAlive: NodeJS.Timeout | null = null;
  private stopListening: (() => void)[] = [];

  constructor(private readonly options: SandboxOptions) {
    this.userId = options.userId ?? 'U0SANDBOX1';
    this.channels = options.channels ?? [{ id: 'C0OPSSYNC1', name: 'ops-sync' }];
    this.slack = new SlackWebApi({ teamName: options.teamName ?? 'Tether Sandbox', teamDomain: 'tether-sandbox', maxRecorded: 2000 });
    this.slack.setUser(this.userId, { name: options.userName ?? 'you', realName: 'You (sandbox user)', tz: Intl.DateTimeFormat().resolvedOptions().timeZone });
    for (const channel of this.channels) this.slack.setChannel(channel.id, { name: channel.name });
    this.slack.mountRoutes((req, res, url) => this.route(req, res, url));
  }

  /** Starts the server; returns the Web API URL for the bot (`SLACK_API_URL`) and the page's URL. */
  async start(): Promise<{ apiUrl: string; pageUrl: string }> {
    const host = this.options.host ?? '127.0.0.1';
    const apiUrl = await this.slack.start({ port: this.options.port, host });
    this.stopListening = [
      this.slack.onChange(() => this.changed()),
      // What Slack would refuse, the page says (the bot would fail the same way against Slack).
      this.slack.onCall((call) => {
        if (!call.failed || call.injected) return;
        const detail = { method: call.method, error: call.error, errors: call.response?.errors ?? [] };
        this.broadcast(`event: refused\ndata: ${JSON.stringify(detail)}\n\n`);
      }),
    ];
    this.keepAlive = setInterval(() => this.broadcast(': keep-alive\n\n'), 15_000);
    this.keepAlive.unref();
    const port = new URL(this.slack.origin).port;
    return { apiUrl, pageUrl: `http://${host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host}:${port}` };
  }

  async stop(): Promise<void> {
    for (const stop of this.stopListening) stop();
    if (this.keepAlive) clearInterval(this.keepAlive);
    if (this.pending) clearTimeout(this.pending);
    for (const client of this.clients) client.end();
    this.clients.clear();
    await this.slack.stop();
  }

  // ---------------------------------------------------------------- what the page does

  /** `/tether …` typed in a channel: a signed form post, like Slack's; a non-empty ack is shown to the user only. */
  async command(channel: string, text: string): Promise<BotAnswer> {
    const { fields } = buildCommand(this.slack, text.replace(/^\s*\/tether\b\s*/, ''), { userId: this.userId, channelId: channel, channelName: this.channelName(channel) });
    const answer = await this.send(new URLSearchParams(fields).toString());
    const body = answer.body;
    if (answer.status === 200 && body !== undefined && body !== '') {
      const message = typeof body === 'string' ? { text: body } : (body as { text?: string; blocks?: unknown[] });
      this.slack.addEphemeral({ channel, user: this.userId, text: message.text, blocks: message.blocks });
    }
    return answer;
  }

  async blockAction(post: PagePost): Promise<BotAnswer> {
    if (!post.actionId) throw new SandboxRequestError('actionId is required');
    const common = {
      actionId: post.actionId,
      userId: this.userId,
      ...(post.blockId ? { blockId: post.blockId } : {}),
      ...(post.value !== undefined ? { value: post.value } : {}),
      ...(post.selectedOption ? { selectedOption: post.selectedOption } : {}),
    };
    const built = post.viewId
      ? buildBlockAction(this.slack, { ...common, view: { id: post.viewId, state: { values: post.values ?? {} } } })
      : buildBlockAction(this.slack, { ...common, channelId: post.channel, ...(post.messageTs ? { messageTs: post.messageTs } : {}) });
    return this.interactive(built.payload);
  }

  async viewSubmission(post: PagePost): Promise<BotAnswer> {
    if (!post.viewId) throw new SandboxRequestError('viewId is required');
    const built = buildViewSubmission(this.slack, { viewId: post.viewId, values: post.values ?? {}, userId: this.userId });
    const answer = await this.interactive(built.payload);
    if (answer.status === 200) this.slack.viewSubmitted(post.viewId, answer.body);
    this.changed();
    return answer;
  }

  /** The user closed a modal: X closes the whole stack (isCleared), Back pops one. Slack tells the app only when it asked (notify_on_close). */
  async viewClosed(post: PagePost): Promise<BotAnswer | null> {
    if (!post.viewId) throw new SandboxRequestError('viewId is required');
    const stored = this.slack.view(post.viewId);
    let answer: BotAnswer | null = null;
    if (stored?.view.notify_on_close) {
      const built = buildViewClosed(this.slack, { viewId: post.viewId, userId: this.userId, isCleared: post.isCleared ?? false });
      answer = await this.interactive(built.payload);
    }
    this.slack.viewClosedByUser(post.viewId, { isCleared: post.isCleared ?? false });
    this.changed();
    return answer;
  }

  /** An external_select asks the app for options as the user types (block_suggestion). */
  async suggest(post: PagePost): Promise<BotAnswer> {
    if (!post.actionId) throw new SandboxRequestError('actionId is required');
    const built = buildOptionsRequest(this.slack, {
      actionId: post.actionId,
      value: post.value ?? '',
      userId: this.userId,
      ...(post.blockId ? { blockId: post.blockId } : {}),
      ...(post.viewId ? { viewId: post.viewId } : { channelId: post.channel, messageTs: post.messageTs }),
    });
    return this.interactive(built.payload);
  }

  /** The user opened the app's Home tab (app_home_opened, as JSON Events API body). */
  async homeOpened(): Promise<BotAnswer> {
    return this.send(JSON.stringify(buildEvent(this.slack, 'app_home_opened', { user: this.userId, tab: 'home' })));
  }

  /** Everything the page shows, for one channel. */
  state(channel: string | null): Record<string, unknown> {
    const selected = channel ?? this.channels[0]?.id ?? null;
    const modals = this.openModals();
    return {
      sandbox: true,
      team: { name: this.slack.teamName },
      user: { id: this.userId },
      bot: { id: this.slack.botUserId, connected: this.botUrl !== null },
      channels: this.channelList(),
      channel: selected
        ? {
            id: selected,
            name: this.channelName(selected),
            messages: this.slack.messages(selected).slice(-SHOWN_MESSAGES).map((message) => ({
              ts: message.ts,
              text: message.text ?? '',
              blocks: message.blocks ?? null,
              user: message.user,
              edits: message.edits,
              replies: this.slack.replies(selected, message.ts).map((reply) => ({ ts: reply.ts, text: reply.text ?? '', blocks: reply.blocks ?? null, edits: reply.edits })),
            })),
            ephemerals: this.slack
              .ephemerals({ channel: selected, user: this.userId })
              .slice(-SHOWN_EPHEMERALS)
              .map((message, index) => ({ id: `e${index}`, text: message.text ?? '', blocks: message.blocks ?? null, at: message.at.toISOString() })),
          }
        : null,
      home: this.slack.homeView(this.userId)?.view ?? null,
      modals: modals.map((view) => view.view),
    };
  }

  // ---------------------------------------------------------------- HTTP

  private async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (req.method === 'GET' && PAGE_FILES[url.pathname]) {
      const name = PAGE_FILES[url.pathname]!;
      res.writeHead(200, { 'content-type': CONTENT_TYPES[name.split('.').pop()!]!, 'cache-control': 'no-store' });
      res.end(await readPageFile(name));
      return true;
    }
    if (req.method === 'GET' && url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return true;
    }
    if (req.method === 'GET' && url.pathname === '/sandbox/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write('event: change\ndata: {}\n\n');
      this.clients.add(res);
      req.on('close', () => this.clients.delete(res));
      return true;
    }
    if (req.method === 'GET' && url.pathname === '/sandbox/state') {
      return json(res, 200, this.state(url.searchParams.get('channel')));
    }
    if (req.method !== 'POST' || !url.pathname.startsWith('/sandbox/')) return false;
    let post: PagePost;
    try {
      post = JSON.parse((await readBody(req)) || '{}') as PagePost;
    } catch {
      return json(res, 400, { error: 'the body must be JSON' });
    }
    try {
      const kind = url.pathname.slice('/sandbox/'.length);
      switch (kind) {
        case 'command':
          if (!post.channel || typeof post.text !== 'string') throw new SandboxRequestError('channel and text are required');
          return json(res, 200, await this.command(post.channel, post.text));
        case 'action':
          return json(res, 200, await this.blockAction(post));
        case 'submit':
          return json(res, 200, await this.viewSubmission(post));
        case 'close':
          return json(res, 200, (await this.viewClosed(post)) ?? { status: 0, body: null });
        case 'suggest':
          return json(res, 200, await this.suggest(post));
        case 'home':
          return json(res, 200, await this.homeOpened());
        default:
          return json(res, 404, { error: `no such sandbox request: ${kind}` });
      }
    } catch (error) {
      const status = error instanceof SandboxRequestError ? error.status : 502;
      return json(res, status, { error: (error as Error).message });
    }
  }

  /** Interactions are form posts with one `payload` field holding JSON. */
  private interactive(payload: Record<string, unknown>): Promise<BotAnswer> {
    return this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  }

  private async send(rawBody: string): Promise<BotAnswer> {
    if (!this.botUrl) throw new SandboxRequestError('the bot is still starting: try again in a moment', 503);
    const started = performance.now();
    const response = await fetch(this.botUrl, { method: 'POST', headers: signSlackRequest(this.options.signingSecret, rawBody), body: rawBody });
    const text = await response.text();
    const ms = Math.round(performance.now() - started);
    let body: unknown = text === '' ? undefined : text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) {
      try {
        body = JSON.parse(text);
      } catch {
        // left as text
      }
    }
    this.changed();
    return { status: response.status, body, ms, tooSlow: ms > ACK_DEADLINE_MS };
  }

  private changed(): void {
    // Several changes in a burst (a run posting and editing) become one refresh of the page.
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      this.broadcast('event: change\ndata: {}\n\n');
    }, 40);
  }

  private broadcast(chunk: string): void {
    for (const client of this.clients) client.write(chunk);
  }

  private channelName(channelId: string): string {
    return this.slack.channelOptions(channelId)?.name ?? channelId;
  }

  private channelList(): SandboxChannel[] {
    const known = new Set(this.channels.map((channel) => channel.id));
    const others = this.slack.channelIds().filter((id) => !known.has(id) && !id.startsWith('D'));
    return [...this.channels, ...others.map((id) => ({ id, name: this.channelName(id) }))];
  }

  /** The user's newest open modal stack, root first. */
  private openModals(): StoredView[] {
    const open = this.slack.views({ open: true, type: 'modal' });
    const newest = open.at(-1);
    return newest ? this.slack.viewStack(newest.id) : [];
  }
}

/** A page request the sandbox cannot carry out, with the HTTP status to answer. */
export class SandboxRequestError extends Error {
  override name = 'SandboxRequestError';
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** A signing secret for one sandbox run (hex, like Slack's). */
export function newSigningSecret(): string {
  return randomBytes(16).toString('hex');
}

function json(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body ?? null));
  return true;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The page lives next to this file in src/; compiled code (dist/src/sandbox) reads it from src/ too. */
async function readPageFile(name: string): Promise<string> {
  const candidates = [new URL(`./page/${name}`, import.meta.url), new URL(`../../../src/sandbox/page/${name}`, import.meta.url)];
  for (const candidate of candidates) {
    try {
      return await readFile(fileURLToPath(candidate), 'utf8');
    } catch {
      // next
    }
  }
  throw new Error(`sandbox page file ${name} is missing`);
}
