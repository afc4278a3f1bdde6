import { createHmac, randomBytes } from 'node:crypto';
import { LogLevel, type Logger } from '@slack/bolt';
import type { FakeSlack, StoredView } from '../fakes/fake-slack.js';
import type { FakeSocketMode } from '../fakes/fake-socket-mode.js';

/**
 * Drives a Bolt app the way Slack does: payload builders shaped like Slack's, request signing for
 * the HTTP receiver (`/slack/events`), and two drivers with the same methods — SlackHttpDriver
 * (signed POSTs) and SlackSocketDriver (Socket Mode envelopes through FakeSocketMode).
 *
 * Payloads take their trigger_ids and response_urls from the FakeSlack, and block actions and
 * view submissions take what they can from what the app really posted there (a button's block_id,
 * type and value, the view's hash / callback_id / private_metadata), so a test clicks what exists.
 */

export const DEFAULT_USER = 'U_ALICE';
export const DEFAULT_CHANNEL = 'C_OPS';
/** The deprecated verification token Slack still puts in payloads. */
export const VERIFICATION_TOKEN = 'verification-token';

// ------------------------------------------------------------------ signing

/**
 * Headers Slack would send: `x-slack-signature` = `v0=` + HMAC-SHA256(secret, `v0:{ts}:{body}`),
 * `x-slack-request-timestamp` (seconds), and the content type (JSON when the body looks like JSON).
 */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestamp: number = Math.floor(Date.now() / 1000),
  contentType: string = /^\s*\{/.test(rawBody) ? 'application/json' : 'application/x-www-form-urlencoded',
): Record<string, string> {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${signature}`,
  };
}

// ------------------------------------------------------------------ payload builders

export interface CommandOptions {
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  teamId?: string;
  command?: string;
}

export interface BuiltCommand {
  /** The form fields exactly as Slack sends them (strings). */
  fields: Record<string, string>;
  responseUrl: string;
  responseUrlId: string;
  triggerId: string;
}

export function buildCommand(fake: FakeSlack, text: string, options: CommandOptions = {}): BuiltCommand {
  const userId = options.userId ?? DEFAULT_USER;
  const channelId = options.channelId ?? DEFAULT_CHANNEL;
  const responseUrl = fake.newResponseUrl({ channelId, userId });
  const triggerId = fake.newTriggerId({ userId });
  const fields: Record<string, string> = {
    token: VERIFICATION_TOKEN,
    team_id: options.teamId ?? fake.teamId,
    team_domain: fake.teamDomain,
    channel_id: channelId,
    channel_name: options.channelName ?? channelNameOf(channelId),
    user_id: userId,
    user_name: options.userName ?? userNameOf(userId),
    command: options.command ?? '/tether',
    text,
    api_app_id: fake.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId,
  };
  return { fields, responseUrl, responseUrlId: responseUrlIdOf(responseUrl), triggerId };
}

export interface ViewRef {
  id: string;
  hash?: string;
  private_metadata?: string;
  callback_id?: string;
  state?: { values: Record<string, Record<string, unknown>> };
}

export interface BlockActionOptions {
  actionId: string;
  /** Button value (default: the value of the button the app posted). */
  value?: string;
  /** For selects and overflows: the option's value (looked up in the element) or the option itself. */
  selectedOption?: string | { value: string; text?: { type: 'plain_text'; text: string } };
  /** Default: the block the element is in on the posted message/view. */
  blockId?: string;
  userId?: string;
  /** Message actions: where the message is (default C_OPS). */
  channelId?: string;
  messageTs?: string;
  /** View actions: the view (filled in from the FakeSlack's copy of it). */
  view?: ViewRef;
  viewId?: string;
}

export interface BuiltInteraction {
  payload: Record<string, any>;
  triggerId: string;
  /** Message actions only. */
  responseUrl?: string;
  responseUrlId?: string;
}

export function buildBlockAction(fake: FakeSlack, options: BlockActionOptions): BuiltInteraction {
  const userId = options.userId ?? DEFAULT_USER;
  const viewId = options.view?.id ?? options.viewId;
  const common = {
    type: 'block_actions',
    user: userOf(fake, userId),
    api_app_id: fake.appId,
    token: VERIFICATION_TOKEN,
    team: { id: fake.teamId, domain: fake.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
  };
  if (viewId !== undefined) {
    const stored = fake.view(viewId);
    if (stored && !stored.open) throw new Error(`view ${viewId} is closed: nobody can click in it`);
    const view = viewPayload(fake, viewId, stored, options.view ?? {});
    const action = actionOf(options, stored ? (stored.view.blocks as unknown[]) : undefined, `view ${viewId}`);
    const triggerId = fake.newTriggerId({ userId, viewId });
    return {
      triggerId,
      payload: { ...common, container: { type: 'view', view_id: viewId }, trigger_id: triggerId, view, state: view.state, actions: [action] },
    };
  }
  const channelId = options.channelId ?? DEFAULT_CHANNEL;
  const stored = options.messageTs ? fake.message(channelId, options.messageTs) : undefined;
  if (options.messageTs && stored?.deleted) throw new Error(`message ${options.messageTs} in ${channelId} was deleted`);
  const messageTs = options.messageTs ?? stored?.ts ?? '1700000000.000100';
  const action = actionOf(options, stored?.blocks, `message ${messageTs} in ${channelId}`);
  const responseUrl = fake.newResponseUrl({ channelId, userId, messageTs });
  const triggerId = fake.newTriggerId({ userId });
  const message = {
    type: 'message',
    ts: messageTs,
    text: stored?.text ?? '',
    ...(stored?.blocks ? { blocks: stored.blocks } : {}),
    ...(stored ? { user: stored.user, bot_id: fake.botId, app_id: fake.appId } : {}),
    ...(stored?.threadTs ? { thread_ts: stored.threadTs } : {}),
  };
  return {
    triggerId,
    responseUrl,
    responseUrlId: responseUrlIdOf(responseUrl),
    payload: {
      ...common,
      container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
      trigger_id: triggerId,
      channel: { id: channelId, name: channelNameOf(channelId) },
      message,
      state: { values: {} },
      response_url: responseUrl,
      actions: [action],
    },
  };
}

export interface ViewSubmissionOptions {
  viewId?: string;
  callbackId?: string;
  privateMetadata?: string;
  /** `view.state.values`: `{ [block_id]: { [action_id]: { type, value | selected_option | … } } }`. */
  values?: Record<string, Record<string, unknown>>;
  userId?: string;
  hash?: string;
}

export function buildViewSubmission(fake: FakeSlack, options: ViewSubmissionOptions): BuiltInteraction {
  const userId = options.userId ?? DEFAULT_USER;
  const viewId = options.viewId ?? randomViewId();
  const stored = fake.view(viewId);
  if (stored && !stored.open) throw new Error(`view ${viewId} is closed: it cannot be submitted`);
  const view = viewPayload(fake, viewId, stored, {
    ...(options.hash !== undefined ? { hash: options.hash } : {}),
    ...(options.callbackId !== undefined ? { callback_id: options.callbackId } : {}),
    ...(options.privateMetadata !== undefined ? { private_metadata: options.privateMetadata } : {}),
    state: { values: options.values ?? {} },
  });
  const triggerId = fake.newTriggerId({ userId, viewId });
  return {
    triggerId,
    payload: {
      type: 'view_submission',
      team: { id: fake.teamId, domain: fake.teamDomain },
      user: userOf(fake, userId),
      api_app_id: fake.appId,
      token: VERIFICATION_TOKEN,
      trigger_id: triggerId,
      view,
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    },
  };
}

export interface ViewClosedOptions extends Omit<ViewSubmissionOptions, 'values'> {
  /** True when the user closed the whole stack (X), false for a Back/close of one view. */
  isCleared?: boolean;
}

export function buildViewClosed(fake: FakeSlack, options: ViewClosedOptions): { payload: Record<string, any> } {
  const userId = options.userId ?? DEFAULT_USER;
  const viewId = options.viewId ?? randomViewId();
  const view = viewPayload(fake, viewId, fake.view(viewId), {
    ...(options.callbackId !== undefined ? { callback_id: options.callbackId } : {}),
    ...(options.privateMetadata !== undefined ? { private_metadata: options.privateMetadata } : {}),
  });
  return {
    payload: {
      type: 'view_closed',
      team: { id: fake.teamId, domain: fake.teamDomain },
      user: userOf(fake, userId),
      api_app_id: fake.appId,
      token: VERIFICATION_TOKEN,
      view,
      is_cleared: options.isCleared ?? false,
      is_enterprise_install: false,
      enterprise: null,
    },
  };
}

export interface OptionsRequestOptions {
  actionId: string;
  /** What the user typed. */
  value: string;
  blockId?: string;
  userId?: string;
  viewId?: string;
  channelId?: string;
  messageTs?: string;
}

/** block_suggestion: an external_select asks the app for options. */
export function buildOptionsRequest(fake: FakeSlack, options: OptionsRequestOptions): { payload: Record<string, any> } {
  const userId = options.userId ?? DEFAULT_USER;
  const stored = options.viewId ? fake.view(options.viewId) : undefined;
  const found = stored ? findElement(stored.view.blocks as unknown[], options.actionId) : undefined;
  return {
    payload: {
      type: 'block_suggestion',
      user: userOf(fake, userId),
      container: options.viewId
        ? { type: 'view', view_id: options.viewId }
        : { type: 'message', message_ts: options.messageTs, channel_id: options.channelId ?? DEFAULT_CHANNEL, is_ephemeral: false },
      api_app_id: fake.appId,
      token: VERIFICATION_TOKEN,
      action_id: options.actionId,
      block_id: options.blockId ?? found?.blockId ?? randomBlockId(),
      value: options.value,
      team: { id: fake.teamId, domain: fake.teamDomain },
      ...(options.viewId ? { view: viewPayload(fake, options.viewId, stored, {}) } : {}),
      enterprise: null,
      is_enterprise_install: false,
    },
  };
}

/** An Events API `event_callback` body. `app_home_opened` gets `tab: 'home'`, the DM channel and the published Home view. */
export function buildEvent(fake: FakeSlack, type: string, fields: Record<string, unknown> = {}): Record<string, any> {
  const user = typeof fields.user === 'string' ? fields.user : DEFAULT_USER;
  const now = Date.now() / 1000;
  const home = type === 'app_home_opened' ? fake.homeView(user) : undefined;
  return {
    token: VERIFICATION_TOKEN,
    team_id: fake.teamId,
    api_app_id: fake.appId,
    event: {
      type,
      user,
      ...(type === 'app_home_opened' ? { channel: `D${user.slice(1)}`, tab: 'home', ...(home ? { view: home.view } : {}) } : {}),
      event_ts: now.toFixed(6),
      ...fields,
    },
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(now),
    authorizations: [{ enterprise_id: null, team_id: fake.teamId, user_id: fake.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(8).toString('hex')}`,
  };
}

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

