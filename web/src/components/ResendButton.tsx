import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The server's default cooldown (EMAIL_CODE_RESEND_COOLDOWN); a 429 says the real wait. */
export const DEFAULT_COOLDOWN_SECONDS = 60;

interface ResendButtonProps {
  /** Sends a new code; resolves to the seconds to wait before the next one. */
  onResend(): Promise<number>;
  /** Seconds left at first render: a code was just sent. */
  initialCooldown?: number;
}

/** "Resend code", disabled while the cooldown counts down. */
export function ResendButton({ onResend, initialCooldown = DEFAULT_COOLDOWN_SECONDS }: ResendButtonProps) {
  const { t } = useTranslation();
  const [until, setUntil] = useState(() => Date.now() + initialCooldown * 1000);
  const [now, setNow] = useState(() => Date.now());
  const [busy, setBusy] = useState(false);
  const seconds = Math.max(0, Math.ceil((until - now) / 1000));

  useEffect(() => {
    if (seconds === 0) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [seconds]);

  const resend = async () => {
    setBusy(true);
    try {
      const wait = await onResend();
      setUntil(Date.now() + wait * 1000);
      setNow(Date.now());
    } finally {
      setBusy(false);
    }
  };

  return (
    <button type="button" className="secondary" disabled={seconds > 0 || busy} onClick={() => void resend()}>
      {seconds > 0 ? t('common.resendIn', { seconds }) : t('common.resendCode')}
    </button>
  );
}

/** The wait a 429 asks for, or the default cooldown after a code went out. */
export function cooldownOf(response: Response): number {
  const retryAfter = Number(response.headers.get('Retry-After'));
  return response.status === 429 && retryAfter > 0 ? retryAfter : DEFAULT_COOLDOWN_SECONDS;
}
