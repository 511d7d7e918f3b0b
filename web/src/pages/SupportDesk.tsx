import { useTranslation } from 'react-i18next';
import { FindMerchant } from '../desk/FindMerchant';
import { RequestQueue } from '../desk/RequestQueue';
import { isSupportAgent, useAccount } from '../session';
import { useTitle } from '../useTitle';

/** The support team's desk; anyone else is told it is not for them (the API answers 403 too). */
export function SupportDesk() {
  const { t } = useTranslation();
  useTitle(t('desk.title'));
  const account = useAccount();
  if (!isSupportAgent(account)) {
    return (
      <>
        <h1>{t('desk.notAvailable.title')}</h1>
        <p>{t('desk.notAvailable.text')}</p>
      </>
    );
  }
  return (
    <>
      <h1>{t('desk.title')}</h1>
      <RequestQueue />
      <FindMerchant />
    </>
  );
}
