import { useTranslation } from 'react-i18next';
import type { components } from '../api/schema';
import { Fact } from './Fact';

export type MerchantContact = components['schemas']['MerchantContact'];

/** How to reach a merchant: phone and e-mail as links the agent's device can follow. */
export function ContactDetails({ merchant }: { merchant: MerchantContact }) {
  const { t } = useTranslation();
  const none = t('desk.notGiven');
  return (
    <dl className="contact">
      <Fact term={t('desk.contact.fullName')}>{merchant.fullName ?? none}</Fact>
      <Fact term={t('desk.contact.tradeName')}>{merchant.tradeName ?? none}</Fact>
      <Fact term={t('desk.contact.phone')}>
        {merchant.phone ? <a href={`tel:${merchant.phone}`}>{merchant.phone}</a> : none}
      </Fact>
      <Fact term={t('desk.contact.email')}>
        <a href={`mailto:${merchant.email}`}>{merchant.email}</a>
      </Fact>
    </dl>
  );
}
