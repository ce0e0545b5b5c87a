import { createRequire } from 'node:module';

type CsvParse = typeof import('csv-parse/sync').parse;
let loadedCsvParse: CsvParse | null = null;

/**
 * csv-parse, loaded the first time a CSV file is read: loaded with the
 * rest, it took some 6 ms of every `payout plan` start-up (10 to 15 ms in a
 * process of its own), whose blocks, overrides and programs are JSON more
 * often than not. Its CommonJS build, which `require` loads synchronously
 * where it is needed.
 */
function csvParse(): CsvParse {
  loadedCsvParse ??= (createRequire(import.meta.url)('csv-parse/sync') as typeof import('csv-parse/sync')).parse;
  return loadedCsvParse;
}

/** One record of an input file, before validation, with where it sits for error messages. */
export interface RawRecord {
  readonly raw: unknown;
  readonly where: string;
}

/**
 * The records of a JSON array of objects, or of CSV with a header row of
 * field names, told apart by the first character. JSON records are named
 * `<record> <index>`, CSV ones by row. `invalid` turns a problem with the file
 * as a whole into the caller's error.
 */
export function fileRecords(content: string, path: string, record: string, invalid: (message: string) => Error): RawRecord[] {
  const first = content.trimStart()[0];
  return first === '[' || first === '{' ? jsonRecords(content, path, record, invalid) : csvRecords(content, path, invalid);
}

function jsonRecords(content: string, path: string, record: string, invalid: (message: string) => Error): RawRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw invalid(`${path}: invalid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw invalid(`${path}: expected a JSON array of ${record} objects`);
  return parsed.map((raw: unknown, index) => ({ raw, where: `${record} ${index}` }));
}

function csvRecords(content: string, path: string, invalid: (message: string) => Error): RawRecord[] {
  let rows: Record<string, string>[];
  try {
    rows = csvParse()(content, { columns: uniqueHeader, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw invalid(`${path}: invalid CSV: ${(error as Error).message}`);
  }
  // Row 1 is the header, so the first record is on row 2.
  return rows.map((raw, index) => ({ raw, where: `row ${index + 2}` }));
}

/** A header naming a field twice would silently keep one of the two columns. */
function uniqueHeader(header: string[]): string[] {
  const repeated = header.find((name, index) => header.indexOf(name) !== index);
  if (repeated !== undefined) throw new Error(`the header names ${repeated} twice`);
  return header;
}
