import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '../api/client';
import { useFormState } from '../useForm';
import { CodeBoxes, isCompleteCode } from './CodeBoxes';
import { Field } from './Field';
import { ProblemMessage, StatusMessage } from './Messages';

/** What a step-up request came to: done, a code mailed for it, or a problem to show. */
export type StepUpOutcome = 'done' | 'code_sent' | Problem;

interface StepUpFormProps {
  method: 'totp' | 'email';
  submitLabel: string;
  /** Sends the password, and the code once there is one (mail authentication first mails one). */
  send(body: { password: string; code?: string }): Promise<StepUpOutcome>;
}

/**
 * The password and a second-factor code, for an action that needs both while 2FA is on: the
 * authenticator's code, or for mail authentication one mailed on request.
 */
export function StepUpForm({ method, submitLabel, send }: StepUpFormProps) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [codeSent, setCodeSent] = useState(false);
  const form = useFormState();
  const needsCode = method === 'totp' || codeSent;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.clear();
    if (needsCode && !isCompleteCode(code)) {
      form.fail(t('common.codeIncomplete'));
      return;
    }
    void form.run(async () => {
      const outcome = await send(needsCode ? { password, code } : { password });
      if (outcome === 'code_sent') setCodeSent(true);
      else if (outcome !== 'done') form.fail(outcome);
    });
  };

  return (
    <form onSubmit={submit} noValidate className="two-factor-off">
      <Field
        label={t('twoFactorOff.password')}
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        errors={form.errors.password}
      />
      <StatusMessage text={codeSent ? t('twoFactorOff.codeSent') : undefined} />
      {needsCode && (
        <CodeBoxes
          label={method === 'totp' ? t('common.authenticatorCodeGroup') : t('common.codeGroup')}
          value={code}
          onChange={setCode}
        />
      )}
      <ProblemMessage problem={form.problem} />
      <button type="submit" className="secondary" disabled={form.busy}>
        {needsCode ? submitLabel : t('twoFactorOff.sendCode')}
      </button>
    </form>
  );
}
