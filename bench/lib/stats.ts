/** Order statistics and tables for the benchmark reports. */

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN when empty. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Spread of repeated measurements, as (max - min) / median: how much to trust a median. */
export function spread(values: number[]): number {
  if (values.length < 2) return 0;
  return (Math.max(...values) - Math.min(...values)) / median(values);
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export type Cell = string | number | null | undefined;

/** A fixed-width text table (numbers right-aligned) for the terminal. */
export function formatTable(headers: string[], rows: Cell[][]): string {
  const text = (cell: Cell) =>
    cell === null || cell === undefined ? '' : typeof cell === 'number' ? formatNumber(cell) : cell;
  const cells = rows.map((row) => row.map(text));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[], numeric: boolean[]) =>
    row.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ');
  const out = [
    line(
      headers,
      headers.map(() => false),
    ),
    widths.map((w) => '-'.repeat(w)).join('  '),
  ];
  for (let r = 0; r < rows.length; r++) {
    out.push(
      line(
        cells[r],
        rows[r].map((cell) => typeof cell === 'number'),
      ),
    );
  }
  return out.join('\n');
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
