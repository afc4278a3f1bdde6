import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small HTTP server standing in for a platform that speaks the `http-json` feed protocol:
 * GET /{domain_type}?updated_after=&cursor=&limit= with a Bearer token. Records are returned in
 * (updated_at, key) order with a keyset cursor, inclusive of updated_after. Faults can be queued.
 */

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  | { kind: 'body'; body: string };

export interface FeedRecord {
  updated_at: string;
  [field: string]: unknown;
}

/** Where the records come from: an in-memory table, or a generator for the benchmark. */
export interface FeedSource {
  /** Records with updated_at >= updatedAfter, after the keyset position, at most limit. */
  page(domain: string, updatedAfter: string | null, after: string | null, limit: number): { data: FeedRecord[]; next: string | null };
}

const keyOf = (domain: string, record: FeedRecord): string =>
  domain === 'warehouse_inventory' ? `${String(record.warehouse)}:${String(record.sku)}` : String(record.id);

/** In-memory records per domain type; changes take effect on the next request. */
export class MemorySource implements FeedSource {
  private readonly tables = new Map<string, Map<string, FeedRecord>>();

  put(domain: string, ...records: FeedRecord[]): void {
    let table = this.tables.get(domain);
    if (!table) this.tables.set(domain, (table = new Map()));
    for (const record of records) table.set(keyOf(domain, record), structuredClone(record));
  }

  all(domain: string): FeedRecord[] {
    return [...(this.tables.get(domain)?.values() ?? [])].map((record) => structuredClone(record));
  }

  page(domain: string, updatedAfter: string | null, after: string | null, limit: number) {
    const since = updatedAfter ? Date.parse(updatedAfter) : -Infinity;
    const position = after ? (JSON.parse(Buffer.from(after, 'base64url').toString()) as [number, string]) : null;
    const sorted = [...(this.tables.get(domain)?.values() ?? [])]
      .map((record) => ({ record, time: Date.parse(record.updated_at), key: keyOf(domain, record) }))
      .filter((entry) => entry.time >= since)
      .sort((a, b) => a.time - b.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const start = position
      ? sorted.findIndex((e) => e.time > position[0] || (e.time === position[0] && e.key > position[1]))
      : 0;
    const slice = start < 0 ? [] : sorted.slice(start, start + limit);
    const last = slice.at(-1);
    const more = start >= 0 && start + limit < sorted.length;
    return {
      data: slice.map((entry) => structuredClone(entry.record)),
      next: more && last ? Buffer.from(JSON.stringify([last.time, last.key])).toString('base64url') : null,
    };
  }
}

export interface FeedRequest {
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
}

export class FakeFeed {
  readonly requests: FeedRequest[] = [];
  private readonly faults: Fault[] = [];
  private server: Server | null = null;
  /** Runs before each data request is answered (e.g. to change records mid-sync). */
  beforeAnswer: ((request: FeedRequest) => void | Promise<void>) | null = null;

  constructor(
    readonly source: FeedSource,
    private readonly token = 'feed-token',
  ) {}

  inject(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://feed');
    const request: FeedRequest = { path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization };
    this.requests.push(request);
    const fault = this.faults.shift();
    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) });
      return void res.end(fault.body ?? JSON.stringify({ error: `injected ${fault.status}` }));
    }
    if (fault?.kind === 'body') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(fault.body);
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      return void res.end('{"error":"unauthorized"}');
    }
    const domain = url.pathname.replace(/^\/+/, '');
    if (domain !== 'sales_orders' && domain !== 'warehouse_inventory') {
      res.writeHead(404);
      return void res.end();
    }
    await this.beforeAnswer?.(request);
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const page = this.source.page(domain, url.searchParams.get('updated_after'), url.searchParams.get('cursor'), limit);
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: page.data, next_cursor: page.next }));
  }
}