// ------------------------------------------------------------------ helpers

const responseUrlIdOf = (url: string): string => url.slice(url.lastIndexOf('/') + 1);
const channelNameOf = (channelId: string): string => (channelId.startsWith('D') ? 'directmessage' : channelId.toLowerCase().replace(/^c_?/, '') || channelId);
const userNameOf = (userId: string): string => userId.toLowerCase().replace(/^u_?/, '') || userId;
const userOf = (fake: FakeSlack, userId: string) => ({ id: userId, username: userNameOf(userId), name: userNameOf(userId), team_id: fake.teamId });
const randomBlockId = (): string => randomBytes(3).toString('base64url').slice(0, 5);
const randomViewId = (): string => `V${randomBytes(5).toString('hex').toUpperCase()}`;

function viewPayload(fake: FakeSlack, viewId: string, stored: StoredView | undefined, overrides: object): Record<string, any> {
  const base: Record<string, any> = stored
    ? structuredClone(stored.view)
    : {
        id: viewId,
        team_id: fake.teamId,
        type: 'modal',
        blocks: [],
        private_metadata: '',
        callback_id: '',
        state: { values: {} },
        hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
        title: { type: 'plain_text', text: 'Modal' },
        clear_on_close: false,
        notify_on_close: false,
        previous_view_id: null,
        root_view_id: viewId,
        app_id: fake.appId,
        external_id: '',
        app_installed_team_id: fake.teamId,
        bot_id: fake.botId,
      };
  const clean = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return { ...base, ...clean, id: viewId };
}

