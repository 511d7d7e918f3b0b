import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Account, api } from '../api/client';
import { CodeBoxes } from '../components/CodeBoxes';
import { ProblemMessage } from '../components/Messages';
import { cooldownOf, ResendButton } from '../components/ResendButton';
import { useSession } from '../session';
import { useFormState } from '../useForm';

/** A new address waiting for its code: the old one stays until this is verified. */
export function PendingEmail({ account, onVerified }: { account: Account; onVerified(email: string): void }) {
  const { t } = useTranslation();
  const { setAccount } = useSession();
  const [code, setCode] = useState('');
  const form = useFormState();

  const verify = () => {
    form.sendCode(
      code,
      () => api.POST('/v1/account/email/verify', { body: { code } }),
      (verified) => {
        setAccount(verified);
        onVerified(verified.email);
      },
    );
  };

  const resend = async () => {
    const { response, error } = await api.POST('/v1/account/email/resend');
    if (error) form.fail(error);
    return cooldownOf(response);
  };

  return (
    <div className="pending-email">
      <p>{t('details.pending', { email: account.pendingEmail, current: account.email })}</p>
      <CodeBoxes label={t('common.codeGroup')} value={code} onChange={setCode} />
      <ProblemMessage problem={form.problem} />
      <div className="actions">
        <button type="button" onClick={verify} disabled={form.busy}>
          {t('common.verify')}
        </button>
        <ResendButton onResend={resend} />
      </div>
    </div>
  );
}
