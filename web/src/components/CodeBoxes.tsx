import { type ClipboardEvent, type KeyboardEvent, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export const CODE_LENGTH = 6;

/** A gap stays a space, so a digit keeps its box when an earlier one is cleared. */
function toValue(digits: string[]): string {
  return digits
    .map((digit) => digit || ' ')
    .join('')
    .trimEnd();
}

export function isCompleteCode(value: string): boolean {
  return new RegExp(`^\\d{${CODE_LENGTH}}$`).test(value);
}

interface CodeBoxesProps {
  /** The accessible name of the group, e.g. "Code from the e-mail". */
  label: string;
  value: string;
  onChange(code: string): void;
  disabled?: boolean;
  autoFocus?: boolean;
}

/**
 * Six one-digit boxes. Typing moves to the next box, Backspace to the previous one, and a pasted
 * (or autofilled) code fills every box at once.
 */
export function CodeBoxes({ label, value, onChange, disabled, autoFocus }: CodeBoxesProps) {
  const { t } = useTranslation();
  const labelId = useId();
  const boxes = useRef<Array<HTMLInputElement | null>>([]);
  const digits = Array.from({ length: CODE_LENGTH }, (_, index) => (value[index] ?? '').trim());

  const fillFrom = (start: number, text: string) => {
    const incoming = text.replace(/\D/g, '').slice(0, CODE_LENGTH - start);
    if (incoming.length === 0) return;
    const next = [...digits];
    [...incoming].forEach((digit, offset) => (next[start + offset] = digit));
    onChange(toValue(next));
    boxes.current[Math.min(start + incoming.length, CODE_LENGTH - 1)]?.focus();
  };

  const onKeyDown = (index: number, event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Backspace' && digits[index] === '' && index > 0) {
      event.preventDefault();
      const next = [...digits];
      next[index - 1] = '';
      onChange(toValue(next));
      boxes.current[index - 1]?.focus();
    } else if (event.key === 'ArrowLeft' && index > 0) boxes.current[index - 1]?.focus();
    else if (event.key === 'ArrowRight' && index < CODE_LENGTH - 1) boxes.current[index + 1]?.focus();
  };

  const onPaste = (index: number, event: ClipboardEvent<HTMLInputElement>) => {
    event.preventDefault();
    fillFrom(index, event.clipboardData.getData('text'));
  };

  return (
    <div role="group" aria-labelledby={labelId} className="code-boxes">
      <span id={labelId} className="code-boxes-label">
        {label}
      </span>
      <div className="code-boxes-row">
        {digits.map((digit, index) => (
          <input
            key={index}
            ref={(element) => {
              boxes.current[index] = element;
            }}
            aria-label={t('common.digit', { index: index + 1 })}
            inputMode="numeric"
            autoComplete={index === 0 ? 'one-time-code' : 'off'}
            value={digit}
            disabled={disabled}
            autoFocus={autoFocus && index === 0}
            onKeyDown={(event) => onKeyDown(index, event)}
            onPaste={(event) => onPaste(index, event)}
            onChange={(event) => {
              const typed = event.target.value;
              if (typed === '') {
                const next = [...digits];
                next[index] = '';
                onChange(toValue(next));
              } else {
                // One key typed into a full box: keep the new digit. A whole code autofilled or pasted over
                // the boxes' old one replaces the value: it is taken as it comes.
                const oneKeyMore = digit !== '' && typed.length === digit.length + 1;
                fillFrom(index, oneKeyMore ? typed.replace(digit, '') : typed);
              }
            }}
          />
        ))}
      </div>
    </div>
  );
}
