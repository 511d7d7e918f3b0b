import { useNavigate } from 'react-router';
import type { paths } from '../api/schema';
import { useSession } from '../session';

type LoginResult = paths['/v1/auth/login']['post']['responses'][200]['content']['application/json'];

/** Where a finished login step leads: the panel (with the reactivation banner), or the expired-password page. */
export function useLoginOutcome() {
  const navigate = useNavigate();
  const { refresh } = useSession();
  return async (result: Exclude<LoginResult, { status: 'mfa_required' }>) => {
    if (result.status === 'password_expired') {
      await navigate('/password-expired');
      return;
    }
    const account = await refresh();
    const target = account && !account.emailVerified ? '/verify-email' : '/settings/account';
    await navigate(target, { state: { reactivated: result.reactivated === true } });
  };
}
