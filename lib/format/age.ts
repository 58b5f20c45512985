const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/**
 * An age the way kubectl prints it (`45s`, `12m`, `5h3m`, `3d4h`, `2y10d`): two units at most
 * while the larger one is small, one unit once it is large.
 * @param createdAt ISO 8601 time
 * @param now milliseconds since the epoch
 */
export function formatAge(createdAt: string | null, now: number): string {
  if (createdAt === null) return 'unknown';
  const created = Date.parse(createdAt);
  if (Number.isNaN(created)) return 'unknown';
  const elapsed = Math.max(0, now - created);
  if (elapsed < 2 * MINUTE) return `${Math.floor(elapsed / SECOND)}s`;
  if (elapsed < 10 * MINUTE) return withRemainder(elapsed, MINUTE, 'm', SECOND, 's');
  if (elapsed < 3 * HOUR) return `${Math.floor(elapsed / MINUTE)}m`;
  if (elapsed < 8 * HOUR) return withRemainder(elapsed, HOUR, 'h', MINUTE, 'm');
  if (elapsed < 2 * DAY) return `${Math.floor(elapsed / HOUR)}h`;
  if (elapsed < 8 * DAY) return withRemainder(elapsed, DAY, 'd', HOUR, 'h');
  if (elapsed < 2 * YEAR) return `${Math.floor(elapsed / DAY)}d`;
  if (elapsed < 8 * YEAR) return withRemainder(elapsed, YEAR, 'y', DAY, 'd');
  return `${Math.floor(elapsed / YEAR)}y`;
}

function withRemainder(
  elapsed: number,
  unit: number,
  unitName: string,
  sub: number,
  subName: string,
): string {
  const whole = Math.floor(elapsed / unit);
  const rest = Math.floor((elapsed % unit) / sub);
  return rest === 0 ? `${whole}${unitName}` : `${whole}${unitName}${rest}${subName}`;
}
