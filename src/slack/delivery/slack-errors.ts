/**
 * What a failed Slack call means for a message in the outbox: try again soon (outage, rate limit),
 * try again later and tell people how to fix it (the channel or the token), or give up (Slack
 * refused the message itself). Each comes with the fix in words.
 */
export type SlackFailure =
  | { kind: 'rate_limited'; error: string; retryAfterMs: number }
  | { kind: 'transient'; error: string }
  | { kind: 'blocked'; error: string; fix: string }
  | { kind: 'message_gone'; error: string }
  | { kind: 'rejected'; error: string; fix: string };

const TOKEN_ERRORS = ['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'missing_scope', 'no_permission'];

export function classifySlackError(error: unknown, channel: string): SlackFailure {
  const err = error as { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number; message?: string };
  if (err?.code === 'slack_webapi_rate_limited_error') {
    return { kind: 'rate_limited', error: 'ratelimited', retryAfterMs: Math.max(1, err.retryAfter ?? 1) * 1000 };
  }
  const code = err?.data?.error;
  if (err?.code === 'slack_webapi_platform_error' && code) {
    if (code === 'ratelimited') return { kind: 'rate_limited', error: code, retryAfterMs: 1000 };
    if (code === 'not_in_channel') return { kind: 'blocked', error: code, fix: `invite the bot to ${channel} (type /invite @Tether there)` };
    if (code === 'channel_not_found') {
      return { kind: 'blocked', error: code, fix: `${channel} was not found: check the integration's slack_channel, and invite the bot if it is private` };
    }
    if (code.startsWith('restricted_action') || code === 'ekm_access_denied' || code === 'team_access_not_granted') {
      return { kind: 'blocked', error: code, fix: `the workspace does not let the bot post in ${channel} (${code}): ask a Slack admin, or change the integration's slack_channel` };
    }
    if (code === 'is_archived') return { kind: 'blocked', error: code, fix: `${channel} is archived: unarchive it or change the integration's slack_channel` };
    if (TOKEN_ERRORS.includes(code)) {
      return { kind: 'blocked', error: code, fix: 'Slack rejects SLACK_BOT_TOKEN: reinstall the app to the workspace and set the new xoxb- token' };
    }
    if (code === 'message_not_found' || code === 'cant_update_message') return { kind: 'message_gone', error: code };
    if (['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'].includes(code)) return { kind: 'transient', error: code };
    return { kind: 'rejected', error: code, fix: 'Slack refused the message itself; see the bot log for the payload' };
  }
  // HTTP errors (5xx) and dropped connections: Slack is down or unreachable for now.
  return { kind: 'transient', error: err?.data?.error ?? err?.code ?? err?.message ?? 'unknown_error' };
}

/** The fix for an error code recorded on an undelivered message (for the App Home). */
export function fixFor(error: string, channel: string): string {
  if (error.startsWith(UNREACHABLE)) return 'Slack could not be reached: the messages are sent when it answers again';
  const failure = classifySlackError({ code: 'slack_webapi_platform_error', data: { error } }, channel);
  if (failure.kind === 'blocked' || failure.kind === 'rejected') return failure.fix;
  if (failure.kind === 'rate_limited') return 'Slack is rate-limiting the bot: the messages are sent as soon as it allows';
  return 'Slack could not be reached: the messages are sent when it answers again';
}

/** How a transient failure (outage, dropped connection) is recorded on a message. */
export const UNREACHABLE = 'unreachable';
