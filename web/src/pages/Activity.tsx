import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIT_EVENT_TYPES } from '../../../src/domain/audit-events';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import { useTitle } from '../useTitle';
import { dateLocale } from '../i18n';

type Page = paths['/v1/account/events']['get']['responses'][200]['content']['application/json'];

const PAGE_SIZE = 20;

function isKnownType(type: string): type is (typeof AUDIT_EVENT_TYPES)[number] {
  return (AUDIT_EVENT_TYPES as readonly string[]).includes(type);
}

/** The merchant's own audit trail, newest first, a page at a time. */
export function Activity() {
  const { t, i18n } = useTranslation();
  useTitle(t('activity.title'));
  // The cursors of the pages before this one, so "Newest events" can go back to the start.
  const [cursor, setCursor] = useState<string | undefined>();
  const [page, setPage] = useState<Page>();
  const paged = useRef(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const older = useRef<HTMLButtonElement>(null);
  const newest = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    void api
      .GET('/v1/account/events', { params: { query: { limit: PAGE_SIZE, ...(cursor && { cursor }) } } })
      .then(({ data }) => setPage(data));
  }, [cursor]);

  // The button just pressed may be gone (the last page has no older one, the first no newest):
  // the focus goes to the one left, so a keyboard user stays where the paging is.
  useEffect(() => {
    if (!page || !paged.current) return;
    paged.current = false;
    if (document.activeElement !== null && document.activeElement !== document.body) return;
    (older.current ?? newest.current ?? heading.current)?.focus();
  }, [page]);

  const goTo = (next: string | undefined) => {
    paged.current = true;
    setCursor(next);
  };

  const dateTime = new Intl.DateTimeFormat(dateLocale(i18n.language), { dateStyle: 'medium', timeStyle: 'medium' });
  // A type this panel does not know yet (a newer service) is still shown, for what it is.
  const label = (type: string) =>
    isKnownType(type) ? t(`activityEvents.${type}`) : t('activityEvents.unknown', { type });
  return (
    <section aria-labelledby="activity-title">
      <h1 id="activity-title" ref={heading} tabIndex={-1}>
        {t('activity.title')}
      </h1>
      {page === undefined && <p role="status">{t('app.loading')}</p>}
      {page?.items.length === 0 && <p>{t('activity.empty')}</p>}
      {page && page.items.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('activity.when')}</th>
                <th scope="col">{t('activity.event')}</th>
                <th scope="col">{t('activity.from')}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((event) => (
                <tr key={event.id}>
                  <td>{dateTime.format(new Date(event.at))}</td>
                  <td>{label(event.type)}</td>
                  <td>{event.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="actions">
        {cursor !== undefined && (
          <button type="button" className="secondary" ref={newest} onClick={() => goTo(undefined)}>
            {t('activity.newest')}
          </button>
        )}
        {page?.nextCursor && (
          <button type="button" className="secondary" ref={older} onClick={() => goTo(page.nextCursor ?? undefined)}>
            {t('activity.older')}
          </button>
        )}
      </div>
    </section>
  );
}
