import { LogLevel, type Logger } from '@slack/bolt';
import type { FakeSlack } from '../fakes/fake-slack.js';
import type { FakeSocketMode } from '../fakes/fake-socket-mode.js';
import {
  buildBlockAction,
  buildCommand,
  buildEvent,
  buildOptionsRequest,
  buildViewClosed,
  buildViewSubmission,
  signSlackRequest,
  VERIFICATION_TOKEN,
  type BlockActionOptions,
  type BuiltCommand,
  type BuiltInteraction,
  type CommandOptions,
  type OptionsRequestOptions,
  type ViewClosedOptions,
  type ViewSubmissionOptions,
} from '../../src/sandbox/slack-payloads.js';

export * from '../../src/sandbox/slack-payloads.js';

/**
 * Drives a Bolt app the way Slack does, with the payload builders and signing of
 * src/sandbox/slack-payloads.ts: two drivers with the same methods — SlackHttpDriver (signed POSTs
 * to the HTTP receiver's `/slack/events`) and SlackSocketDriver (Socket Mode envelopes through
 * FakeSocketMode).
 */

// ------------------------------------------------------------------ drivers

export interface DriverResult {
  status: number;
  /** The ack body: parsed JSON, a string, or undefined when the ack carried nothing. */
  body: any;
  /** Milliseconds from sending to the ack. */
  ms: number;
}
export type CommandResult = DriverResult & Omit<BuiltCommand, 'fields'> & { payload: Record<string, string> };
export type InteractionResult = DriverResult & BuiltInteraction;

/** Posts to Bolt's HTTPReceiver exactly like Slack: form-encoded commands, `payload=` interactions, JSON events, all signed. */
export class SlackHttpDriver {
  readonly url: string;

  constructor(
    baseUrl: string,
    readonly signingSecret: string,
    readonly fake: FakeSlack,
  ) {
    const trimmed = baseUrl.replace(/\/+$/, '');
    this.url = trimmed.endsWith('/slack/events') ? trimmed : `${trimmed}/slack/events`;
  }

  async command(text: string, options: CommandOptions = {}): Promise<CommandResult> {
    const { fields, ...built } = buildCommand(this.fake, text, options);
    const result = await this.signed(new URLSearchParams(fields).toString());
    return { ...result, ...built, payload: fields };
  }

  async blockAction(options: BlockActionOptions): Promise<InteractionResult> {
    const built = buildBlockAction(this.fake, options);
    return { ...(await this.interactive(built.payload)), ...built };
  }

  async viewSubmission(options: ViewSubmissionOptions): Promise<InteractionResult> {
    const built = buildViewSubmission(this.fake, options);
    const result = await this.interactive(built.payload);
    if (result.status === 200) this.fake.viewSubmitted(built.payload.view.id, result.body);
    return { ...result, ...built };
  }

  async viewClosed(options: ViewClosedOptions): Promise<DriverResult & { payload: Record<string, any> }> {
    const built = buildViewClosed(this.fake, options);
    const result = await this.interactive(built.payload);
    this.fake.viewClosedByUser(built.payload.view.id, { isCleared: built.payload.is_cleared });
    return { ...result, ...built };
  }

  async optionsRequest(options: OptionsRequestOptions): Promise<DriverResult & { payload: Record<string, any> }> {
    const built = buildOptionsRequest(this.fake, options);
    return { ...(await this.interactive(built.payload)), ...built };
  }

