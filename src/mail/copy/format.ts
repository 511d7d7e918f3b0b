import type { Language } from '../../domain/language';

/** A moment as the reader's language writes it, in UTC (the zone is said, not guessed). */
export function formatDate(date: Date, language: Language): string {
  return new Intl.DateTimeFormat(language, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(date);
}

/** A count as the reader's language groups its digits ("1,000,000", "1.000.000"). */
export function formatCount(count: number, language: Language): string {
  return new Intl.NumberFormat(language).format(count);
}

/** A merchant's own text put in a subject: one line, so it cannot bend the mail's headers. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
