/**
 * `npm run bench:slack`: the Slack app under load. Appends its results to bench/RESULTS.md.
 *
 *   1. Acks: a BENCH_ORDERS-order sync (default 1,000,000; http-json connector, the feed in a
 *      child process) runs in THIS process, next to the real Slack bot (createSlackBot; Bolt's
 *      HTTPReceiver). Once the sync has fetched BENCH_BURST_AFTER records (default 50,000),
 *      BENCH_COMMANDS `/tether` commands (default 200, a realistic mix) are sent as signed HTTP
 *      requests (SlackHttpDriver), BENCH_CONCURRENCY (default 50) in flight at a time. Each ack is
 *      timed from send to HTTP response, each answer to its response_url POST or views.update; the
 *      bot's HTTP server records when each request's connection was accepted, when the request
 *      reached Bolt and when the ack left (matched by signature), to show where the time went.
 *   2. The items modal on that execution (BENCH_ORDERS items: some failed, ~5 % partially mapped),
 *      once the sync is over: `/tether items <id>` until the modal's final views.update reaches the
 *      fake, then status / domain filters, searches (a common term, a rare order id) and Next /
 *      Previous from 50 % and 95 % deep, each from the block_actions request to its views.update;
 *      BENCH_SAMPLES (default 30) of each. Twice: with the planner statistics the sync left, then
 *      after `ANALYZE sync_item` (what autovacuum does in time; it is off on some CI servers).
 *
 * "Slack" (FakeSlack + the driver, bench/slack-side.ts) runs in a child process, as Slack is not in
 * the bot's process; BENCH_SLACK_IN_PROCESS=1 puts it in this one (its work then competes with the
 * bot's for this event loop, which inflates every number). Variants: BENCH_SOCKET_MODE=1 (Bolt in
 * Socket Mode, envelopes through FakeSocketMode), BENCH_SYNC_IN_CHILD=1 (the sync in a process of
 * its own, like TETHER_ROLE=bot + TETHER_ROLE=worker), BENCH_HTTP_FRONT=0 (Bolt listens on the port itself,
 * without the HTTP front's worker thread: the baseline the front is measured against).
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tether_bench_slack) is dropped
 * first and at the end (BENCH_KEEP_DATABASE=1 keeps it).
 */
