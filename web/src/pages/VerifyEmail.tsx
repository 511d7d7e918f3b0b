import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { CodeBoxes } from '../components/CodeBoxes';
import { ProblemMessage, StatusMessage } from '../components/Messages';
import { cooldownOf, ResendButton } from '../components/ResendButton';
import { useAccount, useSession } from '../session';
import { useFormState } from '../useForm';
import { usePeriods } from '../usePolicies';
import { useTitle } from '../useTitle';

/** Verify your e-mail: the six-digit code mailed at sign-up. */
export function VerifyEmail() {
  const { t } = useTranslation();
  useTitle(t('verifyEmail.title'));
  const account = useAccount();
  const { setAccount } = useSession();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState<string>();
  const form = useFormState();
  const periods = usePeriods();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.sendCode(
      code,
      () => api.POST('/v1/account/email/verify', { body: { code } }),
      async (account) => {
        setAccount(account);
        await navigate('/settings/account');
      },
    );
  };

  const resend = async () => {
    const { response, error } = await api.POST('/v1/account/email/resend');
    if (error) form.fail(error);
    else setNotice(t('verifyEmail.resent'));
    return cooldownOf(response);
  };

  return (
    <section className="card narrow" aria-labelledby="verify-title">
      <h1 id="verify-title">{t('verifyEmail.title')}</h1>
      {periods && (
        <p>
          {t('verifyEmail.intro', { email: account.pendingEmail ?? account.email, period: periods.emailCodeValid })}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <CodeBoxes label={t('common.codeGroup')} value={code} onChange={setCode} autoFocus />
        <ProblemMessage problem={form.problem} />
        <StatusMessage text={notice} />
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            {t('common.verify')}
          </button>
          <ResendButton onResend={resend} />
        </div>
      </form>
    </section>
  );
}
