import { type InputHTMLAttributes, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../api/client';

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  /** Errors from the browser's own check or from the server's problem+json `errors[]`. */
  errors?: FieldError[] | undefined;
  /** The id other pages link to (Support links to a missing field). */
  id?: string;
}

/** A labelled input whose errors are tied to it (aria-describedby) and announced. */
export function Field({ label, errors = [], id, 'aria-describedby': describedBy, ...input }: FieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const errorId = `${inputId}-errors`;
  const described = [errors.length > 0 ? errorId : undefined, describedBy].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} aria-invalid={errors.length > 0} aria-describedby={described} {...input} />
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}

export function FieldErrors({ id, errors }: { id: string; errors: FieldError[] }) {
  const { t } = useTranslation();
  if (errors.length === 0) return null;
  return (
    <ul id={id} className="field-errors">
      {errors.map((error) => (
        <li key={error.code}>{t(`fieldError.${error.code}`, { defaultValue: error.message })}</li>
      ))}
    </ul>
  );
}
