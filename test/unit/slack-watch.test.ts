import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { FetchFunction } from '@slack/web-api';
import { SlackWatch, type SlackApiError } from '../../src/ops/slack-watch.js';
import { ConfigError, loadConfig, readPort } from '../../src/config/config.js';

const answer = (status: number, body: unknown) => (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as unknown as FetchFunction;
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('SlackWatch', () => {
  it('records Slack API errors by method and error, and the token state, without changing the answers', async () => {
    const errors: SlackApiError[] = [];
    const watch = new SlackWatch('http', (error) => errors.push(error));
    const rejected = await watch.fetch(answer(200, { ok: false, error: 'invalid_auth' }))('https://slack.com/api/auth.test', {});
    expect(await (rejected as unknown as Response).json()).toEqual({ ok: false, error: 'invalid_auth' }); // the client still reads it
    await settle();
    expect(errors).toMatchObject([{ method: 'auth.test', error: 'invalid_auth' }]);
    expect(watch.snapshot()).toMatchObject({ transport: 'http', connection: 'listening', tokenRejected: true, lastApiError: { method: 'auth.test' } });

    await watch.fetch(answer(200, { ok: true }))('https://slack.com/api/chat.postMessage', {});
    await settle();
    expect(watch.snapshot().tokenRejected).toBe(false);
    expect(watch.snapshot().lastApiOkAt).toBeInstanceOf(Date);

    await watch.fetch(answer(429, { ok: false, error: 'ratelimited' }))('https://slack.com/api/chat.update', {});
    await watch.fetch(answer(503, 'down'))(new URL('https://slack.com/api/views.open'), {});
    const down = watch.fetch((async () => Promise.reject(new Error('ECONNREFUSED'))) as unknown as FetchFunction);
    await expect(down('https://slack.com/api/views.publish', {})).rejects.toThrow('ECONNREFUSED');
    await settle();
    expect(errors.map((e) => `${e.method}:${e.error}`)).toEqual(['auth.test:invalid_auth', 'chat.update:ratelimited', 'views.open:http_503', 'views.publish:unreachable']);
    expect(watch.snapshot().tokenRejected).toBe(false); // an outage says nothing about the token
  });

  it('follows the Socket Mode state', () => {
    const socket = new EventEmitter();
    const watch = new SlackWatch('socket');
    watch.followSocket(socket);
    expect(watch.snapshot().connection).toBe('connecting');
    socket.emit('connected');
    expect(watch.snapshot().connection).toBe('connected');
    socket.emit('reconnecting');
    expect(watch.snapshot().connection).toBe('reconnecting');
  });
});

describe('operations configuration', () => {
  it('reads HEALTHZ_OUTBOX_MAX_OVERDUE_SECONDS and SHUTDOWN_FLUSH_MS, and names a bad value', () => {
    expect(loadConfig({}, 'test').ops).toEqual({ outboxMaxOverdueMs: 300_000, shutdownFlushMs: 10_000 });
    expect(loadConfig({ HEALTHZ_OUTBOX_MAX_OVERDUE_SECONDS: '60', SHUTDOWN_FLUSH_MS: '0' }, 'test').ops).toEqual({ outboxMaxOverdueMs: 60_000, shutdownFlushMs: 0 });
    expect(() => loadConfig({ HEALTHZ_OUTBOX_MAX_OVERDUE_SECONDS: 'soon' }, 'test')).toThrow(/HEALTHZ_OUTBOX_MAX_OVERDUE_SECONDS must be a whole number from 10 to 86400/);
    expect(() => loadConfig({ SHUTDOWN_FLUSH_MS: '-1' }, 'test')).toThrow(/SHUTDOWN_FLUSH_MS must be a whole number from 0 to 600000/);
  });

  it('the HEALTHCHECK reads only PORT', () => {
    expect(readPort({})).toBe(3000);
    expect(readPort({ PORT: '8080' })).toBe(8080);
    expect(() => readPort({ PORT: 'http' })).toThrow(ConfigError);
  });
});
