import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../api/client';
import { FieldErrors } from './Field';
import { dateLocale } from '../i18n';

type Part = 'day' | 'month' | 'year';
type Parts = Record<Part, string>;

const EMPTY: Parts = { day: '', month: '', year: '' };
const EXAMPLE = new Date(1985, 3, 23);

/** `YYYY-MM-DD` as the three boxes show it; anything else (nothing yet) leaves them empty. */
function split(value: string): Parts {
  const match = /^(\d+)-(\d+)-(\d+)$/.exec(value);
  return match ? { year: match[1]!, month: match[2]!, day: match[3]! } : EMPTY;
}

/**
 * What the boxes say, as `YYYY-MM-DD` for the API: a one-digit day or month gets its zero; a
 * box left empty or holding something else makes a value the shared schema rejects as no real date.
 */
function compose({ day, month, year }: Parts): string {
  const [d, m, y] = [day.trim(), month.trim(), year.trim()];
  if (d === '' && m === '' && y === '') return '';
  const pad = (text: string) => (/^\d$/.test(text) ? `0${text}` : text);
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** The order the locale writes a date in (Turkish and British English: day, month, year; American English: month, day, year), and its example. */
function localeDate(language: string) {
  const format = new Intl.DateTimeFormat(language, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const order = format
    .formatToParts(EXAMPLE)
    .map((part) => part.type)
    .filter((type): type is Part => type === 'day' || type === 'month' || type === 'year');
  return { order, example: format.format(EXAMPLE) };
}

interface DateFieldProps {
  /** The first box's id: a link to the field lands on it. */
  id: string;
  label: string;
  /** `YYYY-MM-DD`, or '' when none. */
  value: string;
  onChange(value: string): void;
  errors?: FieldError[] | undefined;
  /** The autocomplete family of the three boxes (`bday` gives bday-day, bday-month, bday-year). */
  autoComplete?: string;
}

/**
 * A date as three boxes (GOV.UK's date input) in the order of the page's language (in the
 * browser's regional variant of it): a native date picker follows the browser's own locale
 * whatever language the page is in.
 */
export function DateField({ id, label, value, onChange, errors = [], autoComplete }: DateFieldProps) {
  const { t, i18n } = useTranslation();
  const generated = useId();
  const [parts, setParts] = useState(() => split(value));
  // The value last sent up: a new one from outside (a save, a reset) refills the boxes.
  const [sent, setSent] = useState(value);
  if (value !== sent) {
    setSent(value);
    setParts(split(value));
  }
  const { order, example } = useMemo(() => localeDate(dateLocale(i18n.language)), [i18n.language]);

  const change = (part: Part, text: string) => {
    const next = { ...parts, [part]: text };
    const composed = compose(next);
    setParts(next);
    setSent(composed);
    onChange(composed);
  };

  const hintId = `${generated}-hint`;
  const errorId = `${generated}-errors`;
  const describedBy = [hintId, errors.length > 0 ? errorId : undefined].filter(Boolean).join(' ');
  return (
    <fieldset className="field date-field" aria-describedby={describedBy}>
      <legend>{label}</legend>
      <p className="hint" id={hintId}>
        {t('dateField.hint', { example })}
      </p>
      <div className="date-field-boxes">
        {order.map((part, index) => {
          const inputId = index === 0 ? id : `${id}-${part}`;
          return (
            <div key={part} className={`date-field-${part}`}>
              <label htmlFor={inputId}>{t(`dateField.${part}`)}</label>
              <input
                id={inputId}
                inputMode="numeric"
                autoComplete={autoComplete && `${autoComplete}-${part}`}
                value={parts[part]}
                aria-invalid={errors.length > 0}
                onChange={(event) => change(part, event.target.value)}
              />
            </div>
          );
        })}
      </div>
      <FieldErrors id={errorId} errors={errors} />
    </fieldset>
  );
}
