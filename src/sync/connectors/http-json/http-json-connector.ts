import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { SyncFailure } from '../../../domain/sync-errors.js';
import { describeIssues } from '../config-schema.js';
import type { Connector, ConnectorDefinition, FetchRequest, SourcePage } from '../connector.js';
import { backoffDelayMs, parseRetryAfterMs } from './retry-policy.js';

const configSchema = z
  .object({
    base_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://feed.example.com/v1' }),
    page_size: z.number().int().min(1).max(10_000).default(500),
    timeout_ms: z.number().int().min(100).max(600_000).default(30_000),
    max_attempts: z.number().int().min(1).max(20).default(5),
    retry_base_ms: z.number().int().min(1).max(60_000).default(500),
    retry_cap_ms: z.number().int().min(1).max(600_000).default(30_000),
    /** 429s wait as the source asks and do not use up max_attempts, but are bounded too. */
    max_rate_limit_waits: z.number().int().min(0).max(1000).default(20),
  })
  .strict();
const credentialsSchema = z
  .object({ token: z.string({ error: 'is required (the Bearer token)' }).min(1, { error: 'is required (the Bearer token)' }) })
  .loose();

type HttpJsonConfig = z.infer<typeof configSchema>;

const pageSchema = z.object({ data: z.array(z.unknown()), next_cursor: z.string().min(1).nullable() });

/** Errors worth another attempt: connection problems, timeouts and 5xx. */
class Retryable extends Error {}

/**
 * The generic HTTP feed: GET {base_url}/{domain_type}?updated_after=&cursor=&limit= with a Bearer token.
 * The source is inclusive (updated_at >= updated_after); the next integration cursor is the highest
 * updated_at seen, so boundary records come back next time and are recognised as unchanged.
 */
class HttpJsonConnector implements Connector {
  constructor(
    private readonly config: HttpJsonConfig,
    private readonly token: string,
  ) {}

  async *fetch(request: FetchRequest): AsyncIterable<SourcePage> {
    let pageCursor: string | null = null;
    let highest = request.cursor;
    let pageNumber = 0;
    do {
      pageNumber += 1;
      const url = this.pageUrl(request, pageCursor);
      const body = await this.getJson(url, `page ${pageNumber}`, request);
      const parsed = pageSchema.safeParse(body);
      if (!parsed.success) {
        throw new SyncFailure(
          'source_data',
          `Page ${pageNumber} of ${request.domainType} is not in the expected shape { "data": [...], "next_cursor": string | null } (${describeIssues('body', parsed)[0]})`,
        );
      }
      for (const record of parsed.data.data) highest = laterTimestamp(highest, record);
      pageCursor = parsed.data.next_cursor;
      yield { records: parsed.data.data, cursor: highest, label: `page ${pageNumber}` };
    } while (pageCursor);
  }

  private pageUrl(request: FetchRequest, pageCursor: string | null): URL {
    const url = new URL(`${this.config.base_url.replace(/\/+$/, '')}/${request.domainType}`);
    if (request.cursor) url.searchParams.set('updated_after', request.cursor);
    if (pageCursor) url.searchParams.set('cursor', pageCursor);
    url.searchParams.set('limit', String(this.config.page_size));
    return url;
  }

  private async getJson(url: URL, what: string, request: FetchRequest): Promise<unknown> {
    let failures = 0;
    let rateLimited = 0;
    const where = `${request.domainType} ${what}`;
    for (;;) {
      request.signal.throwIfAborted();
      try {
        const response = await fetch(url, {
          headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
          signal: AbortSignal.any([request.signal, AbortSignal.timeout(this.config.timeout_ms)]),
        });
        if (response.status === 429 && rateLimited < this.config.max_rate_limit_waits) {
          rateLimited += 1;
          const waitMs =
            parseRetryAfterMs(response.headers.get('retry-after'), new Date()) ??
            backoffDelayMs(rateLimited, this.config.retry_base_ms, this.config.retry_cap_ms);
          await response.body?.cancel();
          request.log.warn({ url: url.pathname, status: 429, waitMs, rateLimited }, `rate limited on ${where}: waiting as asked`);
          await sleep(waitMs, undefined, { signal: request.signal });
          continue;
        }
        return await this.readBody(response, where);
      } catch (error) {
        if (!(error instanceof Retryable) && !isNetworkError(error, request.signal)) throw error;
        failures += 1;
        const reason = error instanceof Retryable ? error.message : describeNetworkError(error, this.config.timeout_ms);
        if (failures >= this.config.max_attempts) {
          throw new SyncFailure('connection', `${where} failed after ${failures} attempts: ${reason}`);
        }
        const waitMs = backoffDelayMs(failures, this.config.retry_base_ms, this.config.retry_cap_ms);
        request.log.warn({ url: url.pathname, attempt: failures, waitMs, reason }, `retrying ${where}`);
        await sleep(waitMs, undefined, { signal: request.signal });
      }
    }
  }

  private async readBody(response: Response, where: string): Promise<unknown> {
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new SyncFailure('authentication', `The source refused the credentials (HTTP ${response.status} on ${where}): update the integration credentials`);
    }
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel();
      throw new Retryable(`HTTP ${response.status}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new SyncFailure('configuration', `The source answered HTTP ${response.status} on ${where}: check config.base_url`);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new Retryable(`the connection dropped while reading the body (${(error as Error).message})`);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new SyncFailure('source_data', `${where[0]!.toUpperCase()}${where.slice(1)} is not valid JSON (starts with ${JSON.stringify(text.slice(0, 40))})`);
    }
  }
}

function isNetworkError(error: unknown, runSignal: AbortSignal): boolean {
  if (runSignal.aborted) return false;
  const name = (error as Error)?.name;
  return name === 'TimeoutError' || (error instanceof TypeError && (error as Error).message === 'fetch failed');
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if ((error as Error).name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** The later of the cursor and the record's updated_at (ISO-8601 strings compare by instant). */
function laterTimestamp(current: string | null, record: unknown): string | null {
  const value = (record as { updated_at?: unknown })?.updated_at;
  if (typeof value !== 'string') return current;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return current;
  return current === null || time > Date.parse(current) ? new Date(time).toISOString() : current;
}

export const httpJsonConnector: ConnectorDefinition = {
  type: 'http-json',
  domains: ['sales_orders', 'warehouse_inventory'],
  validate: (config, credentials) => [
    ...describeIssues('config', configSchema.safeParse(config)),
    ...describeIssues('credentials', credentialsSchema.safeParse(credentials)),
  ],
  create: (config, credentials) => {
    const parsedCredentials = credentialsSchema.safeParse(credentials);
    if (!parsedCredentials.success) throw new SyncFailure('configuration', 'credentials.token is missing: set it in the integrations file');
    return new HttpJsonConnector(configSchema.parse(config), parsedCredentials.data.token);
  },
};
