import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Account, api } from '../api/client';
import { CodeBoxes } from '../components/CodeBoxes';
import { ProblemMessage, StatusMessage } from '../components/Messages';
import { RecoveryCodes } from '../components/RecoveryCodes';
import { RecoveryCodesReplace } from '../components/RecoveryCodesReplace';
import { cooldownOf, ResendButton } from '../components/ResendButton';
import { TwoFactorOff } from '../components/TwoFactorOff';
import { useSession } from '../session';
import { useFormState } from '../useForm';

export function MailAuthentication({ account }: { account: Account }) {
  const { t } = useTranslation();
  const { refresh } = useSession();
  const [sent, setSent] = useState(false);
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const form = useFormState();

  const send = async () => {
    form.clear();
    const { response, error } = await api.POST('/v1/account/2fa/email');
    if (error) form.fail(error);
    else setSent(true);
    return cooldownOf(response);
  };

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    form.sendCode(
      code,
      () => api.POST('/v1/account/2fa/email/confirm', { body: { code } }),
      async ({ recoveryCodes: codes }) => {
        setRecoveryCodes(codes);
        setSent(false);
        await refresh();
      },
    );
  };

  const method = account.twoFactor.method;
  return (
    <section className="card" aria-labelledby="mail-auth-title">
      <h2 id="mail-auth-title">{t('mailAuth.title')}</h2>
      {recoveryCodes && <RecoveryCodes codes={recoveryCodes} />}
      {method === 'totp' && <p>{t('mailAuth.unavailable')}</p>}
      {method === 'email' && (
        <>
          <p>{t('mailAuth.on')}</p>
          <TwoFactorOff method="email" />
          <RecoveryCodesReplace account={account} method="email" />
        </>
      )}
      {method === null && !sent && (
        <>
          <p>{t('mailAuth.intro')}</p>
          <ProblemMessage problem={form.problem} />
          <button type="button" onClick={() => void form.run(async () => void (await send()))} disabled={form.busy}>
            {t('mailAuth.send')}
          </button>
        </>
      )}
      {method === null && sent && (
        <form onSubmit={confirm} noValidate>
          <StatusMessage text={t('mailAuth.sent', { email: account.email })} />
          <CodeBoxes label={t('common.codeGroup')} value={code} onChange={setCode} />
          <ProblemMessage problem={form.problem} />
          <div className="actions">
            <button type="submit" disabled={form.busy}>
              {t('common.verify')}
            </button>
            <ResendButton onResend={send} />
          </div>
        </form>
      )}
    </section>
  );
}
