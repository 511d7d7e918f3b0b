import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { CodeBoxes, isCompleteCode } from '../components/CodeBoxes';
import { Field } from '../components/Field';
import { ProblemMessage } from '../components/Messages';
import { DEFAULT_COOLDOWN_SECONDS, ResendButton } from '../components/ResendButton';
import { useFormState } from '../useForm';
import { useTitle } from '../useTitle';
import { useLoginOutcome } from './login-outcome';

export interface Challenge {
  challengeId: string;
  method: 'totp' | 'email';
}

interface SecondStepProps {
  challenge: Challenge;
  /** Signs in again with the same credentials: a new challenge, and for mail a new code. */
  resend(): Promise<void>;
}

/** The login's second step: an authenticator code, a mailed code, or a recovery code. */
export function SecondStep({ challenge, resend }: SecondStepProps) {
  const { t } = useTranslation();
  useTitle(t('secondStep.title'));
  const [code, setCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const form = useFormState();
  const follow = useLoginOutcome();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.clear();
    const entered = useRecovery ? recoveryCode.trim() : code;
    if (!useRecovery && !isCompleteCode(code)) {
      form.fail(t('common.codeIncomplete'));
      return;
    }
    void form.run(async () => {
      const { data, error } = await api.POST('/v1/auth/login/verify', {
        body: { challengeId: challenge.challengeId, code: entered },
      });
      if (error) form.fail(error);
      else if (data.status !== 'mfa_required') await follow(data);
    });
  };

  const codeLabel = challenge.method === 'totp' ? t('common.authenticatorCodeGroup') : t('common.codeGroup');
  return (
    <section className="card narrow" aria-labelledby="second-step-title">
      <h1 id="second-step-title">{t('secondStep.title')}</h1>
      <form onSubmit={submit} noValidate>
        {useRecovery ? (
          <Field
            label={t('secondStep.recoveryCode')}
            autoComplete="off"
            value={recoveryCode}
            onChange={(event) => setRecoveryCode(event.target.value)}
            errors={form.errors.code}
          />
        ) : (
          <>
            <p>{challenge.method === 'totp' ? t('secondStep.totp') : t('secondStep.email')}</p>
            <CodeBoxes label={codeLabel} value={code} onChange={setCode} autoFocus />
          </>
        )}
        <ProblemMessage problem={form.problem} />
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            {t('secondStep.submit')}
          </button>
          {challenge.method === 'email' && !useRecovery && (
            <ResendButton
              onResend={async () => {
                await resend();
                return DEFAULT_COOLDOWN_SECONDS;
              }}
            />
          )}
          <button type="button" className="link-button" onClick={() => setUseRecovery(!useRecovery)}>
            {useRecovery ? t('secondStep.useCode') : t('secondStep.useRecovery')}
          </button>
        </div>
      </form>
    </section>
  );
}
