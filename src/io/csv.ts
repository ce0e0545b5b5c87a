import { stringify } from 'csv-stringify/sync';

import { joined } from './text-pieces.js';

/** A cell of a CSV file minapay writes; null and undefined are empty. */
export type CsvCell = string | number | bigint | boolean | null | undefined;

/**
 * Every CSV minapay writes: a header row of `columns`, then the rows, booleans
 * as true and false. Text that a spreadsheet would run as a formula is made
 * plain text by a leading single quote (csv-stringify's `escape_formulas`:
 * OWASP's = + - @, tab and carriage return, and the full-width = + - @): an
 * archive's state hash or a daemon's answer is not trusted to be harmless.
 * minapay writes amounts as digits and never negative, so no real value
 * starts with one of these characters.
 */
export function formatCsv(rows: Iterable<readonly CsvCell[]>, columns: readonly string[]): string {
  return joined(csvPieces(rows, columns));
}

/**
 * Rows written at once: what one piece of a large CSV holds. Few, so that
 * the rows held for csv-stringify are mostly gone when the young
 * generation is collected: the 2,528-row report.csv of the 250k bench plan
 * took 60 to 73 ms in a fresh process with 50, 72 to 99 ms with 500 (six
 * alternating runs each), most of the difference in collections.
 */
const ROWS_A_PIECE = 50;

/** formatCsv's text in pieces of a few dozen rows: a report of thousands of lines is never one string. */
export function* csvPieces(rows: Iterable<readonly CsvCell[]>, columns: readonly string[]): Generator<string> {
  let batch: (readonly CsvCell[])[] = [];
  let header = true;
  const piece = () => stringify(batch as CsvCell[][], { header, columns: [...columns], escape_formulas: true, cast: { boolean: String } });
  for (const row of rows) {
    batch.push(row);
    if (batch.length < ROWS_A_PIECE) continue;
    yield piece();
    [batch, header] = [[], false];
  }
  if (header || batch.length > 0) yield piece();
}
