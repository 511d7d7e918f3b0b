import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FieldError, fieldErrors, type Problem } from './api/client';
import { isCompleteCode } from './components/CodeBoxes';

/**
 * What every form keeps: the field errors to show next to each field, the problem to announce,
 * and whether a request is on its way.
 */
export function useFormState() {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<Record<string, FieldError[]>>({});
  const [problem, setProblem] = useState<Problem | string | undefined>();
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    try {
      await work();
    } finally {
      setBusy(false);
    }
  };
  const clear = () => {
    setErrors({});
    setProblem(undefined);
  };
  const fail = (answer: Problem | string) => {
    if (typeof answer !== 'string') setErrors(fieldErrors(answer));
    setProblem(answer);
  };

  return {
    errors,
    problem,
    busy,
    setErrors,
    /** Shows a problem+json answer: its field errors by field, the rest as one message. */
    fail,
    clear,
    /** Runs a submit with the busy flag set, so a double click sends once. */
    run,
    /** A form of code boxes: sends the code once all six digits are in, and shows what the server says. */
    sendCode<Data>(
      code: string,
      send: () => Promise<{ data?: Data; error?: Problem }>,
      onSent: (data: Data) => Promise<void> | void,
    ) {
      clear();
      if (!isCompleteCode(code)) {
        fail(t('common.codeIncomplete'));
        return;
      }
      void run(async () => {
        const { data, error } = await send();
        if (error) fail(error);
        else await onSent(data as Data);
      });
    },
  };
}
