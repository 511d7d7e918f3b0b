import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { StatusMessage } from '../components/Messages';
import { AccountDetails } from '../sections/AccountDetails';
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
      <GoogleAuthenticator account={account} />
      <MailAuthentication account={account} />
      <PasswordChange account={account} />
      <Sessions />
      <CloseAccount account={account} />
    </>
  );
}