import { execFile, fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { seedCatalog, startBenchApp, type BenchApp } from './bench-app.js';
import { inProcess, overIpc, SlackSide, type CommandTiming, type SlackSideApi } from './slack-side.js';
import { loadConfig, type SlackConfig } from '../src/config/config.js';
import { dropDatabase } from '../src/db/database.js';
import { encodeItemCursor } from '../src/db/executions.repository.js';
import { createLogger } from '../src/logging.js';
import { ALL_DOMAINS } from '../src/slack/blocks/index.js';
import { createSlackBot } from '../src/slack/bot.js';
import type { SlackAck } from '../src/slack/http-front.js';
import { ACTIONS } from '../src/slack/ids.js';
import type { Logger, RunProgress } from '../src/sync/ports.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const BURST_AFTER = Number(process.env.BENCH_BURST_AFTER ?? Math.min(50_000, Math.floor(ORDERS / 4)));
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30);
const SLACK_IN_PROCESS = process.env.BENCH_SLACK_IN_PROCESS === '1';
/** Bolt in Socket Mode (one WebSocket to "Slack") instead of HTTP. */
const SOCKET_MODE = process.env.BENCH_SOCKET_MODE === '1';
/** The sync in a separate process (as with TETHER_ROLE=bot + TETHER_ROLE=worker) instead of the bot's. */
const SYNC_IN_CHILD = process.env.BENCH_SYNC_IN_CHILD === '1';
/** The HTTP front (a worker thread on the port, forwarding to Bolt); 0: Bolt on the port itself. */
const HTTP_FRONT = !SOCKET_MODE && process.env.BENCH_HTTP_FRONT !== '0';
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tether_bench_slack';
/** On top of the feed's unmapped SKUs (~5 % of orders partially mapped): orders that fail outright. */
const FAILURES = { unmappedChannelRate: 0.002, invalidRate: 0.001 };
const BIG = 'shop-big';
const SMALL = 'shop-small';
const SIGNING_SECRET = randomBytes(16).toString('hex');
const ACK_TARGET_MS = 300;
const MODAL_TARGET_MS = 1000;

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const say = (text: string) => process.stdout.write(`${text}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const load = () => loadavg().map((n) => n.toFixed(2)).join(' / ');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------ statistics

interface Stats {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles (with 30 samples, p99 is the maximum). */
function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}
const ms = (n: number) => (Number.isNaN(n) ? '–' : `${fmt(n)} ms`);

/** A deterministic shuffle (mulberry32): every run sends the same sequence. */
function shuffled<T>(items: T[], seed = 42): T[] {
  let state = seed >>> 0;
  const rand = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `total` commands in these proportions (the weights add up to 200). */
function scaleMix(total: number, weights: [string, number][]): string[] {
  const sum = weights.reduce((n, [, w]) => n + w, 0);
  return weights.flatMap(([text, weight]) => Array.from({ length: Math.max(1, Math.round((weight * total) / sum)) }, () => text)).slice(0, total);
}

async function until(what: string, check: () => boolean, timeoutMs: number, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ------------------------------------------------------------------ set-up

function startFeed(orders: number, overrides: object): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', here('feed-server.ts'), String(orders), JSON.stringify(overrides)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve({ url: chunk.toString().trim(), child }));
    child.once('exit', (code) => reject(new Error(`feed server exited with ${code}`)));
  });
}

function startSlackSide(): { api: SlackSideApi; child: ChildProcess | null } {
  if (SLACK_IN_PROCESS) return { api: inProcess(new SlackSide()), child: null };
  const child = fork(here('slack-side.ts'), ['--slack-side'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return { api: overIpc(child), child };
}

interface SyncOutcome {
  id: number;
  status: string;
  recordsFetched: number;
  error: { message?: string } | null;
}

interface RunningSync {
  /** Records fetched over time (one point per committed page). */
  timeline: { t: number; records: number }[];
  executionId(): number;
  done: Promise<SyncOutcome>;
  stop(): void;
}

/** The big sync: in this process through the services (the default), or in a child process (BENCH_SYNC_IN_CHILD=1). */
function startSync(app: BenchApp, integrationKey: string): RunningSync {
  const timeline = [{ t: performance.now(), records: 0 }];
  let executionId = 0;
  if (!SYNC_IN_CHILD) {
    const abort = new AbortController();
    const done = app.syncs
      .runNow({
        integrationKey,
        actor: 'bench',
        signal: abort.signal,
        observer: {
          executionStarted: (execution) => void (executionId = execution.id),
          pageCommitted: (_id: number, _page: number, progress: RunProgress) => void timeline.push({ t: performance.now(), records: progress.recordsFetched }),
        },
      })
      .then(([execution]) => execution!);
    return { timeline, executionId: () => executionId, done, stop: () => abort.abort() };
  }
  const child = execFile(process.execPath, ['--import', 'tsx', here('sync-child.ts'), integrationKey, 'sales_orders'], {
    env: { ...process.env, DATABASE_URL, LOG_LEVEL: 'error' },
    maxBuffer: 1 << 20,
  });
  let stdout = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  const done = new Promise<SyncOutcome>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout.trim().split('\n').at(-1)!)) : reject(new Error(`the sync process exited with ${code}`)))),
  );
  // Its progress, as the bot would see it: records_fetched of the newest execution, committed page by page.
  const poll = setInterval(() => {
    void app.pool
      .query<{ id: number; records_fetched: number }>(
        `SELECT e.id, e.records_fetched FROM sync_execution e JOIN integration i ON i.id = e.integration_id WHERE i.key = $1 AND e.status = 'running' ORDER BY e.id DESC LIMIT 1`,
        [integrationKey],
      )
      .then(({ rows }) => {
        if (!rows[0]) return;
        executionId = rows[0].id;
        if (rows[0].records_fetched > timeline.at(-1)!.records) timeline.push({ t: performance.now(), records: rows[0].records_fetched });
      });
  }, 200);
  void done.finally(() => clearInterval(poll)).catch(() => {});
  return { timeline, executionId: () => executionId, done, stop: () => child.kill('SIGTERM') };
}

/** The bot's logger: errors and warnings are counted (and printed), the rest dropped. */
function countingLogger(inner: Logger) {
  const counts = { error: 0, warn: 0 };
  const log: Logger = {
    info: () => {},
    debug: () => {},
    warn: (obj, msg) => {
      counts.warn += 1;
      inner.warn(obj, msg);
    },
    error: (obj, msg) => {
      counts.error += 1;
      inner.error(obj, msg);
    },
  };
  return { log, counts };
}


// ------------------------------------------------------------------ the run

await dropDatabase(DATABASE_URL);
const config = loadConfig({ DATABASE_URL }, 'test', { logLevel: 'error' });
const app = await startBenchApp(config);
const feed = await startFeed(ORDERS, FAILURES);
const slack = startSlackSide();
const { slackUrl } = await slack.api.start({ socketMode: SOCKET_MODE });
const botLog = countingLogger(createLogger('error'));
const slackConfig: SlackConfig = {
  botToken: 'xoxb-bench-token',
  appToken: SOCKET_MODE ? 'xapp-1-bench' : null,
  signingSecret: SOCKET_MODE ? null : SIGNING_SECRET,
  apiUrl: slackUrl,
  port: 0,
  admins: ['U0BENCHADMIN'],
  workspaceAdmins: false,
};
/** What the HTTP front saw of each Slack request (arrival, ack sent, who acked), by signature. */
const seenByFront = new Map<string, SlackAck>();
const bot = createSlackBot(app, slackConfig, botLog.log, { httpFront: HTTP_FRONT, ackSignatures: true, onAck: (ack) => ack.signature && seenByFront.set(ack.signature, ack) });
let sync: RunningSync | null = null;
const loadAt: Record<string, string> = { start: load() };

try {
  const base = { domains: ['sales_orders' as const], credentials: {}, enabled: true, dryRun: false, matchSkuCodes: false, slackChannel: '#ops-sync', notify: 'problems' as const };
  await app.integrations.apply(
    [
      {
        ...base,
        key: BIG,
        name: 'Shop (big feed)',
        connector: 'http-json',
        config: { base_url: feed.url, page_size: 1000 },
        credentials: { token: 'bench-token' },
        schedule: { cron: '0 3 * * *', timezone: 'Europe/Berlin' },
      },
      {
        ...base,
        key: SMALL,
        name: 'Shop (small demo)',
        connector: 'demo',
        config: { orders: 300, seed: 2, sku_count: 200, page_size: 100, overlap: 0, unmapped_sku_rate: 0.017, unmapped_channel_rate: 0, invalid_rate: 0, start: '2026-01-01T00:00:00.000Z' },
        schedule: { cron: '*/30 * * * *', timezone: 'America/New_York' },
      },
    ],
    { actor: 'bench' },
  );
  await seedCatalog(app, [BIG, SMALL]);
  // Something for `history` and `status` to show.
  for (let i = 0; i < 3; i += 1) await app.syncs.runNow({ integrationKey: SMALL, actor: 'bench' });

  await bot.start();
  // What the bot's HTTP server saw of each request: when its connection was accepted, when the
  // request reached Bolt, when the ack left; found again by the request's signature.
  const absNow = () => performance.timeOrigin + performance.now();
  const acceptedAt = new WeakMap<object, number>();
  const usedSockets = new WeakSet<object>();
  const seenByBot = new Map<string, { acceptedAt: number; arrivedAt: number; ackedAt: number; fresh: boolean }>();
  bot.server?.on('connection', (socket) => acceptedAt.set(socket, absNow()));
  bot.server?.on('request', (req, res) => {
    const arrivedAt = absNow();
    const fresh = !usedSockets.has(req.socket);
    usedSockets.add(req.socket);
    const signature = String(req.headers['x-slack-signature'] ?? '');
    res.once('finish', () => seenByBot.set(signature, { acceptedAt: acceptedAt.get(req.socket) ?? arrivedAt, arrivedAt, ackedAt: absNow(), fresh }));
  });
  await slack.api.connect(bot.address ? `http://127.0.0.1:${bot.address.port}` : null, SIGNING_SECRET);
  // A long-running bot is warm: each kind of request a few times first (not measured).
  await slack.api.warmUp(['help', 'status', `history ${SMALL}`, `schedule ${SMALL}`, `sync ${SMALL}`, 'help', 'status', `history ${SMALL}`, `schedule ${SMALL}`]);

  say(
    `Slack benchmark: a ${fmt(ORDERS)}-order sync ${SYNC_IN_CHILD ? 'in another process' : 'in this process'}; ${COMMANDS} commands (${CONCURRENCY} in flight) after ${fmt(BURST_AFTER)} records; ` +
      `Slack ${SLACK_IN_PROCESS ? 'in this process' : 'in a child process'}`,
  );

  // ---------------------------------------------------------------- 1. acks during the sync
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const loopStats = () => ({ p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 });
  let syncEnded = false;
  const syncStarted = performance.now();
  loop.enable();
  sync = startSync(app, BIG);
  const { timeline } = sync;
  void sync.done.finally(() => (syncEnded = true)).catch(() => {});
  const recordsNow = () => timeline.at(-1)!.records;
  await until(`${fmt(BURST_AFTER)} records fetched`, () => {
    if (syncEnded) throw new Error(`the sync ended before ${fmt(BURST_AFTER)} records (${fmt(recordsNow())} fetched)`);
    return recordsNow() >= BURST_AFTER && sync!.executionId() > 0;
  }, 60 * 60_000);
  const executionId = sync.executionId();
  const beforeLoop = loopStats();
  loop.reset();
  loadAt.burst = load();

  const mix = shuffled(
    scaleMix(COMMANDS, [
      ['help', 30],
      ['status', 40],
      [`history ${BIG}`, 20],
      [`history ${SMALL}`, 15],
      [`schedule ${BIG}`, 15],
      [`schedule ${SMALL}`, 15],
      [`sync ${SMALL}`, 25],
      [`items ${executionId}`, 30],
      [`items ${executionId} problems`, 10],
    ]),
  );
  const burstStarted = performance.now();
  const burst: CommandTiming[] = await slack.api.burst(mix, CONCURRENCY);
  const burstEnded = performance.now();
  const burstLoop = loopStats();
  loop.reset();
  const traced = burst.map((c) => ({ ...c, bot: c.signatures.map((sig) => seenByBot.get(sig)).find(Boolean), front: c.signatures.map((sig) => seenByFront.get(sig)).find(Boolean) }));
  const fresh = traced.filter((c) => c.bot?.fresh);
  const reused = traced.filter((c) => c.bot && !c.bot.fresh);
  const badAcks = burst.filter((c) => c.status !== 200);
  const failedAnswers = burst.filter((c) => c.failed);
  const refused = burst.filter((c) => c.refused);
  say(`  ${burst.length} commands answered within ${((burstEnded - burstStarted) / 1000).toFixed(1)} s; ack p99 ${ms(stats(burst.map((c) => c.ackMs)).p99)}`);
  if (refused.length) say(`  refused: ${refused.slice(0, 3).map((c) => `${c.text}: ${c.refused}`).join(' | ')}`);

  const execution = await sync.done;
  sync = null;
  const syncEndedAt = performance.now();
  const afterLoop = loopStats();
  loop.disable();
  if (!execution || (execution.status !== 'partial' && execution.status !== 'success')) throw new Error(`the big sync ended ${execution?.status}: ${execution?.error?.message}`);
  const syncWallS = (syncEndedAt - syncStarted) / 1000;

  /** Records fetched by time t (linear between page commits). */
  const recordsAt = (t: number) => {
    const i = timeline.findIndex((point) => point.t >= t);
    if (i < 0) return timeline.at(-1)!.records;
    if (i === 0) return timeline[0]!.records;
    const [a, b] = [timeline[i - 1]!, timeline[i]!];
    return a.records + ((b.records - a.records) * (t - a.t)) / (b.t - a.t);
  };
  const rate = (from: number, to: number) => (to - from > 1000 ? (recordsAt(to) - recordsAt(from)) / ((to - from) / 1000) : Number.NaN);
  // Before: from 2 s in (connection, first pages) to the first command; after: to the sync's end.
  const beforeFrom = Math.min(syncStarted + 2000, burstStarted - 1000);
  const windows = [
    ['before the burst (sync alone)', beforeFrom, burstStarted, beforeLoop],
    ['during the burst (first command → last answer)', burstStarted, burstEnded, burstLoop],
    ['after the burst (sync alone, to its end)', burstEnded, syncEndedAt, afterLoop],
  ] as const;
  say(`  sync #${execution.id}: ${execution.status}, ${fmt(execution.recordsFetched)} records in ${syncWallS.toFixed(1)} s = ${fmt(execution.recordsFetched / syncWallS)} records/s`);

  // ---------------------------------------------------------------- 2. the items modal
  const id = execution.id;
  const counts = (
    await app.pool.query<{ total: number; failed: number; partial: number; problems: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'failed')::int AS failed,
              count(*) FILTER (WHERE status = 'partial_mapped')::int AS partial, count(*) FILTER (WHERE error_message IS NOT NULL)::int AS problems
       FROM sync_item WHERE execution_id = $1`,
      [id],
    )
  ).rows[0]!;
  const nth = async (where: string, n: number) =>
    (await app.pool.query<{ id: number; external_id: string }>(`SELECT id, external_id FROM sync_item WHERE execution_id = $1 ${where} ORDER BY id OFFSET $2 LIMIT 1`, [id, n])).rows[0]!;
  const rare = (await nth('AND error_message IS NOT NULL', Math.floor(counts.problems * 0.75))).external_id;
  const depths = [0.5, 0.95] as const;
  const depthCursor = new Map<number, string>();
  for (const depth of depths) depthCursor.set(depth, encodeItemCursor((await nth('', Math.floor(counts.total * depth))).id));
  loadAt.modal = load();
  say(`  items modal on #${id}: ${fmt(counts.total)} items (${fmt(counts.failed)} failed, ${fmt(counts.partial)} partially mapped); rare term "${rare}"`);

  const { act } = slack.api;
  const setStatus = (viewId: string, status: string) => act(viewId, { actionId: ACTIONS.itemsStatus, selectedOption: status });
  const setSearch = (viewId: string, text: string) => act(viewId, { actionId: ACTIONS.itemsSearch, value: text });

  /** Every modal action SAMPLES times (one person, one request at a time): label → ms. */
  const modalPass = async () => {
    const modal = new Map<string, number[]>();
    const sample = (label: string, value: number) => modal.set(label, [...(modal.get(label) ?? []), value]);
    // (a) opening it
    for (let i = 0; i < SAMPLES; i += 1) {
      sample(`\`/tether items <id>\` → modal filled`, (await slack.api.openModal(`items ${id}`)).ms);
      sample(`\`/tether items <id> problems\` → modal filled`, (await slack.api.openModal(`items ${id} problems`)).ms);
    }
    const { viewId } = await slack.api.openModal(`items ${id}`);
    // (b) filters: status, domain, search
    for (let i = 0; i < SAMPLES; i += 1) for (const status of ['failed', 'problems', 'success', 'all']) sample(`status → ${status}`, await setStatus(viewId, status));
    for (let i = 0; i < SAMPLES; i += 1) {
      sample('domain → sales_orders, → all (status all)', await act(viewId, { actionId: ACTIONS.itemsDomain, selectedOption: 'sales_orders' }));
      sample('domain → sales_orders, → all (status all)', await act(viewId, { actionId: ACTIONS.itemsDomain, selectedOption: ALL_DOMAINS }));
    }
    for (const status of ['problems', 'all']) {
      await setStatus(viewId, status);
      for (let i = 0; i < SAMPLES; i += 1) {
        sample(`search "ACME" (status ${status})`, await setSearch(viewId, 'ACME'));
        sample(`search rare order id (status ${status})`, await setSearch(viewId, rare));
      }
    }
    // (b) paging: from the page at 50 % / 95 % of the items (the cursor a Next button there
    // carries), Next up to SAMPLES times, then Previous as often.
    for (const [status, search] of [['all', ''], ['problems', ''], ['problems', 'ACME']] as const) {
      await setStatus(viewId, status);
      await setSearch(viewId, search);
      for (const depth of depths) {
        const label = `status ${status}${search ? `, search "${search}"` : ''}, ${depth * 100} % deep`;
        await act(viewId, { actionId: ACTIONS.itemsNext, value: depthCursor.get(depth)! });
        let nexts = 0;
        for (; nexts < SAMPLES && (await slack.api.hasNext(viewId)); nexts += 1) sample(`Next (${label})`, await act(viewId, { actionId: ACTIONS.itemsNext }));
        for (let i = 0; i < nexts; i += 1) sample(`Previous (${label})`, await act(viewId, { actionId: ACTIONS.itemsPrevious }));
      }
    }
    return modal;
  };
  // Right after the sync the planner has the statistics the sync left (none on a server with
  // autovacuum off); then again once sync_item is analyzed, as autovacuum would do in time.
  const statsState = (
    await app.pool.query<{ autovacuum: string; analyzed: Date | null }>(
      `SELECT current_setting('autovacuum') AS autovacuum, greatest(last_analyze, last_autoanalyze) AS analyzed FROM pg_stat_user_tables WHERE relname = 'sync_item'`,
    )
  ).rows[0]!;
  const asLeft = await modalPass();
  loadAt.analyze = load();
  await app.pool.query('ANALYZE sync_item');
  const analyzed = await modalPass();
  loadAt.end = load();
  const seen = await slack.api.summary();

  // ---------------------------------------------------------------- results
  const ackAll = stats(burst.map((c) => c.ackMs));
  const kinds = [...new Set(mix.map((text) => text.split(' ')[0]!))];
  const modalRows = [...analyzed.entries()].map(([label, values]) => ({ label, asLeft: stats(asLeft.get(label) ?? []), analyzed: stats(values) }));
  const worst = (pass: 'asLeft' | 'analyzed') => modalRows.reduce((w, next) => (next[pass].p99 > w[pass].p99 ? next : w));
  const check = (ok: boolean) => (ok ? 'met' : '**missed**');
  const ackRow = (label: string, of: CommandTiming[]) => {
    const [a, b] = [stats(of.map((c) => c.ackMs)), stats(of.map((c) => c.answerMs))];
    return `| ${label} | ${a.n} | ${ms(a.p50)} | ${ms(a.p99)} | ${ms(a.max)} | ${ms(b.p50)} | ${ms(b.p99)} | ${ms(b.max)} |`;
  };
  const statRow = (label: string, values: number[]) => {
    const s = stats(values);
    return `| ${label} | ${s.n} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} |`;
  };
  const failures = Object.entries(seen.failed).map(([what, n]) => `${n}× ${what}`);
  const lines = [
    '',
    `## ${new Date().toISOString().slice(0, 10)} — Slack app${SOCKET_MODE ? ' (Socket Mode)' : ''}: ${COMMANDS} commands during a ${fmt(ORDERS)}-order sync${SYNC_IN_CHILD ? ' in another process' : ' in the same process'}; items modal on its execution`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${fmt(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ` +
      `${(await app.pool.query('SHOW server_version')).rows[0].server_version.split(' ')[0]} PostgreSQL (local). ` +
      `Load average (1 / 5 / 15 min): ${loadAt.start} at the start, ${loadAt.burst} at the burst, ${loadAt.modal} before the modal runs, ${loadAt.analyze} before the second modal run, ${loadAt.end} at the end.`,
    '',
    `The bot process runs the real Slack bot (${SOCKET_MODE ? 'Bolt 5 in **Socket Mode**' : `Bolt 5 HTTPReceiver on /slack/events, signature checks on, ${HTTP_FRONT ? '**behind the HTTP front** (a worker thread owns the port and forwards to Bolt on loopback)' : '**listening on the port itself** (BENCH_HTTP_FRONT=0, no HTTP front)'}`})` +
      `${SYNC_IN_CHILD ? '; **the sync runs in a separate process** (BENCH_SYNC_IN_CHILD=1, like TETHER_ROLE=bot + TETHER_ROLE=worker)' : ' and the sync'} ` +
      `(http-json connector; the feed in a process of its own). "Slack" — FakeSlack for the Web API, ` +
      `${SOCKET_MODE ? 'FakeSocketMode and SlackSocketDriver sending envelopes on the bot\'s WebSocket' : 'signed HTTP requests sent and timed from a thread of their own (its event loop does nothing else, as Slack\'s senders are not its Web API)'} — ` +
      `runs ${SLACK_IN_PROCESS ? '**in the bot process** (BENCH_SLACK_IN_PROCESS=1)' : 'in a child process'}. The ${fmt(ORDERS)}-order sync took ${syncWallS.toFixed(1)} s ` +
      `(${fmt(execution.recordsFetched / syncWallS)} records/s overall) and ended \`${execution.status}\`.`,
    '',
    `**Acks** of ${burst.length} \`/tether\` commands, ${CONCURRENCY} in flight, sent once the sync had fetched ${fmt(BURST_AFTER)} records. ` +
      `Ack = ${SOCKET_MODE ? 'envelope sent → its ack back on the socket' : 'send → HTTP response'}. Answer = send → the answer at the fake (help: its ack; items: the modal's final views.update; the rest: the response_url POST). ` +
      `${badAcks.length} non-200 acks; ${failedAnswers.length} failed answers${failedAnswers.length ? ` (${[...new Set(failedAnswers.map((c) => c.failed))].join(', ')})` : ''}; ` +
      `${refused.length} error answers; ${botLog.counts.error} errors logged by the bot.`,
    '',
    '| command | n | ack p50 | ack p99 | ack max | answer p50 | answer p99 | answer max |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ackRow('**all**', burst),
    ...kinds.map((kind) => ackRow(`\`${kind}\``, burst.filter((c) => c.text.split(' ')[0] === kind))),
    '',
    ...(SOCKET_MODE
      ? []
      : HTTP_FRONT
        ? [
            `Where the ack time went (the HTTP front's and Bolt's HTTP server's own records, matched by signature: ${traced.filter((c) => c.front).length} and ` +
              `${traced.filter((c) => c.bot).length} of ${burst.length}; every request reaches Bolt through the front, on connections the front opened ahead of need; ` +
              `the front acked ${traced.filter((c) => c.front?.by === 'front').length} itself (early ack: the bot's main thread busy), Bolt the others):`,
            '',
            '| | n | p50 | p99 | max |',
            '| --- | ---: | ---: | ---: | ---: |',
            statRow('sent → request at the front', traced.filter((c) => c.front).map((c) => c.front!.arrivedAt - c.sentAbs)),
            statRow('at the front → ack sent, acked by Bolt', traced.filter((c) => c.front?.by === 'bot').map((c) => c.front!.ms)),
            statRow('at the front → ack sent, acked by the front', traced.filter((c) => c.front?.by === 'front').map((c) => c.front!.ms)),
            statRow('ack sent → ack at "Slack"', traced.filter((c) => c.front).map((c) => c.sentAbs + c.ackMs - c.front!.arrivedAt - c.front!.ms)),
            statRow('sent → request at Bolt (through the front)', traced.filter((c) => c.bot).map((c) => c.bot!.arrivedAt - c.sentAbs)),
            statRow('request at Bolt → ack written', traced.filter((c) => c.bot).map((c) => c.bot!.ackedAt - c.bot!.arrivedAt)),
            '',
          ]
        : [
          `Where the ack time went (the bot's HTTP server's own records, matched by signature: ${traced.filter((c) => c.bot).length} of ${burst.length}):`,
          '',
          '| | n | p50 | p99 | max |',
          '| --- | ---: | ---: | ---: | ---: |',
          statRow('ack, request on a new connection', fresh.map((c) => c.ackMs)),
          statRow('ack, request on a kept-alive connection', reused.map((c) => c.ackMs)),
          statRow('new connection: sent → accepted by the bot', fresh.map((c) => c.bot!.acceptedAt - c.sentAbs)),
          statRow('new connection: accepted → request at Bolt', fresh.map((c) => c.bot!.arrivedAt - c.bot!.acceptedAt)),
          statRow('kept-alive: sent → request at Bolt', reused.map((c) => c.bot!.arrivedAt - c.sentAbs)),
          statRow('request at Bolt → ack written', traced.filter((c) => c.bot).map((c) => c.bot!.ackedAt - c.bot!.arrivedAt)),
          '',
        ]),
    '| the sync | records/s | window | bot event-loop delay p99 / max |',
    '| --- | ---: | ---: | ---: |',
    ...windows.map(([label, from, to, l]) => `| ${label} | ${Number.isNaN(rate(from, to)) ? '–' : fmt(rate(from, to))} | ${((to - from) / 1000).toFixed(1)} s | ${fmt(l.p99)} ms / ${fmt(l.max)} ms |`),
    '',
    `**Items modal** on execution #${id}: ${fmt(counts.total)} items, ${fmt(counts.failed)} failed, ${fmt(counts.partial)} partially mapped; ` +
      `after the sync, one person clicking (one request at a time). Time = request sent → the modal's views.update at the fake. ` +
      `Rare term: an order id 75 % into the problem items. Paging: from the page at 50 % / 95 % of the items (the cursor its Next button carries), ` +
      `Next up to ${SAMPLES}× (fewer when the list ends), then Previous as often. ` +
      `Every action twice: with the planner statistics the sync left (autovacuum is ${statsState.autovacuum} on this server; sync_item last analyzed: ` +
      `${statsState.analyzed ? statsState.analyzed.toISOString() : 'never'}), then after \`ANALYZE sync_item\` (what autovacuum does in time).`,
    '',
    '| action | n | as left: p50 | p99 | max | analyzed: p50 | p99 | max |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...modalRows.map(
      ({ label, asLeft: a, analyzed: b }) => `| ${label} | ${b.n} | ${ms(a.p50)} | ${ms(a.p99)} | ${ms(a.max)} | ${ms(b.p50)} | ${ms(b.p99)} | ${ms(b.max)} |`,
    ),
    '',
    `Web API calls the fake answered: ${Object.entries(seen.calls).map(([method, n]) => `${method} ${fmt(n)}`).join(', ')}; ` +
      `failed: ${failures.length ? failures.join(', ') : 'none'}; Block Kit violations: ${seen.violations.length ? seen.violations.join('; ') : 'none'}.`,
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    `| ack p99 < ${ACK_TARGET_MS} ms during the sync (Slack's limit: 3 s) | p50 ${ms(ackAll.p50)}, p99 ${ms(ackAll.p99)}, max ${ms(ackAll.max)} | ${check(ackAll.p99 < ACK_TARGET_MS && badAcks.length === 0)} |`,
    ...(['asLeft', 'analyzed'] as const).map((pass) => {
      const w = worst(pass);
      const over = modalRows.filter((r) => r[pass].p99 >= MODAL_TARGET_MS).map((r) => r.label);
      return `| items modal open and filter change p99 < ${MODAL_TARGET_MS / 1000} s, ${pass === 'asLeft' ? 'statistics as the sync left them' : 'sync_item analyzed'} | worst p99 ${ms(w[pass].p99)} (${w.label})${over.length > 1 ? `; over 1 s: ${over.join(', ')}` : ''} | ${check(w[pass].p99 < MODAL_TARGET_MS)} |`;
    }),
    '',
  ];
  await appendFile(here('RESULTS.md'), lines.join('\n'));
  say(lines.join('\n'));
} finally {
  if (sync) {
    sync.stop();
    await sync.done.catch(() => {});
  }
  feed.child.kill('SIGTERM');
  await bot.stop().catch(() => {});
  await slack.api.stop().catch(() => {});
  slack.child?.disconnect();
  await app.close();
  if (!process.env.BENCH_KEEP_DATABASE) await dropDatabase(DATABASE_URL);
}
