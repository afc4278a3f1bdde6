import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { parse, CsvError } from 'csv-parse';

export class CsvInvalid extends Error {
  override name = 'CsvInvalid';
}

export interface CsvRow {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  values: Record<string, string>;
}

/** Streams a CSV file with a header row; UTF-8 with or without BOM, quoted fields, CRLF. */
export async function readCsvFile(path: string, requiredColumns: string[]): Promise<CsvRow[]> {
  try {
    await access(path);
  } catch {
    throw new CsvInvalid(`Cannot read ${path}: no such file`);
  }
  const parser = createReadStream(path).pipe(
    parse({ bom: true, columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), trim: true, skip_empty_lines: true, info: true }),
  );
  const rows: CsvRow[] = [];
  try {
    for await (const record of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (rows.length === 0) {
        const missing = requiredColumns.filter((column) => !(column in record.record));
        if (missing.length) {
          throw new CsvInvalid(`${path}: the header must have the columns ${requiredColumns.join(',')} (missing: ${missing.join(', ')})`);
        }
      }
      rows.push({ line: record.info.lines, values: record.record });
    }
  } catch (error) {
    if (error instanceof CsvInvalid) throw error;
    if (error instanceof CsvError) throw new CsvInvalid(`${path}: ${error.message}`);
    throw error;
  }
  return rows;
}
