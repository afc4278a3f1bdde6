import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse, CsvError } from 'csv-parse';
import { InvalidInput } from '../domain/refusals.js';

export class CsvInvalid extends InvalidInput {
  override name = 'CsvInvalid';
}

export interface CsvRow {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  values: Record<string, string>;
}

async function requireFile(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new CsvInvalid(`Cannot read ${path}: no such file`);
  }
  if (!info.isFile()) throw new CsvInvalid(`Cannot read ${path}: not a file`);
}

/**
 * Streams the rows of a CSV file with a header row: UTF-8 with or without BOM, quoted fields,
 * CRLF or LF. Header names are trimmed and lower-cased. The header is checked before any row is
 * read, so a file whose only line is not a header with the required columns is rejected, and so
 * is an empty file (no bytes, or only a BOM and blank lines). A file with a header and no rows
 * yields nothing. A row with missing or extra cells is still yielded (the caller validates it),
 * so one bad row does not stop the file.
 */
export async function* streamCsvRows(path: string, requiredColumns: string[]): AsyncGenerator<CsvRow> {
  await requireFile(path);
  let sawHeader = false;
  const checkHeader = (header: string[]): string[] => {
    const names = header.map((name) => name.trim().toLowerCase());
    const missing = requiredColumns.filter((column) => !names.includes(column));
    if (missing.length) throw new CsvInvalid(`${path}: the header must have the columns ${requiredColumns.join(',')} (missing: ${missing.join(', ')})`);
    sawHeader = true;
    return names;
  };
  const file = createReadStream(path);
  const parser = file.pipe(
    parse({
      bom: true,
      columns: checkHeader,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }),
  );
  // pipe() does not forward a read error; without this the parser would wait forever.
  file.on('error', (error) => parser.destroy(error));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield { line: info.lines, values: record };
    }
  } catch (error) {
    if (error instanceof CsvError) throw new CsvInvalid(`${path}: ${error.message}`);
    if (error instanceof CsvInvalid) throw error;
    throw new CsvInvalid(`Cannot read ${path}: ${(error as Error).message}`);
  } finally {
    parser.destroy();
    file.destroy();
  }
  if (!sawHeader) throw new CsvInvalid(`${path} is empty: expected a header row with columns ${requiredColumns.join(',')}`);
}

/** All rows of a (small) CSV file, e.g. an import; see streamCsvRows. */
export async function readCsvFile(path: string, requiredColumns: string[]): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of streamCsvRows(path, requiredColumns)) rows.push(row);
  return rows;
}
