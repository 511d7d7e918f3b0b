import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { ProblemMessage, StatusMessage } from '../components/Messages';
import { useFormState } from '../useForm';
import { dateLocale } from '../i18n';

type Session = components['schemas']['Session'] & { browser?: string; os?: string };

/**
 * The sessions with the browser and system read from each user agent (Bowser, as the
 * new-device mail reads them). The parser loads with the list, not with the panel.
 */
async function withDevices(sessions: components['schemas']['Session'][]): Promise<Session[]> {
  const { default: Bowser } = await import('bowser');
  return sessions.map((session) => {
    const parsed = session.userAgent ? Bowser.parse(session.userAgent) : undefined;
    return { ...session, browser: parsed?.browser.name || undefined, os: parsed?.os.name || undefined };
  });
}

/** Where the account is signed in, this device first; any other can be signed out from here. */
export function Sessions() {
  const { t, i18n } = useTranslation();
  const deviceName = ({ browser, os }: Session) =>
    browser && os ? t('sessions.device', { browser, os }) : (browser ?? os ?? t('sessions.unknownDevice'));
  const [sessions, setSessions] = useState<Session[]>();
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string>();
  const confirmButton = useRef<HTMLButtonElement>(null);
  const idPrefix = useId();
  const form = useFormState();

  const load = useCallback(async () => {
    const { data } = await api.GET('/v1/account/sessions');
    if (data) setSessions((await withDevices(data.items)).sort((a, b) => Number(b.current) - Number(a.current)));
  }, []);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  const signOut = (end: () => Promise<{ error?: Problem }>, done: string) => {
    form.clear();
    setNotice(undefined);
    void form.run(async () => {
      const { error } = await end();
      if (error) form.fail(error);
      else setNotice(done);
      setConfirming(false);
      await load();
    });
  };

  const when = new Intl.DateTimeFormat(dateLocale(i18n.language), { dateStyle: 'medium', timeStyle: 'short' });
  const others = sessions?.filter((session) => !session.current).length ?? 0;
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('sessions.title')}</h2>
      <p>{t('sessions.intro')}</p>
      <StatusMessage text={notice} />
      <ProblemMessage problem={form.problem} />
      {sessions && (
        <ul className="sessions" aria-label={t('sessions.list')}>
          {sessions.map((session) => {
            const device = deviceName(session);
            return (
              <li key={session.id} className="session">
                <p className="session-device" id={`${idPrefix}-${session.id}`}>
                  <strong>{device}</strong>
                  {session.current && <span className="badge">{t('sessions.current')}</span>}
                </p>
                <dl className="contact session-facts">
                  <dt>{t('sessions.createdAt')}</dt>
                  <dd>{when.format(new Date(session.createdAt))}</dd>
                  <dt>{t('sessions.lastSeenAt')}</dt>
                  <dd>{when.format(new Date(session.lastSeenAt))}</dd>
                  <dt>{t('sessions.ip')}</dt>
                  <dd>{session.ip ?? t('sessions.unknownIp')}</dd>
                </dl>
                {!session.current && (
                  <button
                    type="button"
                    className="secondary"
                    disabled={form.busy}
                    aria-label={t('sessions.signOutOne', { device })}
                    onClick={() =>
                      signOut(
                        () => api.DELETE('/v1/account/sessions/{id}', { params: { path: { id: session.id } } }),
                        t('sessions.signedOutOne', { device }),
                      )
                    }
                  >
                    {t('sessions.signOut')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {others > 0 && !confirming && (
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>
          {t('sessions.signOutOthers')}
        </button>
      )}
      {others > 0 && confirming && (
        <div className="confirm" role="group" aria-labelledby={`${idPrefix}-confirm`}>
          <p id={`${idPrefix}-confirm`}>{t('sessions.confirmOthers', { count: others })}</p>
          <div className="actions">
            <button
              ref={confirmButton}
              type="button"
              className="danger"
              disabled={form.busy}
              onClick={() => signOut(() => api.DELETE('/v1/account/sessions'), t('sessions.signedOutOthers'))}
            >
              {t('sessions.confirm')}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
