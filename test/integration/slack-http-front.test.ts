import { createHash, randomBytes } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpFront, type HttpFront, type SlackAck } from '../../src/slack/http-front.js';
import { captureLog } from '../support/capture-log.js';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../support/slack-bot.js';
import { buildCommand, signSlackRequest } from '../support/slack-requests.js';
import { until } from '../support/until.js';

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: Buffer;
  reusedSocket: boolean;
}

/** One HTTP request with node:http (fetch hides raw headers and connection reuse). */
function send(port: number, options: { method?: string; path?: string; headers?: Record<string, string | string[]>; body?: Buffer | string; agent?: Agent; chunked?: boolean }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks), reusedSocket: req.reusedSocket }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined && options.chunked) {
      // Several writes without a content-length: the body goes chunked.
      const body = Buffer.from(options.body);
      const third = Math.ceil(body.length / 3);
      for (let at = 0; at < body.length; at += third) req.write(body.subarray(at, at + third));
      req.end();
    } else req.end(options.body);
  });
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** An upstream that tells what it received and answers with odd headers and statuses on request. */
async function startEchoServer(): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/big') {
        const size = Number(url.searchParams.get('bytes'));
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-body-sha': sha(Buffer.alloc(size, 7)) });
        res.end(Buffer.alloc(size, 7));
        return;
      }
      const status = Number(url.searchParams.get('status') ?? 200);
      res.writeHead(status, [
        ['content-type', 'application/json'],
        ['X-Custom-Case', 'Kept'],
        ['set-cookie', 'a=1'],
        ['set-cookie', 'b=2'],
      ].flat());
      res.end(JSON.stringify({ method: req.method, url: req.url, rawHeaders: req.rawHeaders, bodySha: sha(body), bodyLength: body.length }));
    });
  });
  server.on('connection', () => (connections += 1));
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, connections: () => connections };
}

/** Pairs of a raw header list, without the hop-by-hop ones the front replaces. */
const headerPairs = (raw: string[]) => {
  const pairs: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs.filter(([name]) => !['connection', 'keep-alive', 'transfer-encoding', 'x-forwarded-for', 'date'].includes(name.toLowerCase()));
};

