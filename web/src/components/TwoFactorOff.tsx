import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useSession } from '../session';
import { StepUpForm } from './StepUpForm';

/** Turning a method off takes the password and a code; mail authentication answers 202 when it mails one. */
export function TwoFactorOff({ method }: { method: 'totp' | 'email' }) {
  const { t } = useTranslation();
  const { refresh } = useSession();
  return (
    <StepUpForm
      method={method}
      submitLabel={t('twoFactorOff.turnOff')}
      send={async (body) => {
        const { response, error } = await api.DELETE('/v1/account/2fa', { body });
        if (error) return error;
        if (response.status === 202) return 'code_sent';
        await refresh();
        return 'done';
      }}
    />
  );
}