interface FoundElement {
  blockId: string | undefined;
  element: Record<string, any>;
}

function findElement(blocks: unknown[] | undefined, actionId: string): FoundElement | undefined {
  for (const block of blocks ?? []) {
    if (typeof block !== 'object' || block === null) continue;
    const b = block as Record<string, any>;
    const candidates: unknown[] = [...(Array.isArray(b.elements) ? b.elements : []), b.accessory, b.element];
    for (const element of candidates)
      if (typeof element === 'object' && element !== null && (element as Record<string, any>).action_id === actionId)
        return { blockId: b.block_id, element: element as Record<string, any> };
  }
  return undefined;
}

function optionsOf(element: Record<string, any>): Record<string, any>[] {
  const groups: Record<string, any>[] = Array.isArray(element.option_groups) ? element.option_groups : [];
  return [...(Array.isArray(element.options) ? element.options : []), ...groups.flatMap((group) => group.options ?? [])];
}

/** The `actions[0]` Slack would send for a click on `actionId` (taken from the posted blocks when the fake has them). */
function actionOf(options: BlockActionOptions, blocks: unknown[] | undefined, where: string): Record<string, any> {
  const found = findElement(blocks, options.actionId);
  if (blocks !== undefined && !found) throw new Error(`no element with action_id ${JSON.stringify(options.actionId)} on ${where}`);
  const element = found?.element;
  const type: string = element?.type ?? (options.selectedOption !== undefined ? 'static_select' : 'button');
  const action: Record<string, any> = {
    type,
    action_id: options.actionId,
    block_id: options.blockId ?? found?.blockId ?? randomBlockId(),
    action_ts: (Date.now() / 1000).toFixed(6),
  };
  if (type === 'button') {
    action.text = element?.text ?? { type: 'plain_text', text: options.actionId, emoji: true };
    const value = options.value ?? element?.value;
    if (value !== undefined) action.value = value;
    if (element?.style) action.style = element.style;
  } else if (options.selectedOption !== undefined) {
    const wanted = typeof options.selectedOption === 'string' ? options.selectedOption : options.selectedOption.value;
    const known = element ? optionsOf(element) : [];
    const option = known.find((o) => o.value === wanted);
    if (element && known.length > 0 && !option) throw new Error(`${options.actionId} on ${where} has no option with value ${JSON.stringify(wanted)}`);
    action.selected_option =
      option ?? (typeof options.selectedOption === 'string' ? { text: { type: 'plain_text', text: wanted }, value: wanted } : options.selectedOption);
    if (element?.placeholder) action.placeholder = element.placeholder;
  } else if (options.value !== undefined) {
    action.value = options.value;
  }
  return action;
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
