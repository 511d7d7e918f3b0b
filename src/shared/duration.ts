import ms from 'ms';

/**
 * A duration string such as `10m`, `30d` or `5s`, parsed with `ms` — the same grammar the
 * Temporal SDK accepts for timers, so a configured value means the same thing everywhere.
 * Returns milliseconds, or undefined when the string is not a positive duration.
 */
export function parseDuration(value: string): number | undefined {
  const millis = ms(value.trim() as ms.StringValue);
  return Number.isFinite(millis) && millis > 0 ? millis : undefined;
}
