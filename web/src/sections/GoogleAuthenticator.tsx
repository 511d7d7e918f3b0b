import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Account, api } from '../api/client';
import { CodeBoxes } from '../components/CodeBoxes';
import { ProblemMessage } from '../components/Messages';
import { RecoveryCodes } from '../components/RecoveryCodes';
import { RecoveryCodesReplace } from '../components/RecoveryCodesReplace';
import { TwoFactorOff } from '../components/TwoFactorOff';
import { useSession } from '../session';
import { useFormState } from '../useForm';

interface Setup {
  qrCode: string;
  secret: string;
  expiresAt: string;
}

function useSecondsLeft(until: string | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!until) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  return until ? Math.max(0, Math.floor((Date.parse(until) - now) / 1000)) : 0;
}

export function GoogleAuthenticator({ account }: { account: Account }) {
  const { t } = useTranslation();
  const { refresh } = useSession();
  const [setup, setSetup] = useState<Setup>();
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const secondsLeft = useSecondsLeft(setup?.expiresAt);
  const form = useFormState();

  const start = () => {
    form.clear();
    void form.run(async () => {
      const { data, error } = await api.POST('/v1/account/2fa/totp');
      if (error) form.fail(error);
      else setSetup(data);
    });
  };

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    form.sendCode(
      code,
      () => api.POST('/v1/account/2fa/totp/confirm', { body: { code } }),
      async ({ recoveryCodes: codes }) => {
        setRecoveryCodes(codes);
        setSetup(undefined);
        await refresh();
      },
    );
  };

  const method = account.twoFactor.method;
  const minutes = `${Math.floor(secondsLeft / 60)}:${String(secondsLeft % 60).padStart(2, '0')}`;
  return (
    <section className="card" aria-labelledby="totp-title">
      <h2 id="totp-title">{t('totp.title')}</h2>
      {recoveryCodes && <RecoveryCodes codes={recoveryCodes} />}
      {method === 'email' && <p>{t('totp.unavailable')}</p>}
      {method === 'totp' && (
        <>
          <p>{t('totp.on')}</p>
          <TwoFactorOff method="totp" />
          <RecoveryCodesReplace account={account} method="totp" />
        </>
      )}
      {method === null && !setup && (
        <>
          <p>{t('totp.intro')}</p>
          <ProblemMessage problem={form.problem} />
          <button type="button" onClick={start} disabled={form.busy}>
            {t('totp.scan')}
          </button>
        </>
      )}
      {method === null && setup && (
        <form onSubmit={confirm} noValidate>
          <img className="qr" src={setup.qrCode} alt={t('totp.qrAlt')} width={200} height={200} />
          <p>
            {t('totp.secret')} <code className="secret">{setup.secret}</code>
          </p>
          <p role="timer" aria-live="off">
            {secondsLeft > 0 ? t('totp.expires', { time: minutes }) : t('totp.expired')}
          </p>
          <CodeBoxes label={t('common.authenticatorCodeGroup')} value={code} onChange={setCode} />
          <ProblemMessage problem={form.problem} />
          <button type="submit" disabled={form.busy || secondsLeft === 0}>
            {t('common.verify')}
          </button>
        </form>
      )}
    </section>
  );
}
