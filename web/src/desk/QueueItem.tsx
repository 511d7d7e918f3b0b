import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { components } from '../api/schema';
import { FieldErrors } from '../components/Field';
import { ProblemMessage, StatusMessage } from '../components/Messages';
import { Replies } from '../components/Replies';
import { useFormState } from '../useForm';
import { ContactDetails } from './ContactDetails';
import { Fact } from './Fact';
import { dateLocale } from '../i18n';

type Item = components['schemas']['SupportQueueItem'];
type Status = Item['status'];

/** The server's own limit (REPLY_MAX_CHARACTERS): the box stops where the API would refuse. */
const REPLY_MAX_CHARACTERS = 5_000;

/** One request: who asked, how to reach them, and the agent's moves (take, reply, resolve). */
export function QueueItem({ item, onChanged }: { item: Item; onChanged(item: Item): void }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const replyId = useId();
  const [reply, setReply] = useState('');
  const [sent, setSent] = useState<string | undefined>();
  const form = useFormState();
  const dateTime = new Intl.DateTimeFormat(dateLocale(i18n.language), { dateStyle: 'medium', timeStyle: 'short' });

  /** What the press did, said in the status region: the reply, the move, or both. */
  const doneMessage = (status: Status, withReply: boolean) => {
    if (!withReply) return `desk.request.movedTo.${status}` as const;
    if (status === item.status || status === 'open') return 'desk.request.replySent' as const;
    return `desk.request.replySentAndMoved.${status}` as const;
  };
  /** Moves the request (or keeps its status) and sends the reply typed so far, if any. */
  const change = (status: Status) => {
    const withReply = reply.trim() !== '';
    form.clear();
    setSent(undefined);
    void form.run(async () => {
      const body = withReply ? { status, reply } : { status };
      const { data, error } = await api.PATCH('/v1/support/requests/{id}', { params: { path: { id: item.id } }, body });
      if (error) {
        form.fail(error);
        return;
      }
      if (withReply) setReply('');
      setSent(t(doneMessage(status, withReply)));
      onChanged(data);
    });
  };
  const sendReply = (event: FormEvent) => {
    event.preventDefault();
    change(item.status);
  };

  return (
    <article className="desk-item" aria-labelledby={headingId}>
      <h3 id={headingId}>{item.subject}</h3>
      <dl className="contact">
        <Fact term={t('desk.request.status')}>{t(`support.status.${item.status}`)}</Fact>
        <Fact term={t('desk.request.openedAt')}>{dateTime.format(new Date(item.createdAt))}</Fact>
      </dl>
      <p className="request-message">{item.message}</p>
      <ContactDetails merchant={item.merchant} />
      <Replies replies={item.replies} />
      {item.status !== 'resolved' && (
        <form onSubmit={sendReply} noValidate>
          <div className="field">
            <label htmlFor={replyId}>{t('desk.request.reply')}</label>
            <textarea
              id={replyId}
              rows={4}
              maxLength={REPLY_MAX_CHARACTERS}
              value={reply}
              onChange={(event) => setReply(event.target.value)}
              aria-invalid={(form.errors.reply ?? []).length > 0}
              aria-describedby={`${replyId}-hint`}
            />
            <p id={`${replyId}-hint`} className="muted">
              {t('desk.request.replyLimit', { used: reply.length, max: REPLY_MAX_CHARACTERS })}
            </p>
            <FieldErrors id={`${replyId}-errors`} errors={form.errors.reply ?? []} />
          </div>
          <div className="actions">
            <button type="submit" disabled={form.busy || reply.trim() === ''}>
              {t('desk.request.sendReply')}
            </button>
            {item.status === 'open' && (
              <button type="button" className="secondary" disabled={form.busy} onClick={() => change('in_progress')}>
                {t('desk.request.take')}
              </button>
            )}
            <button type="button" className="secondary" disabled={form.busy} onClick={() => change('resolved')}>
              {t('desk.request.resolve')}
            </button>
          </div>
        </form>
      )}
      <ProblemMessage problem={form.problem} />
      <StatusMessage text={sent} />
    </article>
  );
}
