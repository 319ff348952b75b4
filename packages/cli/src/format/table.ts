/** Visible width: ANSI colour codes take no room on screen. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point.
const visible = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '').length;

/** Aligned columns with a header; the last column is not padded (titles run to the edge). */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(visible(title), ...rows.map((row) => visible(row[column] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell + ' '.repeat((widths[column] ?? 0) - visible(cell)),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
