import { joined } from '../io/text-pieces.js';

export interface TableLayout {
  /** Column titles; omit for a table without a header line. */
  readonly headers?: readonly string[];
  /** Indexes of right-aligned (numeric) columns. */
  readonly rightAligned: ReadonlySet<number>;
}

/** Plain-text columns for people: numbers right-aligned, text left-aligned. */
export function renderTable(rows: readonly (readonly string[])[], layout: TableLayout): string {
  return joined(tablePieces(() => rows, layout));
}

/**
 * renderTable's text a line at a time, for tables of many rows: `rows` is
 * gone through twice, once for the column widths and once to write, so
 * that no row's cells need to be held meanwhile.
 */
export function* tablePieces(rows: () => Iterable<readonly string[]>, layout: TableLayout): Generator<string> {
  const lines = function* () {
    if (layout.headers !== undefined) yield layout.headers;
    yield* rows();
  };
  const widths: number[] = [];
  let count = 0;
  for (const cells of lines()) {
    count++;
    for (const [column, cell] of cells.entries()) widths[column] = Math.max(widths[column] ?? 0, cell.length);
  }
  // A table of no lines at all is one empty line, as joining none and ending with a newline gives.
  if (count === 0) yield '\n';
  for (const cells of lines()) {
    const text = cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return layout.rightAligned.has(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
    yield `${text}\n`;
  }
}
