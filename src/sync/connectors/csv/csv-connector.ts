import { statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { SyncFailure } from '../../../domain/sync-errors.js';
import { CsvInvalid, streamCsvRows } from '../../../io/csv-file.js';
import { describeIssues } from '../config-schema.js';
import type { Connector, ConnectorDefinition, FetchRequest, SourcePage } from '../connector.js';

const COLUMNS = ['warehouse', 'sku', 'on_hand', 'available'];

const configSchema = z
  .object({
    path: z.string().min(1, { error: 'must name a .csv file or a directory of them' }),
    page_size: z.number().int().min(1).max(100_000).default(1000),
  })
  .strict();
type CsvConfig = z.infer<typeof configSchema>;

/** The cursor remembers each synced file's modification time and size: unchanged files are skipped. */
interface CsvCursor {
  files: Record<string, string>;
}

/** Why config.path cannot be read as a file or a directory, or null when it can. */
function pathProblem(path: string): string | null {
  let info;
  try {
    info = statSync(path);
  } catch {
    return `config.path: ${path} does not exist (expected a .csv file or a directory of them)`;
  }
  return info.isFile() || info.isDirectory() ? null : `config.path: ${path} is neither a file nor a directory`;
}

const fileVersion = (mtimeMs: number, size: number): string => `${Math.trunc(mtimeMs)}:${size}`;

function readCursor(cursor: string | null): CsvCursor {
  if (!cursor) return { files: {} };
  try {
    const parsed = JSON.parse(cursor) as CsvCursor;
    return parsed && typeof parsed.files === 'object' ? parsed : { files: {} };
  } catch {
    return { files: {} }; // an unreadable cursor means a full sync, never a lost file
  }
}

/** Warehouse inventory snapshots from CSV files, as many 3PLs deliver them. */
class CsvConnector implements Connector {
  constructor(private readonly config: CsvConfig) {}

  async *fetch(request: FetchRequest): AsyncIterable<SourcePage> {
    const previous = readCursor(request.cursor);
    const next: CsvCursor = { files: {} };
    for (const file of await this.listFiles()) {
      const info = await stat(file);
      const name = basename(file);
      const version = fileVersion(info.mtimeMs, info.size);
      next.files[name] = version;
      if (previous.files[name] === version) {
        request.log.debug({ file: name }, 'csv file unchanged since the last sync: skipped');
        continue;
      }
      yield* this.readFile(file, name, () => JSON.stringify(next), request);
    }
  }

  private async listFiles(): Promise<string[]> {
    // Checked at apply and before the run; checked again here in case it went away meanwhile.
    const problem = pathProblem(this.config.path);
    if (problem) throw new SyncFailure('configuration', problem);
    if ((await stat(this.config.path)).isFile()) return [this.config.path];
    const names = (await readdir(this.config.path)).filter((name) => name.toLowerCase().endsWith('.csv')).sort();
    return names.map((name) => join(this.config.path, name));
  }

  private async *readFile(path: string, name: string, cursor: () => string, request: FetchRequest): AsyncIterable<SourcePage> {
    let records: unknown[] = [];
    let refs: string[] = [];
    const page = (): SourcePage => {
      const result = { records, refs, cursor: cursor(), label: name };
      records = [];
      refs = [];
      return result;
    };
    try {
      for await (const row of streamCsvRows(path, COLUMNS)) {
        request.signal.throwIfAborted();
        records.push(toRecord(row.values));
        refs.push(`${name} line ${row.line}`);
        if (records.length >= this.config.page_size) yield page();
      }
    } catch (error) {
      if (error instanceof CsvInvalid) throw new SyncFailure('source_data', error.message.replace(path, name));
      throw error;
    }
    if (records.length) yield page();
  }
}

/** CSV cells are text; numbers stay strings so validation can name a bad one. Empty optional cells are absent. */
function toRecord(values: Record<string, string>): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (value !== '' || COLUMNS.includes(key)) record[key] = value;
  return record;
}

export const csvConnector: ConnectorDefinition = {
  type: 'csv',
  domains: ['warehouse_inventory'],
  /** The config's shape, and that config.path is there (a file or a directory) where this runs. */
  validate: (config) => {
    const parsed = configSchema.safeParse(config);
    if (!parsed.success) return describeIssues('config', parsed);
    const problem = pathProblem(parsed.data.path);
    return problem ? [problem] : [];
  },
  create: (config) => new CsvConnector(configSchema.parse(config)),
};
