import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { ProblemMessage, StatusMessage } from '../components/Messages';
import { ReasonDialog } from '../components/ReasonDialog';
import { ContactDetails } from './ContactDetails';
import { downloadJson } from '../download';
import { Fact } from './Fact';
import { dateLocale } from '../i18n';

type Summary = components['schemas']['SupportSummary'];

/** One merchant as the desk sees it; for a closing account, the closure and its holds. */
export function MerchantSummary({ summary, onChanged }: { summary: Summary; onChanged(): Promise<void> }) {
  const { t, i18n } = useTranslation();
  const [asking, setAsking] = useState<'hold' | 'release' | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const [problem, setProblem] = useState<Problem | string | undefined>();
  const holdButton = useRef<HTMLButtonElement>(null);
  const headingId = `merchant-${summary.id}`;
  const date = new Intl.DateTimeFormat(dateLocale(i18n.language), { dateStyle: 'long' });
  const dateTime = new Intl.DateTimeFormat(dateLocale(i18n.language), { dateStyle: 'medium', timeStyle: 'short' });
  // The browser's own region names: the agent reads "Türkiye", not the stored code "TR".
  const countryName = new Intl.DisplayNames(i18n.language, { type: 'region' });
  const path = { params: { path: { id: summary.id } } };

  const placeHold = async (reason: string) => {
    const { error } = await api.POST('/v1/support/accounts/{id}/recovery-hold', { ...path, body: { reason } });
    if (error) return error;
    setDone(t('desk.closure.holdPlaced'));
    await onChanged();
  };
  const releaseHolds = async (reason: string) => {
    const { error } = await api.DELETE('/v1/support/accounts/{id}/recovery-hold', { ...path, body: { reason } });
    if (error) return error;
    setDone(t('desk.closure.holdsReleased'));
    await onChanged();
  };
  const downloadExport = async () => {
    setProblem(undefined);
    const { data, error } = await api.GET('/v1/support/accounts/{id}/export', path);
    if (error) setProblem(error);
    else downloadJson(data, `connectprof-export-${summary.id}.json`);
  };

  /**
   * The dialog gives the focus back to the button that opened it; once the holds are released
   * that button is gone, and the focus would fall to the page's start: it goes to the closure's
   * remaining button instead.
   */
  const closeDialog = () => {
    setAsking(undefined);
    if (!document.activeElement || document.activeElement === document.body) holdButton.current?.focus();
  };

  const closure = summary.closure;
  return (
    <article className="desk-item" aria-labelledby={headingId}>
      <h3 id={headingId}>{summary.fullName ?? summary.email}</h3>
      <ContactDetails merchant={summary} />
      <dl className="contact">
        <Fact term={t('desk.summary.location')}>
          {[summary.city, summary.country && countryName.of(summary.country)].filter(Boolean).join(', ') ||
            t('desk.notGiven')}
        </Fact>
        <Fact term={t('desk.summary.status')}>{t(`desk.accountStatus.${summary.status}`)}</Fact>
        <Fact term={t('desk.summary.createdAt')}>{dateTime.format(new Date(summary.createdAt))}</Fact>
      </dl>
      {closure && (
        <section aria-labelledby={`${headingId}-closure`}>
          <h4 id={`${headingId}-closure`}>{t('desk.closure.title')}</h4>
          <dl className="contact">
            <Fact term={t('desk.closure.state')}>{t(`desk.closure.states.${closure.state}`)}</Fact>
            <Fact term={t('desk.closure.purgeAt')}>{date.format(new Date(closure.purgeAt))}</Fact>
            <Fact term={t('desk.closure.holds')}>{t('desk.closure.holdCount', { count: closure.holds.length })}</Fact>
          </dl>
          <div className="actions">
            <button type="button" ref={holdButton} onClick={() => setAsking('hold')}>
              {t('desk.closure.placeHold')}
            </button>
            {closure.holds.length > 0 && (
              <button type="button" className="danger" onClick={() => setAsking('release')}>
                {t('desk.closure.releaseHolds')}
              </button>
            )}
          </div>
        </section>
      )}
      {/* The API exports a closed account's data only: an active merchant exports their own. */}
      {summary.status === 'closed' && (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => void downloadExport()}>
            {t('desk.export')}
          </button>
        </div>
      )}
      <StatusMessage text={done} />
      <ProblemMessage problem={problem} />
      {asking === 'hold' && (
        <ReasonDialog
          title={t('desk.closure.placeHold')}
          description={<p>{t('desk.closure.holdExplained')}</p>}
          confirmLabel={t('desk.closure.placeHoldConfirm')}
          onConfirm={placeHold}
          onClose={closeDialog}
        />
      )}
      {asking === 'release' && (
        <ReasonDialog
          title={t('desk.closure.releaseHolds')}
          description={
            <p>{t('desk.closure.releaseExplained', { date: closure ? date.format(new Date(closure.purgeAt)) : '' })}</p>
          }
          confirmLabel={t('desk.closure.releaseConfirm')}
          danger
          onConfirm={releaseHolds}
          onClose={closeDialog}
        />
      )}
    </article>
  );
}
