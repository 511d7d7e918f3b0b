import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '../api/client';
import { FieldErrors } from './Field';
import { ProblemMessage } from './Messages';
import { useFormState } from '../useForm';

interface ReasonDialogProps {
  title: string;
  /** What the agent is about to do, read out with the title. */
  description: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm(reason: string): Promise<Problem | undefined>;
  onClose(): void;
}

/**
 * A modal that asks for a reason before a desk action. The native <dialog> opened with
 * showModal() keeps the focus inside, makes the page behind it inert and closes on Escape, which
 * a hand-made overlay would have to imitate.
 */
export function ReasonDialog({
  title,
  description,
  confirmLabel,
  danger = false,
  onConfirm,
  onClose,
}: ReasonDialogProps) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const form = useFormState();

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.clear();
    void form.run(async () => {
      const problem = await onConfirm(reason);
      if (problem) form.fail(problem);
      else dialog.current?.close();
    });
  };

  return (
    <dialog
      ref={dialog}
      className="card dialog"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onClose={onClose}
    >
      <form onSubmit={submit} noValidate>
        <h2 id={titleId}>{title}</h2>
        <div id={descriptionId}>{description}</div>
        <div className="field">
          <label htmlFor={reasonId}>{t('desk.reason')}</label>
          <textarea
            id={reasonId}
            rows={3}
            maxLength={500}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            aria-invalid={(form.errors.reason ?? []).length > 0}
            aria-describedby={`${reasonId}-errors`}
          />
          <FieldErrors id={`${reasonId}-errors`} errors={form.errors.reason ?? []} />
        </div>
        <ProblemMessage problem={form.problem} />
        <div className="actions">
          <button type="submit" className={danger ? 'danger' : undefined} disabled={form.busy}>
            {confirmLabel}
          </button>
          <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
