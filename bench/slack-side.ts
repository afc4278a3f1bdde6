/**
 * "Slack" for bench/slack.ts: the FakeSlack (Web API, response_urls, trigger_ids, views) and the
 * driver — SlackHttpDriver (signed HTTP requests), or SlackSocketDriver on a FakeSocketMode for
 * Socket Mode — with the measurements the benchmark makes. Run as a
 * child process (`fork`, the default: Slack is not in the bot's process, so its CPU and its event
 * loop turns do not count against the bot's) or in-process (BENCH_SLACK_IN_PROCESS=1).
 *
 * In a child process it answers `{ id, method, args }` messages with `{ id, result }` / `{ id, error }`.
 */
import { Worker } from 'node:worker_threads';
import { FakeSlack, type SlackCall } from '../test/fakes/fake-slack.js';
import { FakeSocketMode } from '../test/fakes/fake-socket-mode.js';
import { signSlackRequest, SlackHttpDriver, SlackSocketDriver, type BlockActionOptions } from '../test/support/slack-requests.js';
import { buildCommand } from '../src/sandbox/slack-payloads.js';
import { ACTIONS, VIEWS } from '../src/slack/ids.js';

export interface CommandTiming {
  text: string;
  /** Send → HTTP response, or envelope sent → its ack on the socket (the driver's `ms`). */
  ackMs: number;
  status: number;
  /** Send → the answer at the fake: help's ack (or its response_url POST when the front acked early), items' final views.update, the others' response_url POST. */
  answerMs: number;
  /** Why the answer failed (views.open expired_trigger_id, …), or null. */
  failed: string | null;
  /** The answer was an error message (":warning: …"). */
  refused: string | null;
  /** When it was sent (performance.timeOrigin + performance.now(): comparable across processes). */
  sentAbs: number;
  /** The x-slack-signature it may have carried (the timestamp is the second it was signed in), to find it in the bot's records. */
  signatures: string[];
}

const absNow = () => performance.timeOrigin + performance.now();

interface SentCommand {
  text: string;
  sentAt: number;
  sentAbs: number;
  ackMs: number;
  ackAnswered: boolean;
  status: number;
  triggerId: string;
  responseUrlId: string;
  signatures: string[];
}

type SenderMessage =
  | { type: 'next' }
  | { type: 'sent'; index: number; status: number; bodyLength: number; ms: number; sentAt: number; sentAbs: number }
  | { type: 'done' };

/**
 * The sender thread: `concurrency` lanes; each asks for a command, sends it (kept-alive
 * connections, like Slack's), and reports its ack's status, body size and time.
 */
const SENDER = `
  const { workerData, parentPort } = require('node:worker_threads');
  const http = require('node:http');
  const { url, concurrency } = workerData;
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const waiting = [];
  parentPort.on('message', (message) => waiting.shift()(message));
  const ask = () => new Promise((resolve) => { waiting.push(resolve); parentPort.postMessage({ type: 'next' }); });
  const send = ({ index, body, headers }) => new Promise((resolve) => {
    const sentAt = Date.now();
    const started = performance.now();
    const done = (status, bodyLength) => resolve({ type: 'sent', index, status, bodyLength, ms: Math.round(performance.now() - started), sentAt, sentAbs: performance.timeOrigin + started });
    // Slack gives up after 3 s; 10 s without an answer is a failed ack (status 0), never a hang.
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent, timeout: 10000 }, (res) => {
      let bodyLength = 0;
      res.on('data', (chunk) => (bodyLength += chunk.length));
      res.on('end', () => done(res.statusCode, bodyLength));
      res.on('error', () => done(0, 0));
    });
    req.on('timeout', () => req.destroy(new Error('no ack within 10 s')));
    req.on('error', () => done(0, 0));
    req.end(body);
  });
  const lane = async () => {
    for (;;) {
      const command = await ask();
      if (command.type !== 'send') return;
      parentPort.postMessage(await send(command));
    }
  };
  Promise.all(Array.from({ length: concurrency }, lane)).then(() => parentPort.postMessage({ type: 'done' }));
`;