describe('the HTTP front (a worker thread on the public port, forwarding to an upstream server)', () => {
  let echo: Awaited<ReturnType<typeof startEchoServer>>;
  let front: HttpFront;

  beforeAll(async () => {
    echo = await startEchoServer();
    front = await startHttpFront({ port: 0, host: '127.0.0.1', upstream: { host: '127.0.0.1', port: echo.port }, spareConnections: 4, log: captureLog() });
  });
  afterAll(async () => {
    await front?.stop();
    echo?.server.closeAllConnections();
    await new Promise((resolve) => echo?.server.close(resolve));
  });

  it('passes method, path with query, every request header (case and repeats kept) and the body byte for byte', async () => {
    const body = Buffer.from('token=x&text=%2Ftether+status&payload=%7B%22a%22%3A1%7D\r\n\u00e9');
    const headers = { 'X-Slack-Signature': 'v0=abc', 'x-slack-request-timestamp': '1700000000', 'x-repeated': ['one', 'two'], 'content-type': 'application/x-www-form-urlencoded' };
    const answer = await send(front.address.port, { method: 'POST', path: '/slack/events?x=1&y=%20', headers, body });
    expect(answer.status).toBe(200);
    const seen = JSON.parse(answer.body.toString());
    expect(seen).toMatchObject({ method: 'POST', url: '/slack/events?x=1&y=%20', bodySha: sha(body), bodyLength: body.length });
    const pairs = headerPairs(seen.rawHeaders);
    expect(pairs).toEqual(expect.arrayContaining([['X-Slack-Signature', 'v0=abc'], ['x-slack-request-timestamp', '1700000000'], ['x-repeated', 'one'], ['x-repeated', 'two'], ['Content-Length', String(body.length)]]));
    expect(seen.rawHeaders).toContain('x-forwarded-for');
  });

  it('passes the status and every response header back (case and repeats kept)', async () => {
    for (const status of [200, 401, 404, 500]) {
      const answer = await send(front.address.port, { path: `/anything?status=${status}` });
      expect(answer.status).toBe(status);
      expect(headerPairs(answer.rawHeaders)).toEqual(expect.arrayContaining([['X-Custom-Case', 'Kept'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]));
    }
  });

  it('streams large bodies both ways, with a length or chunked', async () => {
    const big = randomBytes(6 * 1024 * 1024);
    for (const chunked of [false, true]) {
      const answer = await send(front.address.port, { method: 'POST', path: '/upload', body: big, chunked, headers: chunked ? {} : { 'content-length': String(big.length) } });
      expect(JSON.parse(answer.body.toString())).toMatchObject({ bodySha: sha(big), bodyLength: big.length });
    }
    const download = await send(front.address.port, { path: `/big?bytes=${8 * 1024 * 1024}` });
    expect(download.body.length).toBe(8 * 1024 * 1024);
    expect(sha(download.body)).toBe(download.headers['x-body-sha']);
  });

  it('keeps client connections alive, and reuses its own upstream connections instead of opening one per request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await send(front.address.port, { path: '/one', agent });
    const before = echo.connections();
    const second = await send(front.address.port, { path: '/two', agent });
    const third = await send(front.address.port, { path: '/three', agent });
    agent.destroy();
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(second.reusedSocket && third.reusedSocket).toBe(true);
    // Sequential requests ride kept-alive upstream connections (a spare may be replaced, no more).
    expect(echo.connections() - before).toBeLessThanOrEqual(2);
  });

  it('answers 502 when the upstream is gone, and stopping closes the port', async () => {
    const dead = await startEchoServer();
    const orphan = await startHttpFront({ port: 0, host: '127.0.0.1', upstream: { host: '127.0.0.1', port: dead.port }, spareConnections: 0, log: captureLog() });
    dead.server.closeAllConnections();
    await new Promise((resolve) => dead.server.close(resolve));
    expect((await send(orphan.address.port, { path: '/' })).status).toBe(502);
    await orphan.stop();
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(orphan.address.port, '127.0.0.1');
      socket.on('connect', () => (socket.destroy(), resolve('connected')));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('cannot take a port in use, and says so with the EADDRINUSE code', async () => {
    await expect(startHttpFront({ port: front.address.port, host: '127.0.0.1', upstream: { host: '127.0.0.1', port: echo.port }, log: captureLog() })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('the HTTP front times each Slack request\'s ack, and acks a command the bot is slow to ack', () => {
  /** The bot: answers Slack's requests after `delayMs` without blocking its thread (the front's deadline is what is tested). */
  let delayMs = 0;
  let bot: Server;
  let hook: Server;
  const hooked: { body: string }[] = [];
  const acks: SlackAck[] = [];
  let front: HttpFront;

  beforeAll(async () => {
    bot = createServer((req, res) => {
      req.resume();
      req.on('end', () =>
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ response_type: 'ephemeral', text: 'the help, from the bot' }));
        }, delayMs),
      );
    });
    hook = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        hooked.push({ body: Buffer.concat(chunks).toString('utf8') });
        res.end('ok');
      });
    });
    for (const server of [bot, hook]) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    front = await startHttpFront({
      port: 0,
      host: '127.0.0.1',
      upstream: { host: '127.0.0.1', port: (bot.address() as AddressInfo).port },
      earlyAck: { signingSecret: SIGNING_SECRET, deadlineMs: 100 },
      onAck: (ack) => acks.push(ack),
      ackSignatures: true,
      log: captureLog(),
    });
  });
  afterAll(async () => {
    await front?.stop();
    for (const server of [bot, hook]) {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    }
  });

  const command = (responseUrl: string) => new URLSearchParams({ command: '/tether', text: 'help', user_id: 'U1', channel_id: 'C1', response_url: responseUrl, trigger_id: 't.1' }).toString();

  it('reports each request to /slack/events once its ack has left: who acked, how long, the status and the signature; other paths are not timed', async () => {
    delayMs = 0;
    acks.length = 0;
    await send(front.address.port, { path: '/healthz' });
    const body = command(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/never`);
    const headers = signSlackRequest(SIGNING_SECRET, body);
    const before = Date.now();
    const answer = await send(front.address.port, { method: 'POST', path: '/slack/events', headers, body });
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toContain('the help, from the bot');
    await send(front.address.port, { method: 'POST', path: '/slack/events', headers: { 'content-type': 'application/json' }, body: '{"type":"event_callback"}' });
    // A last signed request: once its ack is reported, every earlier one has been.
    const lastBody = command(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/last`);
    const last = signSlackRequest(SIGNING_SECRET, lastBody);
    await send(front.address.port, { method: 'POST', path: '/slack/events', headers: last, body: lastBody });
    await until('the last ack reported', async () => acks.some((a) => a.signature === last['x-slack-signature']), Boolean, 5_000);
    expect(acks.map((a) => a.signature)).toEqual([headers['x-slack-signature'], null, last['x-slack-signature']]); // no /healthz
    expect(acks[0]).toMatchObject({ by: 'bot', status: 200 });
    expect(acks[0]!.ms).toBeLessThan(100); // the bot answered at once: no early ack
    expect(acks[0]!.arrivedAt).toBeGreaterThanOrEqual(before - 5);
    expect(acks[0]!.arrivedAt).toBeLessThanOrEqual(Date.now());
    expect(acks[1]).toMatchObject({ by: 'bot', status: 200 });
  });

  it('reports a request the client gave up on as answered by nobody, timed until it hung up', async () => {
    delayMs = 1500;
    acks.length = 0;
    // An event (JSON): never acked early, so only the bot could answer it.
    const gaveUp = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port: front.address.port, method: 'POST', path: '/slack/events', headers: { 'content-type': 'application/json' } });
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      req.end('{"type":"event_callback"}');
      setTimeout(() => req.destroy(), 200);
    });
    expect(gaveUp).toBe('ECONNRESET');
    await until('the abandoned request reported', async () => acks.length, (n) => n >= 1, 5_000);
    expect(acks[0]).toMatchObject({ by: 'none', status: 0 });
    expect(acks[0]!.ms).toBeGreaterThanOrEqual(150);
    expect(acks[0]!.ms).toBeLessThan(1400);
  });

  it('acks a signed command the bot has not acked by the deadline, posts the bot\'s ack to its response_url, and reports it as acked by the front', async () => {
    delayMs = 1500;
    acks.length = 0;
    hooked.length = 0;
    const body = command(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/response`);
    const headers = signSlackRequest(SIGNING_SECRET, body);
    const started = performance.now();
    const answer = await send(front.address.port, { method: 'POST', path: '/slack/events', headers, body });
    expect(performance.now() - started).toBeLessThan(1400); // not the bot's (1.5 s)
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBe(0);
    await until('the ack reported', async () => acks.length, (n) => n >= 1, 5_000);
    expect(acks[0]).toMatchObject({ by: 'front', status: 200, signature: headers['x-slack-signature'] });
    expect(acks[0]!.ms).toBeGreaterThanOrEqual(95); // the 100 ms deadline, not at once
    expect(acks[0]!.ms).toBeLessThan(1400);
    const late = await until('the bot\'s ack at the response_url', async () => hooked.length, (n) => n >= 1, 5_000);
    expect(late).toBe(1);
    expect(JSON.parse(hooked[0]!.body)).toEqual({ response_type: 'ephemeral', text: 'the help, from the bot' });
  });

  it('never acks a badly signed command early: the bot\'s own answer comes back, however late', async () => {
    delayMs = 400;
    acks.length = 0;
    const body = command(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/forged`);
    const answer = await send(front.address.port, { method: 'POST', path: '/slack/events', headers: signSlackRequest('not-the-secret', body), body });
    expect(answer.body.toString()).toContain('the help, from the bot');
    await until('the ack reported', async () => acks.length, (n) => n >= 1, 5_000);
    expect(acks[0]).toMatchObject({ by: 'bot' });
  });
});

