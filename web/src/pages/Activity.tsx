import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import { useTitle } from '../useTitle';

type Page = paths['/v1/account/events']['get']['responses'][200]['content']['application/json'];

const PAGE_SIZE = 20;

/** The merchant's own audit trail, newest first, a page at a time. */
export function Activity() {
  const { t, i18n } = useTranslation();
  useTitle(t('activity.title'));
  // The cursors of the pages before this one, so "Newest events" can go back to the start.
  const [cursor, setCursor] = useState<string | undefined>();
  const [page, setPage] = useState<Page>();

  useEffect(() => {
    void api
      .GET('/v1/account/events', { params: { query: { limit: PAGE_SIZE, ...(cursor && { cursor }) } } })
      .then(({ data }) => setPage(data));
  }, [cursor]);

  const dateTime = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' });
  return (
    <section aria-labelledby="activity-title">
      <h1 id="activity-title">{t('activity.title')}</h1>
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
                  <td>{t(`activity.type.${event.type}`, { defaultValue: event.type.replaceAll('_', ' ') })}</td>
                  <td>{event.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="actions">
        {cursor !== undefined && (
          <button type="button" className="secondary" onClick={() => setCursor(undefined)}>
            {t('activity.newest')}
          </button>
        )}
        {page?.nextCursor && (
          <button type="button" className="secondary" onClick={() => setCursor(page.nextCursor ?? undefined)}>
            {t('activity.older')}
          </button>
        )}
      </div>
    </section>
  );
}
