import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
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

/**
 * Streams the rows of a CSV file with a header row: UTF-8 with or without BOM, quoted fields,
 * CRLF or LF. Header names are trimmed and lower-cased. A row with missing or extra cells is
 * still yielded (the caller validates it), so one bad row does not stop the file.
 */
export async function* streamCsvRows(path: string, requiredColumns: string[]): AsyncGenerator<CsvRow> {
  try {
    await access(path);
  } catch {
    throw new CsvInvalid(`Cannot read ${path}: no such file`);
  }
  const parser = createReadStream(path).pipe(
    parse({
      bom: true,
      columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }),
  );
  let first = true;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (first) {
        const missing = requiredColumns.filter((column) => !(column in record));
        if (missing.length) throw new CsvInvalid(`${path}: the header must have the columns ${requiredColumns.join(',')} (missing: ${missing.join(', ')})`);
        first = false;
      }
      yield { line: info.lines, values: record };
    }
  } catch (error) {
    if (error instanceof CsvError) throw new CsvInvalid(`${path}: ${error.message}`);
    throw error;
  } finally {
    parser.destroy();
  }
}

/** All rows of a (small) CSV file, e.g. an import; see streamCsvRows. */
export async function readCsvFile(path: string, requiredColumns: string[]): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of streamCsvRows(path, requiredColumns)) rows.push(row);
  return rows;
}
