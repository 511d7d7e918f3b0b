import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useSession } from '../session';
import { useFormState } from '../useForm';
import { CodeBoxes, isCompleteCode } from './CodeBoxes';
import { Field } from './Field';
import { ProblemMessage, StatusMessage } from './Messages';

/**
 * Turning a method off takes the password and a code: the authenticator's, or for mail
 * authentication one mailed on request.
 */
export function TwoFactorOff({ method }: { method: 'totp' | 'email' }) {
  const { t } = useTranslation();
  const { refresh } = useSession();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [codeSent, setCodeSent] = useState(false);
  const form = useFormState();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.clear();
    const sendingCode = method === 'email' && !codeSent;
    if (!sendingCode && !isCompleteCode(code)) {
      form.fail(t('common.codeIncomplete'));
      return;
    }
    void form.run(async () => {
      const { response, error } = await api.DELETE('/v1/account/2fa', {
        body: sendingCode ? { password } : { password, code },
      });
      if (error) form.fail(error);
      else if (response.status === 202) setCodeSent(true);
      else await refresh();
    });
  };

  const needsCode = method === 'totp' || codeSent;
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
        {needsCode ? t('twoFactorOff.turnOff') : t('twoFactorOff.sendCode')}
      </button>
    </form>
  );
}
