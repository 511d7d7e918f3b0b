import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { components } from '../api/schema';
import { ProblemMessage } from '../components/Messages';
import { useFormState } from '../useForm';
import { useTitle } from '../useTitle';

type Integration = components['schemas']['Integration'];

/**
 * A cell's column header, repeated in the cell for the eye where the rows stack as cards (narrow
 * screens); screen readers keep announcing the real header, so they skip this copy.
 */
function CellLabel({ text }: { text: string }) {
  return (
    <span className="cell-label" aria-hidden="true">
      {text}
    </span>
  );
}

/** Marketplace connections, each turned on and off here (after a reactivation, all are off). */
export function Integrations() {
  const { t } = useTranslation();
  useTitle(t('integrations.title'));
  const [items, setItems] = useState<Integration[]>();
  const form = useFormState();

  useEffect(() => {
    void api.GET('/v1/integrations').then(({ data }) => setItems(data?.items ?? []));
  }, []);

  const toggle = (integration: Integration) =>
    void form.run(async () => {
      form.clear();
      const action = integration.active ? '/v1/integrations/{id}/deactivate' : '/v1/integrations/{id}/activate';
      const { data, error } = await api.POST(action, { params: { path: { id: integration.id } } });
      if (error) form.fail(error);
      else setItems((current) => current?.map((item) => (item.id === data.id ? data : item)));
    });

  return (
    <section aria-labelledby="integrations-title">
      <h1 id="integrations-title">{t('integrations.title')}</h1>
      <ProblemMessage problem={form.problem} />
      {items === undefined && <p role="status">{t('app.loading')}</p>}
      {items?.length === 0 && <p>{t('integrations.empty')}</p>}
      {items && items.length > 0 && (
        <div className="table-scroll">
          <table className="stack">
            <thead>
              <tr>
                <th scope="col">{t('integrations.name')}</th>
                <th scope="col">{t('integrations.marketplace')}</th>
                <th scope="col">{t('integrations.status')}</th>
                <th scope="col">{t('integrations.action')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((integration) => (
                <tr key={integration.id}>
                  <th scope="row">{integration.name}</th>
                  <td>
                    <CellLabel text={t('integrations.marketplace')} />
                    {integration.marketplace}
                  </td>
                  <td>
                    <CellLabel text={t('integrations.status')} />
                    {integration.active ? t('integrations.active') : t('integrations.inactive')}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      disabled={form.busy}
                      onClick={() => toggle(integration)}
                    >
                      {integration.active
                        ? t('integrations.turnOff', { name: integration.name })
                        : t('integrations.turnOn', { name: integration.name })}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
