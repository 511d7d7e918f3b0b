import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Account, api, type Problem } from '../api/client';
import { useSession } from '../session';
import { RecoveryCodes } from './RecoveryCodes';
import { StepUpForm } from './StepUpForm';

/** Left without a code, the API mails one (mail authentication) and asks for it in `code`. */
function asksOnlyForCode(problem: Problem): boolean {
  const errors = problem.errors ?? [];
  return problem.code === 'validation_failed' && errors.length > 0 && errors.every((error) => error.field === 'code');
}

/** How many recovery codes are left, and a new set of ten for the password and a code. */
export function RecoveryCodesReplace({ account, method }: { account: Account; method: 'totp' | 'email' }) {
  const { t } = useTranslation();
  const { refresh } = useSession();
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const [codes, setCodes] = useState<string[]>();

  return (
    <div role="group" aria-labelledby={titleId} className="recovery-replace">
      <h3 id={titleId}>{t('recoveryReplace.title')}</h3>
      <p>{t('recoveryReplace.left', { count: account.twoFactor.recoveryCodesLeft })}</p>
      {codes && <RecoveryCodes codes={codes} />}
      {open ? (
        <StepUpForm
          method={method}
          submitLabel={t('recoveryReplace.submit')}
          send={async (body) => {
            const { data, error } = await api.POST('/v1/account/2fa/recovery-codes', { body });
            if (error) return body.code === undefined && asksOnlyForCode(error) ? 'code_sent' : error;
            setCodes(data.recoveryCodes);
            setOpen(false);
            await refresh();
            return 'done';
          }}
        />
      ) : (
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          {t('recoveryReplace.submit')}
        </button>
      )}
    </div>
  );
}
