import type { Language } from './language';

const UNITS = [
  { unit: 'day', ms: 86_400_000 },
  { unit: 'hour', ms: 3_600_000 },
  { unit: 'minute', ms: 60_000 },
  { unit: 'second', ms: 1_000 },
] as const;

/**
 * A configured duration in words, in the largest unit that divides it ("30 days", "90 gün",
 * "36 hours"): mails and the panel state what the configuration says, never a number written into the text.
 */
export function formatDuration(ms: number, language: Language): string {
  const { unit, ms: unitMs } =
    UNITS.find((candidate) => ms >= candidate.ms && ms % candidate.ms === 0) ?? nearestUnit(ms);
  const value = Math.max(1, Math.round(ms / unitMs));
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

/** A duration that no unit divides (e.g. 90 seconds) is rounded in the largest unit it reaches. */
function nearestUnit(ms: number) {
  return UNITS.find((candidate) => ms >= candidate.ms) ?? UNITS[UNITS.length - 1]!;
}
