import { describe, expect, it } from 'vitest';
import { CsvInvalid, readCsvFile, streamCsvRows } from '../../src/io/csv-file.js';
import { tempDir, writeTemp } from '../support/fixtures.js';

const COLUMNS = ['code', 'name'];

async function rejection(path: string): Promise<CsvInvalid> {
  const error = await readCsvFile(path, COLUMNS).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CsvInvalid);
  return error as CsvInvalid;
}

describe('reading a CSV file', () => {
  it('reads rows with their line numbers (BOM, CRLF, quotes, blank lines, header names trimmed and lower-cased)', async () => {
    const path = await writeTemp('ok.csv', '\ufeff\r\n Code , NAME\r\n"A-1","Widget, large"\r\n\r\nB-2,Gadget\r\n');
    expect(await readCsvFile(path, COLUMNS)).toEqual([
      { line: 3, values: { code: 'A-1', name: 'Widget, large' } },
      { line: 5, values: { code: 'B-2', name: 'Gadget' } },
    ]);
  });

  it('accepts a file with a header and no rows: it has no rows', async () => {
    expect(await readCsvFile(await writeTemp('header.csv', 'code,name\r\n'), COLUMNS)).toEqual([]);
    expect(await readCsvFile(await writeTemp('header.csv', 'code,name'), COLUMNS)).toEqual([]);
  });

  it('rejects a file whose only line is not a header with the required columns, naming the missing ones', async () => {
    const path = await writeTemp('one-line.csv', 'SKU-1,Widget\n');
    expect((await rejection(path)).message).toBe(`${path}: the header must have the columns code,name (missing: code, name)`);
    const partial = await writeTemp('partial.csv', 'code,title');
    expect((await rejection(partial)).message).toBe(`${partial}: the header must have the columns code,name (missing: name)`);
  });

  it('checks the header before it yields a row', async () => {
    const path = await writeTemp('no-header.csv', 'SKU-1,Widget\nSKU-2,Gadget\n');
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const row of streamCsvRows(path, COLUMNS)) seen.push(row);
      })(),
    ).rejects.toThrow(`${path}: the header must have the columns code,name (missing: code, name)`);
    expect(seen).toEqual([]);
  });

  it.each([
    ['no bytes', ''],
    ['only blank lines', '\n\r\n\n'],
    ['only whitespace lines', '  \n\t\n'],
    ['only a BOM', '\ufeff'],
    ['a BOM and blank lines', '\ufeff\r\n\r\n'],
  ])('rejects an empty file (%s)', async (_, content) => {
    const path = await writeTemp('empty.csv', content);
    expect((await rejection(path)).message).toBe(`${path} is empty: expected a header row with columns code,name`);
  });

  it('rejects a missing path and a directory', async () => {
    const dir = await tempDir();
    expect((await rejection(`${dir}/nope.csv`)).message).toBe(`Cannot read ${dir}/nope.csv: no such file`);
    expect((await rejection(dir)).message).toBe(`Cannot read ${dir}: not a file`);
  });

  it('streams: rows before a broken line arrive before the error at the end of a large file', async () => {
    const filler = Array.from({ length: 50_000 }, (_, i) => `F-${i},filler`).join('\n');
    const path = await writeTemp('broken.csv', `code,name\nA-1,first\n${filler}\n"B-2,never closed\n`);
    const seen: string[] = [];
    let failure: unknown = null;
    try {
      for await (const row of streamCsvRows(path, COLUMNS)) {
        if (seen.length < 2) seen.push(row.values.code!);
      }
    } catch (error) {
      failure = error;
    }
    expect(seen).toEqual(['A-1', 'F-0']);
    expect(failure).toBeInstanceOf(CsvInvalid);
    expect((failure as Error).message).toMatch(/Quote Not Closed/);
  });
});
