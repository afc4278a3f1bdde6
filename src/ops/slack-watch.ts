import type { EventEmitter } from 'node:events';
import type { FetchFunction } from '@slack/web-api';

/** Token errors: the bot cannot do anything until someone installs a new token. */
const TOKEN_ERRORS = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);

export type SlackTransport = 'http' | 'socket';

export interface SlackApiError {
  method: string;
  /** Slack's error code, `http_<status>` or `unreachable`. */
  error: string;
  at: Date;
}

export interface SlackState {
  transport: SlackTransport;
  /** Socket Mode: Slack's socket state (connecting, connected, reconnecting, disconnected); HTTP mode: listening. */
  connection: string;
  connectionSince: Date;
  /** Slack rejects the bot token (the last call that said anything about it failed). */
  tokenRejected: boolean;
  lastApiError: SlackApiError | null;
  lastApiOkAt: Date | null;
}

/**
 * Watches what the bot's Slack calls answer (through the Web API client's `fetch`) and, in Socket
 * Mode, the socket's state. Feeds /healthz and the Slack API error counter of /metrics.
 */
export class SlackWatch {
  private state: SlackState;

  constructor(
    transport: SlackTransport,
    private readonly onApiError: (error: SlackApiError) => void = () => {},
    private readonly now: () => Date = () => new Date(),
  ) {
    const at = now();
    this.state = { transport, connection: transport === 'http' ? 'listening' : 'connecting', connectionSince: at, tokenRejected: false, lastApiError: null, lastApiOkAt: null };
  }

  snapshot(): SlackState {
    return { ...this.state };
  }

  /** A `fetch` for the Web API client that records each answer, and changes nothing in it. */
  fetch(inner: FetchFunction = globalThis.fetch as FetchFunction): FetchFunction {
    return async (url, init) => {
      const method = methodOf(url);
      let response;
      try {
        response = await inner(url, init);
      } catch (error) {
        this.apiFailed(method, 'unreachable');
        throw error;
      }
      if (response.status === 429) this.apiFailed(method, 'ratelimited');
      else if (response.status >= 400) this.apiFailed(method, `http_${response.status}`);
      else void this.readAnswer(method, response);
      return response;
    };
  }

  /** Follows a Socket Mode client's state events (`connected`, `disconnected`, …). */
  followSocket(client: EventEmitter): void {
    for (const state of ['connecting', 'authenticated', 'connected', 'reconnecting', 'disconnecting', 'disconnected']) {
      client.on(state, () => {
        if (state === 'authenticated') return;
        this.state = { ...this.state, connection: state, connectionSince: this.now() };
      });
    }
  }

  private async readAnswer(method: string, response: Awaited<ReturnType<FetchFunction>>): Promise<void> {
    const body = (await (response as unknown as Response).clone().json().catch(() => null)) as { ok?: boolean; error?: string } | null;
    if (body?.ok === false) this.apiFailed(method, body.error ?? 'unknown_error');
    else if (body?.ok === true) this.state = { ...this.state, lastApiOkAt: this.now(), tokenRejected: false };
  }

  private apiFailed(method: string, error: string): void {
    const failure = { method, error, at: this.now() };
    this.state = { ...this.state, lastApiError: failure, tokenRejected: this.state.tokenRejected || TOKEN_ERRORS.has(error) };
    this.onApiError(failure);
  }
}

/** `https://slack.com/api/chat.postMessage` → `chat.postMessage`. */
function methodOf(url: string | URL): string {
  const path = typeof url === 'string' ? url : url.pathname;
  return path.split('?')[0]!.split('/').filter(Boolean).at(-1) ?? 'unknown';
}