export class SlackSide {
  readonly fake = new FakeSlack();
  private socket: FakeSocketMode | null = null;
  private driver: SlackHttpDriver | SlackSocketDriver | null = null;
  private signingSecret = '';
  private botUrl: string | null = null;
  private readonly consumed = new Set<SlackCall>();

  /** Starts the fake Web API (and, for Socket Mode, the fake Socket Mode server on it); returns the slackApiUrl. */
  async start(options: { socketMode: boolean }): Promise<{ slackUrl: string }> {
    if (options.socketMode) this.socket = new FakeSocketMode({ slack: this.fake });
    const slackUrl = await this.fake.start();
    await this.socket?.start();
    return { slackUrl };
  }

  /** HTTP: signed requests to the bot's /slack/events. Socket Mode (botUrl null): envelopes on the bot's WebSocket. */
  connect(botUrl: string | null, signingSecret: string): void {
    this.driver = botUrl ? new SlackHttpDriver(botUrl, signingSecret, this.fake) : new SlackSocketDriver(this.socket!, this.fake);
    this.signingSecret = signingSecret;
    this.botUrl = botUrl;
  }

  async stop(): Promise<void> {
    await this.socket?.stop();
    await this.fake.stop();
  }

  /** Commands one after the other, each until its answer (not measured: a long-running bot is warm). */
  async warmUp(texts: string[]): Promise<void> {
    for (const text of texts) await this.burst([text], 1);
  }

