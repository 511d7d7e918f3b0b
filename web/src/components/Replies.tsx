import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { dateLocale } from '../i18n';

interface Reply {
  message: string;
  createdAt: string;
}

/** The support team's replies to a request, as the merchant and the desk both see them. */
export function Replies({ replies }: { replies: Reply[] }) {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  if (replies.length === 0) return null;
  const dateTime = new Intl.DateTimeFormat(dateLocale(i18n.language), { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="replies">
      <p id={titleId} className="replies-title">
        {t('support.replies')}
      </p>
      <ul aria-labelledby={titleId}>
        {replies.map((reply) => (
          <li key={reply.createdAt + reply.message}>
            <span className="muted">{dateTime.format(new Date(reply.createdAt))}</span>
            <p className="request-message">{reply.message}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
