import { isValidSlackRequest } from '@slack/bolt/dist/receivers/verify-request.js';

/**
 * The HTTP front acks a slash command itself when the bot has not acked it within `deadlineMs`
 * (the main thread may be busy with a sync): Slack gets its 200 in time, the request still goes to
 * Bolt unchanged, and whatever Bolt acks later (help, a refusal) is posted to the command's
 * response_url instead — the same ephemeral answer, a moment later.
 */
export interface EarlyAck {
  signingSecret: string;
  deadlineMs: number;
}

/**
 * Slack's signature and timestamp, checked by Bolt's own function (the front acks only what Bolt
 * would accept). Imported from its module, not Bolt's index, so the front's thread does not load
 * the whole of Bolt.
 */
export function slackSignatureValid(secret: string, timestamp: string | undefined, signature: string | undefined, body: Buffer, nowMs = Date.now()): boolean {
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  return isValidSlackRequest({
    signingSecret: secret,
    body: body.toString('utf8'),
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
    nowMilliseconds: nowMs,
  });
}

/** The response_url of a slash command's form body; null for anything else (interactions, events). */
export function slashCommandResponseUrl(contentType: string | undefined, body: Buffer): string | null {
  if (!contentType?.startsWith('application/x-www-form-urlencoded')) return null;
  const form = new URLSearchParams(body.toString('utf8'));
  if (!form.get('command')) return null;
  const url = form.get('response_url');
  return url && /^https?:\/\//.test(url) ? url : null;
}

/** A late ack's body as a response_url message: Bolt acks JSON; plain text becomes `{ text }`; empty: nothing. */
export function lateAckMessage(contentType: string | undefined, body: Buffer): Record<string, unknown> | null {
  const text = body.toString('utf8').trim();
  if (!text) return null;
  if (contentType?.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
    } catch {
      // not JSON after all: sent as text
    }
  }
  return { text };
}
