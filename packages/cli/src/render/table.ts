import { visibleLength } from './style.js';

/** Column alignment in {@link renderTable}. */
export type Align = 'left' | 'right';

/**
 * Renders rows as aligned columns separated by two spaces, the first row being the header (pass
 * `header` already styled). Cells may contain colour codes; widths ignore them.
 */
export function renderTable(rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => {
          const pad = ' '.repeat((widths[i] ?? 0) - visibleLength(cell));
          if (align[i] === 'right') return pad + cell;
          return i === row.length - 1 ? cell : cell + pad;
        })
        .join('  '),
    )
    .join('\n');
}
