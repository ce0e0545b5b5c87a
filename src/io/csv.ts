import { stringify } from 'csv-stringify/sync';

/** A cell of a CSV file minapay writes; null and undefined are empty. */
export type CsvCell = string | number | bigint | boolean | null | undefined;

/** Where a spreadsheet starts a formula (OWASP's list: = + - @, tab, carriage return). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Every CSV minapay writes: a header row of `columns`, then the rows, booleans
 * as true and false. Text that a spreadsheet would run as a formula is made
 * plain text by a leading single quote: an archive's state hash or a daemon's
 * answer is not trusted to be harmless. minapay writes amounts as digits and
 * never negative, so no real value starts with one of these characters.
 */
export function formatCsv(rows: readonly (readonly CsvCell[])[], columns: readonly string[]): string {
  return stringify(rows as CsvCell[][], { header: true, columns: [...columns], cast: { string: spreadsheetText, boolean: String } });
}

/** A text cell as a spreadsheet will show it, never run it. */
export function spreadsheetText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
