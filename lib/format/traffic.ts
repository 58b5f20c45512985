/**
 * Traffic numbers as the graph shows them, identically on the canvas, in the table and in the side
 * panels, so a test reading the table reads what a person sees on an edge.
 */

/** Requests per second: two decimals under 10, one under 100, whole above; `0` for none. */
export function formatRps(rps: number): string {
  if (!Number.isFinite(rps) || rps <= 0) return '0';
  if (rps < 0.01) return '<0.01';
  if (rps < 10) return rps.toFixed(2);
  if (rps < 100) return rps.toFixed(1);
  return Math.round(rps).toString();
}

/** A share given as 0–100 with one decimal and a percent sign. */
export function formatPercent(percent: number): string {
  if (!Number.isFinite(percent)) return '–';
  return `${percent.toFixed(1)}%`;
}

/** A share given as 0–1 (error rates) as a percentage. */
export function formatRatio(ratio: number): string {
  return formatPercent(ratio * 100);
}

/** Milliseconds: whole below 10 s, seconds with one decimal above; `–` when unknown. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms >= 100) return `${Math.round(ms)}ms`;
  return `${Number(ms.toFixed(1))}ms`;
}

/** Bytes per second with a binary unit. */
export function formatBytesPerSecond(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B/s';
  const units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
