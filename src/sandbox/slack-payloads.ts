import { createHmac, randomBytes } from 'node:crypto';
import type { SlackWebApi, StoredView } from './slack-web-api.js';

/**
 * The requests Slack sends to an app, built the way Slack builds them: slash command form fields,
 * block_actions, view_submission, view_closed, block_suggestion and Events API bodies, and the
 * signature (`x-slack-signature`) over them. The sandbox's page and the tests' drivers send these
 * to the bot's receiver.
 *
 * Payloads take their trigger_ids and response_urls from the SlackWebApi, and block actions and
 * view submissions take what they can from what the app really posted there (a button's block_id,
 * type and value, the view's hash / callback_id / private_metadata), so a click is on what exists.
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

export function buildCommand(fake: SlackWebApi, text: string, options: CommandOptions = {}): BuiltCommand {
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
  /** View actions: the view (filled in from the SlackWebApi's copy of it). */
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

export function buildBlockAction(fake: SlackWebApi, options: BlockActionOptions): BuiltInteraction {
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

export function buildViewSubmission(fake: SlackWebApi, options: ViewSubmissionOptions): BuiltInteraction {
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

export function buildViewClosed(fake: SlackWebApi, options: ViewClosedOptions): { payload: Record<string, any> } {
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
export function buildOptionsRequest(fake: SlackWebApi, options: OptionsRequestOptions): { payload: Record<string, any> } {
  const userId = options.userId ?? DEFAULT_USER;
  const stored = options.viewId ? fake.view(options.viewId) : undefined;
  const found = stored ? findElement(stored.view.blocks as unknown[], options.actionId, options.blockId) : undefined;
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
export function buildEvent(fake: SlackWebApi, type: string, fields: Record<string, unknown> = {}): Record<string, any> {
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

// ------------------------------------------------------------------ helpers

const responseUrlIdOf = (url: string): string => url.slice(url.lastIndexOf('/') + 1);
const channelNameOf = (channelId: string): string => (channelId.startsWith('D') ? 'directmessage' : channelId.toLowerCase().replace(/^c_?/, '') || channelId);
const userNameOf = (userId: string): string => userId.toLowerCase().replace(/^u_?/, '') || userId;
const userOf = (fake: SlackWebApi, userId: string) => ({ id: userId, username: userNameOf(userId), name: userNameOf(userId), team_id: fake.teamId });
const randomBlockId = (): string => randomBytes(3).toString('base64url').slice(0, 5);
const randomViewId = (): string => `V${randomBytes(5).toString('hex').toUpperCase()}`;

function viewPayload(fake: SlackWebApi, viewId: string, stored: StoredView | undefined, overrides: object): Record<string, any> {
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

/** The element with `actionId` (in block `blockId` when given: one action_id may be in several blocks). */
function findElement(blocks: unknown[] | undefined, actionId: string, blockId?: string): FoundElement | undefined {
  for (const block of blocks ?? []) {
    if (typeof block !== 'object' || block === null) continue;
    const b = block as Record<string, any>;
    if (blockId !== undefined && b.block_id !== blockId) continue;
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
  const found = findElement(blocks, options.actionId, options.blockId) ?? findElement(blocks, options.actionId);
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