  /** `texts` as `/tether` commands, `concurrency` in flight; resolves once every one is answered. */
  async burst(texts: string[], concurrency: number, answerTimeoutMs = 120_000): Promise<CommandTiming[]> {
    const sent = this.botUrl ? await this.sendFromThread(texts, concurrency) : await this.sendOnSocket(texts, concurrency);
    const answers = new Map<(typeof sent)[number], CommandTiming>();
    const deadline = Date.now() + answerTimeoutMs;
    while (answers.size < sent.length) {
      for (const command of sent) {
        if (answers.has(command)) continue;
        const timing = (answerMs: number, failed: string | null = null, refused: string | null = null) =>
          answers.set(command, { text: command.text, ackMs: command.ackMs, status: command.status, answerMs, failed, refused, sentAbs: command.sentAbs, signatures: command.signatures });
        const kind = command.text.split(' ')[0];
        if (kind === 'help' && command.ackAnswered) timing(command.ackMs);
        else if (kind === 'help') {
          // Acked early by the HTTP front: Bolt's help went to the response_url.
          const post = this.fake.responses(command.responseUrlId)[0];
          if (post) timing(post.at.getTime() - command.sentAt, post.ok ? null : `response_url ${post.error}`);
        }
        else if (kind === 'items') {
          const open = this.fake.calls.find((call) => call.method === 'views.open' && call.args.trigger_id === command.triggerId);
          if (!open) continue;
          if (open.failed) {
            timing(open.at.getTime() - command.sentAt, `views.open ${open.error}`);
            continue;
          }
          const viewId = open.response?.view?.id;
          const update = this.fake.calls.find((call) => call.method === 'views.update' && call.args.view_id === viewId);
          if (!update) continue;
          const failed = update.failed ? `views.update ${update.error}` : update.args.view?.callback_id !== VIEWS.items ? 'an error modal' : null;
          timing(update.at.getTime() - command.sentAt, failed);
        } else {
          const post = this.fake.responses(command.responseUrlId)[0];
          if (!post) continue;
          // An error answer (errorMessage) starts with a ":warning: …" section.
          const refused = String(post.body.blocks?.[0]?.text?.text ?? '').startsWith(':warning:') ? String(post.body.text) : null;
          timing(post.at.getTime() - command.sentAt, post.ok ? null : `response_url ${post.error}`, refused);
        }
      }
      if (answers.size === sent.length) break;
      if (Date.now() > deadline) {
        const missing = sent.filter((command) => !answers.has(command)).map((command) => command.text);
        throw new Error(`${missing.length} commands had no answer within ${answerTimeoutMs / 1000} s: ${missing.slice(0, 5).join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return sent.map((command) => answers.get(command)!);
  }

  /** Socket Mode: envelopes on the bot's WebSocket, `concurrency` in flight. */
  private async sendOnSocket(texts: string[], concurrency: number): Promise<SentCommand[]> {
    const driver = this.requireDriver();
    const sent: SentCommand[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, texts.length) }, async () => {
        while (next < texts.length) {
          const text = texts[next++]!;
          const sentAt = Date.now();
          const sentAbs = absNow();
          const result = await driver.command(text);
          sent.push({ text, sentAt, sentAbs, ackMs: result.ms, ackAnswered: !!result.body, status: result.status, triggerId: result.triggerId, responseUrlId: result.responseUrlId, signatures: [] });
        }
      }),
    );
    return sent;
  }

  /**
   * HTTP: signed requests sent and timed by a thread of their own (SENDER below), whose event loop
   * does nothing else — as Slack's senders are not Slack's Web API. Timed on this thread, the acks
   * waited behind the fake's work (each views.update and response_url POST parsed and checked
   * against Block Kit's rules). Each command is built here when its lane is free (its trigger_id
   * is fresh, as when a person types it), signed, and handed to the thread.
   */
  private async sendFromThread(texts: string[], concurrency: number): Promise<SentCommand[]> {
    const sender = new Worker(SENDER, { eval: true, workerData: { url: (this.requireDriver() as SlackHttpDriver).url, concurrency: Math.min(concurrency, texts.length) } });
    const built: { text: string; triggerId: string; responseUrlId: string; signature: string }[] = [];
    const sent: SentCommand[] = [];
    let next = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        const handle = (message: SenderMessage) => {
          if (message.type === 'next') {
            if (next >= texts.length) return void sender.postMessage({ type: 'none' });
            const text = texts[next]!;
            const { fields, triggerId, responseUrlId } = buildCommand(this.fake, text);
            const body = new URLSearchParams(fields).toString();
            const headers = signSlackRequest(this.signingSecret, body);
            built[next] = { text, triggerId, responseUrlId, signature: headers['x-slack-signature']! };
            sender.postMessage({ type: 'send', index: next, body, headers });
            next += 1;
          } else if (message.type === 'sent') {
            const command = built[message.index]!;
            sent.push({ text: command.text, sentAt: message.sentAt, sentAbs: message.sentAbs, ackMs: message.ms, ackAnswered: message.bodyLength > 0, status: message.status, triggerId: command.triggerId, responseUrlId: command.responseUrlId, signatures: [command.signature] });
          } else if (message.type === 'done') resolve();
        };
        sender.on('error', reject);
        sender.on('exit', (code) => reject(new Error(`the sender thread stopped (exit code ${code})`)));
        sender.on('message', (message: SenderMessage) => {
          try {
            handle(message);
          } catch (error) {
            reject(error as Error);
          }
        });
      });
    } finally {
      await sender.terminate();
    }
    return sent;
  }

  /** `/tether <text>` until the items modal is filled (its final views.update); the ms and the view's id. */
  async openModal(text: string): Promise<{ ms: number; viewId: string }> {
    const sentAt = Date.now();
    const result = await this.requireDriver().command(text);
    if (result.status !== 200) throw new Error(`${text}: HTTP ${result.status}`);
    const open = await this.fake.waitFor('views.open', (call) => call.args.trigger_id === result.triggerId, 60_000);
    if (open.failed) throw new Error(`${text}: views.open ${open.error}`);
    const viewId = open.response!.view.id as string;
    const update = await this.fake.waitFor('views.update', (call) => call.args.view_id === viewId, 60_000);
    this.consumed.add(update);
    this.check(update, text);
    return { ms: update.at.getTime() - sentAt, viewId };
  }

  /** A block action in the modal; the ms from sending it to its views.update at the fake. */
  async act(viewId: string, options: Omit<BlockActionOptions, 'viewId'>): Promise<number> {
    const sentAt = Date.now();
    const result = await this.requireDriver().blockAction({ ...options, viewId });
    if (result.status !== 200) throw new Error(`${options.actionId}: HTTP ${result.status}`);
    const update = await this.fake.waitFor('views.update', (call) => call.args.view_id === viewId && !this.consumed.has(call), 60_000);
    this.consumed.add(update);
    this.check(update, options.actionId);
    return update.at.getTime() - sentAt;
  }

  hasNext(viewId: string): boolean {
    return JSON.stringify(this.fake.view(viewId)?.view.blocks ?? []).includes(`"${ACTIONS.itemsNext}"`);
  }

  /** What the fake saw: calls per method, failed calls, Block Kit violations. */
  summary(): { calls: Record<string, number>; failed: Record<string, number>; violations: string[] } {
    const calls: Record<string, number> = {};
    const failed: Record<string, number> = {};
    for (const call of this.fake.calls) {
      calls[call.method] = (calls[call.method] ?? 0) + 1;
      if (call.failed) failed[`${call.method} ${call.error}`] = (failed[`${call.method} ${call.error}`] ?? 0) + 1;
    }
    return { calls, failed, violations: this.fake.violations.slice(0, 5).map((v) => `${v.method}: ${v.reason}`) };
  }

  private check(update: SlackCall, what: string): void {
    if (update.failed || update.args.view?.callback_id !== VIEWS.items)
      throw new Error(`${what}: ${update.error ?? `not the items modal: ${JSON.stringify(update.args.view?.blocks).slice(0, 500)}`}`);
  }

  private requireDriver(): SlackHttpDriver | SlackSocketDriver {
    if (!this.driver) throw new Error('connect() first');
    return this.driver;
  }
}

const METHODS = ['start', 'connect', 'stop', 'warmUp', 'burst', 'openModal', 'act', 'hasNext', 'summary'] as const;
type Method = (typeof METHODS)[number];
export type SlackSideApi = { [M in Method]: (...args: Parameters<SlackSide[M]>) => Promise<Awaited<ReturnType<SlackSide[M]>>> };

/** The same methods on a SlackSide in this process. */
export function inProcess(side: SlackSide): SlackSideApi {
  const call = (method: Method) => async (...args: unknown[]) => (side[method] as (...a: unknown[]) => unknown).apply(side, args);
  return Object.fromEntries(METHODS.map((m) => [m, call(m)])) as unknown as SlackSideApi;
}

/** The same methods on a SlackSide in a child process (forked with this file). */
export function overIpc(child: { send(message: unknown): boolean; on(event: 'message', listener: (message: any) => void): unknown }): SlackSideApi {
  let nextId = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(`slack side: ${message.error}`));
    else waiter.resolve(message.result);
  });
  const call = (method: Method) => (...args: unknown[]) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, method, args });
    });
  return Object.fromEntries(METHODS.map((m) => [m, call(m)])) as unknown as SlackSideApi;
}

// Forked by bench/slack.ts: serve the methods over IPC.
if (process.send && process.argv.includes('--slack-side')) {
  const side = new SlackSide();
  process.on('message', async (message: { id: number; method: Method; args: unknown[] }) => {
    try {
      const result = await (side[message.method] as (...a: unknown[]) => unknown).apply(side, message.args);
      process.send!({ id: message.id, result: result ?? null });
    } catch (error) {
      process.send!({ id: message.id, error: (error as Error).stack ?? String(error) });
    }
  });
  process.on('disconnect', () => void side.stop().finally(() => process.exit(0)));
}
