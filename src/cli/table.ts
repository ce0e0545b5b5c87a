export interface TableLayout {
  /** Column titles; omit for a table without a header line. */
  readonly headers?: readonly string[];
  /** Indexes of right-aligned (numeric) columns. */
  readonly rightAligned: ReadonlySet<number>;
}

/** Plain-text columns for people: numbers right-aligned, text left-aligned. */
export function renderTable(rows: readonly (readonly string[])[], layout: TableLayout): string {
  const lines = layout.headers === undefined ? rows : [layout.headers, ...rows];
  const columns = Math.max(0, ...lines.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) => Math.max(0, ...lines.map((row) => (row[column] ?? '').length)));
  const render = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return layout.rightAligned.has(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return `${lines.map(render).join('\n')}\n`;
}