  async event(type: string, fields: Record<string, unknown> = {}, { retryNum }: { retryNum?: number } = {}): Promise<DriverResult & { payload: Record<string, any> }> {
    const payload = buildEvent(this.fake, type, fields);
    const extra: Record<string, string> = retryNum === undefined ? {} : { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' };
    return { ...(await this.signed(JSON.stringify(payload), extra)), payload };
  }

  async urlVerification(challenge: string): Promise<DriverResult> {
    return this.signed(JSON.stringify({ token: VERIFICATION_TOKEN, challenge, type: 'url_verification' }));
  }

  /** Posts `body` with exactly these headers (nothing added): for unsigned, wrongly signed or stale requests. */
  async raw(body: string, headers: Record<string, string>): Promise<DriverResult> {
    const started = performance.now();
    const response = await fetch(this.url, { method: 'POST', headers, body });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    let parsed: unknown = text === '' ? undefined : text;
    if (text !== '' && contentType.includes('application/json')) parsed = JSON.parse(text);
    return { status: response.status, body: parsed, ms: Math.round(performance.now() - started) };
  }

  private signed(body: string, extra: Record<string, string> = {}): Promise<DriverResult> {
    return this.raw(body, { ...signSlackRequest(this.signingSecret, body), ...extra });
  }

  private interactive(payload: Record<string, any>): Promise<DriverResult> {
    return this.signed(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  }
}

/**
 * The same methods over Socket Mode: each becomes an envelope on FakeSocketMode, and the result's
 * `body` is the ack's payload (undefined when empty), `status` is 200 once acked.
 */
export class SlackSocketDriver {
  constructor(
    readonly socket: FakeSocketMode,
    readonly fake: FakeSlack = socket.slack,
  ) {}

  async command(text: string, options: CommandOptions = {}): Promise<CommandResult & { envelopeId: string }> {
    const { fields, ...built } = buildCommand(this.fake, text, options);
    return { ...(await this.send('slash_commands', fields)), ...built, payload: fields };
  }

  async blockAction(options: BlockActionOptions): Promise<InteractionResult & { envelopeId: string }> {
    const built = buildBlockAction(this.fake, options);
    return { ...(await this.send('interactive', built.payload)), ...built };
  }

  async viewSubmission(options: ViewSubmissionOptions): Promise<InteractionResult & { envelopeId: string }> {
    const built = buildViewSubmission(this.fake, options);
    const result = await this.send('interactive', built.payload);
    this.fake.viewSubmitted(built.payload.view.id, result.body);
    return { ...result, ...built };
  }

  async viewClosed(options: ViewClosedOptions): Promise<DriverResult & { payload: Record<string, any>; envelopeId: string }> {
    const built = buildViewClosed(this.fake, options);
    const result = await this.send('interactive', built.payload);
    this.fake.viewClosedByUser(built.payload.view.id, { isCleared: built.payload.is_cleared });
    return { ...result, ...built };
  }

  async optionsRequest(options: OptionsRequestOptions): Promise<DriverResult & { payload: Record<string, any>; envelopeId: string }> {
    const built = buildOptionsRequest(this.fake, options);
    return { ...(await this.send('interactive', built.payload)), ...built };
  }

  async event(type: string, fields: Record<string, unknown> = {}): Promise<DriverResult & { payload: Record<string, any>; envelopeId: string }> {
    const payload = buildEvent(this.fake, type, fields);
    return { ...(await this.send('events_api', payload)), payload };
  }

  private async send(type: 'slash_commands' | 'interactive' | 'events_api', payload: unknown): Promise<DriverResult & { envelopeId: string }> {
    const { envelopeId, ack, ackedInMs } = await this.socket.send(type, payload);
    const body = ack.payload;
    const empty = body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0);
    return { status: 200, body: empty ? undefined : body, ms: ackedInMs, envelopeId };
  }
}

// ------------------------------------------------------------------ logging

export interface CapturedSlackLogger extends Logger {
  /** `[LEVEL] message` lines, for assertions (debug lines are dropped). */
  readonly lines: string[];
}

/**
 * A logger for Bolt / WebClient / SocketModeClient in tests: keeps info, warn and error lines in
 * memory instead of printing them (web-api logs Slack's `[ERROR] …` refusal messages at error level).
 */
export function captureSlackLogger(): CapturedSlackLogger {
  const lines: string[] = [];
  let level = LogLevel.INFO;
  const keep = (name: string) => (...msg: unknown[]) => void lines.push(`[${name}] ${msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ')}`);
  return {
    lines,
    debug: () => {},
    info: keep('INFO'),
    warn: keep('WARN'),
    error: keep('ERROR'),
    setLevel: (next: LogLevel) => void (level = next),
    getLevel: () => level,
    setName: () => {},
  };
}

// ------------------------------------------------------------------ Bolt against the fakes

/**
 * The App options that make Bolt talk to a FakeSlack without calling auth.test first (STACK.md
 * item 7): a bot token, the fake's bot ids, and `clientOptions.slackApiUrl`. Spread them into
 * `new App({ ...boltOptionsFor(slack), signingSecret })` or, with Socket Mode,
 * `new App({ ...boltOptionsFor(slack), socketMode: true, appToken: 'xapp-1-test' })` — Bolt hands
 * the same clientOptions to the socket-mode client, so apps.connections.open reaches the fake too.
 */
export function boltOptionsFor(slack: FakeSlack, { token = 'xoxb-test', logger }: { token?: string; logger?: Logger } = {}) {
  return {
    token,
    botId: slack.botId,
    botUserId: slack.botUserId,
    tokenVerificationEnabled: false,
    clientOptions: { slackApiUrl: slack.url },
    logger: logger ?? captureSlackLogger(),
  };
}

/** Starts a Bolt app's HTTPReceiver on a free port of 127.0.0.1 and returns its base URL (the driver adds /slack/events). */
export async function startBoltHttp(app: { start(options: { port: number; host: string }): Promise<unknown> }): Promise<string> {
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as import('node:http').Server;
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('Bolt did not listen on a TCP port');
  return `http://127.0.0.1:${address.port}`;
}
