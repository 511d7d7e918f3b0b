import { startTransition, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { StatusMessage } from '../components/Messages';
import { AccountDetails, detailFieldId } from '../sections/AccountDetails';
import { CloseAccount } from '../sections/CloseAccount';
import { GoogleAuthenticator } from '../sections/GoogleAuthenticator';
import { MailAuthentication } from '../sections/MailAuthentication';
import { PasswordChange } from '../sections/PasswordChange';
import { Sessions } from '../sections/Sessions';
import { useAccount } from '../session';
import { useTitle } from '../useTitle';

/** Settings › Edit My Account: the help article's five sections, in its order, and the sessions after the password. */
export function EditAccount() {
  const { t } = useTranslation();
  useTitle(t('settings.title'));
  const account = useAccount();
  const reactivated = (useLocation().state as { reactivated?: boolean } | null)?.reactivated === true;
  const [verifiedEmail, setVerifiedEmail] = useState<string>();
  // The Verify button that had the focus is gone with the pending address: the focus goes to the
  // E-mail address field, which now holds the verified one, rather than back to the page's top.
  useEffect(() => {
    if (verifiedEmail) document.getElementById(detailFieldId('email'))?.focus();
  }, [verifiedEmail]);
  // Account Details, the top of the page, comes first; the sections under it follow in a render
  // of their own once it is on screen, as a transition (in slices, the main thread free between
  // them). They are added below what is shown, so nothing on screen moves.
  const [below, setBelow] = useState(false);
  useEffect(() => startTransition(() => setBelow(true)), []);
  return (
    <>
      <p className="breadcrumb">
        {t('settings.breadcrumb')} › {t('settings.title')}
      </p>
      <h1>{t('settings.title')}</h1>
      {reactivated && (
        <div role="status" className="message banner">
          {t('reactivated.message')} <Link to="/integrations">{t('reactivated.link')}</Link>
        </div>
      )}
      {/* Out here, not in the card: a new address remounts Account Details, and a live region must outlast the change it announces. */}
      <StatusMessage text={verifiedEmail && t('details.pendingVerified', { email: verifiedEmail })} />
      <AccountDetails
        key={`${account.email}-${account.pendingEmail ?? ''}`}
        account={account}
        onEmailVerified={setVerifiedEmail}
      />
      {below && (
        <>
          <GoogleAuthenticator account={account} />
          <MailAuthentication account={account} />
          <PasswordChange account={account} />
          <Sessions />
          <CloseAccount account={account} />
        </>
      )}
    </>
  );
}