/** N signed `/tether help` commands at once from another thread, each on a new connection: how long until each ack. */
function burstFromAnotherThread(port: number, bodies: string[]): Promise<{ status: number; ms: number }[]> {
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    const http = require('node:http');
    const { port, requests } = workerData;
    Promise.all(requests.map(({ body, headers }) => new Promise((resolve) => {
      const started = performance.now();
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/slack/events', headers: { ...headers, connection: 'close' }, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - started }));
      });
      req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
      req.end(body);
    }))).then((results) => parentPort.postMessage(results));
  `;
  const requests = bodies.map((body) => ({ body, headers: signSlackRequest(SIGNING_SECRET, body) }));
  const worker = new Worker(code, { eval: true, workerData: { port, requests } });
  return new Promise((resolve, reject) => {
    worker.once('message', (results) => void worker.terminate().then(() => resolve(results)));
    worker.once('error', reject);
  });
}

describe('the Slack bot behind the HTTP front', () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => h?.stop());

  it('listens on PORT through the front, and Bolt on a loopback port of its own', () => {
    expect(h.bot.address).not.toBeNull();
    expect(h.bot.server).not.toBeNull();
    const bolt = h.bot.server!.address() as AddressInfo;
    expect(bolt.address).toBe('127.0.0.1');
    expect(bolt.port).not.toBe(h.bot.address!.port);
  });

  it('signed commands reach Bolt through the front and get their ack; a bad signature still gets 401', async () => {
    const ok = await h.http.command('help');
    expect(ok.status).toBe(200);
    expect(JSON.stringify(ok.body)).toContain('/tether');
    const body = new URLSearchParams(buildCommand(h.slack, 'help').fields).toString();
    const forged = await h.http.raw(body, signSlackRequest('not-the-secret', body));
    expect(forged.status).toBe(401);
    const unsigned = await h.http.raw(body, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(unsigned.status).toBe(401);
    // The signature covers the raw body: one byte changed on the way would fail it.
    const stale = await h.http.raw(body, signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000) - 600));
    expect(stale.status).toBe(401);
  });

  it('a body over Bolt\'s limit gets Bolt\'s 413 through the front; a large signed one is verified byte for byte', async () => {
    const tooBig = 'a='.concat('x'.repeat(5 * 1024 * 1024));
    expect((await h.http.raw(tooBig, signSlackRequest(SIGNING_SECRET, tooBig))).status).toBe(413);
    // Bolt refused before reading the rest: the front must not send the next request down that connection.
    for (let i = 0; i < 3; i += 1) expect((await h.http.command('help')).status).toBe(200);
    // ~2.6 MB of form fields Slack does not send, around a command: all of it is signed.
    const fields = { ...buildCommand(h.slack, 'help').fields, padding: 'é'.repeat(100_000), more: 'x'.repeat(2_000_000) };
    const large = new URLSearchParams(fields).toString();
    const answer = await h.http.raw(large, signSlackRequest(SIGNING_SECRET, large));
    expect(answer.status).toBe(200);
  });

  it('acks a burst of commands on new connections within a few event-loop passes while the main thread is busy in 200 ms chunks', async () => {
    const commands = Array.from({ length: 20 }, () => new URLSearchParams(buildCommand(h.slack, 'help').fields).toString());
    let passes = 0;
    let done = false;
    const results = burstFromAnotherThread(h.bot.address!.port, commands).finally(() => (done = true));
    // Like a sync's CPU-bound pages: 200 ms of synchronous work, then one event-loop pass.
    const busy = (async () => {
      while (!done && passes < 100) {
        const until = performance.now() + 200;
        while (performance.now() < until);
        await new Promise((resolve) => setImmediate(resolve));
        passes += 1;
      }
    })();
    const acks = await results;
    await busy;
    expect(acks.map((a) => a.status)).toEqual(commands.map(() => 200));
    // Accepting 20 connections here would take up to 20 passes; through the front every request
    // arrives on a connection the bot already holds, and all of them are read in the same pass.
    expect(passes).toBeLessThanOrEqual(6);
  });

  it('acks a command itself when the bot has not within 150 ms (main thread blocked); the help then reaches the response_url', async () => {
    // One long synchronous chunk (a sync page, a big render) as the request reaches the bot.
    const blockNextRequest = () =>
      h.bot.server!.prependOnceListener('request', () => {
        const until = performance.now() + 1500;
        while (performance.now() < until);
      });
    // A forged request is never acked early: Bolt still refuses it, however late.
    const forgedBody = new URLSearchParams(buildCommand(h.slack, 'help').fields).toString();
    blockNextRequest();
    expect((await h.http.raw(forgedBody, signSlackRequest('not-the-secret', forgedBody))).status).toBe(401);

    const built = buildCommand(h.slack, 'help');
    blockNextRequest();
    const [ack] = await burstFromAnotherThread(h.bot.address!.port, [new URLSearchParams(built.fields).toString()]);
    expect(ack).toMatchObject({ status: 200 });
    // Answered by the front during the block (the block alone is 1.5 s).
    expect(ack!.ms).toBeLessThan(1000);
    // Bolt's own ack (the help text) arrives once the thread is free, as a response_url answer.
    const answer = await h.slack.waitForResponse(built.responseUrl);
    expect(JSON.stringify(answer.body)).toContain('/tether');
    expect(answer.body.response_type).toBe('ephemeral');
  });

  it('stopping the bot closes its port', async () => {
    const port = h.bot.address!.port;
    await h.bot.stop();
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('connect', () => (socket.destroy(), resolve('connected')));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });
});
