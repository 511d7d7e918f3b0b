import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { ProblemMessage } from '../components/Messages';
import { QueueItem } from './QueueItem';

type Item = components['schemas']['SupportQueueItem'];
type StatusFilter = Item['status'] | 'all';
const FILTERS: StatusFilter[] = ['open', 'in_progress', 'resolved', 'all'];

/** The requests merchants opened, oldest first, a page at a time. */
export function RequestQueue() {
  const { t } = useTranslation();
  const filterId = useId();
  const [filter, setFilter] = useState<StatusFilter>('open');
  const [items, setItems] = useState<Item[] | undefined>();
  const [next, setNext] = useState<string | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();

  const load = useCallback(
    async (cursor?: string) => {
      const query = { status: filter === 'all' ? undefined : filter, cursor };
      const { data, error } = await api.GET('/v1/support/requests', { params: { query } });
      setProblem(error);
      if (!data) return;
      setItems((shown) => (cursor ? [...(shown ?? []), ...data.items] : data.items));
      setNext(data.nextCursor ?? undefined);
    },
    [filter],
  );
  useEffect(() => {
    void load();
  }, [load]);

  // A changed request stays in view with its new status until the agent reloads the filter.
  const replace = (changed: Item) =>
    setItems((shown) => shown?.map((item) => (item.id === changed.id ? changed : item)));

  return (
    <section className="card" aria-labelledby="desk-queue-title">
      <h2 id="desk-queue-title">{t('desk.queue.title')}</h2>
      <div className="field inline">
        <label htmlFor={filterId}>{t('desk.queue.filter')}</label>
        <select id={filterId} value={filter} onChange={(event) => setFilter(event.target.value as StatusFilter)}>
          {FILTERS.map((status) => (
            <option key={status} value={status}>
              {t(status === 'all' ? 'desk.queue.all' : `support.status.${status}`)}
            </option>
          ))}
        </select>
      </div>
      <ProblemMessage problem={problem} />
      {items === undefined ? (
        <p role="status">{t('app.loading')}</p>
      ) : items.length === 0 ? (
        <p>{t('desk.queue.none')}</p>
      ) : (
        items.map((item) => <QueueItem key={item.id} item={item} onChanged={replace} />)
      )}
      {next && (
        <button type="button" className="secondary" onClick={() => void load(next)}>
          {t('desk.queue.more')}
        </button>
      )}
    </section>
  );
}
