import { Router } from 'express';
import { z } from 'zod';
import { integrationView } from '../../services/closure';
import { lineOfText } from '../../domain/text';
import type { ServiceDeps } from '../../services/deps';
import { DomainError } from '../../domain/errors';
import { authOf, requireSession } from '../middleware/auth';
import { parse } from '../validation';

export const integrationBody = z.strictObject({
  marketplace: lineOfText(60),
  name: lineOfText(120),
});
export const integrationParams = z.object({ id: z.uuid() });

export function integrationRoutes(deps: ServiceDeps): Router {
  const router = Router();
  router.use('/v1/integrations', requireSession(deps.db));

  router.get('/v1/integrations', async (req, res) => {
    const rows = await deps.db.selectFrom('integrations').selectAll().where('account_id', '=', authOf(req).accountId).orderBy('created_at').execute();
    res.json({ items: rows.map(integrationView) });
  });

  router.post('/v1/integrations', async (req, res) => {
    const body = parse(integrationBody, req.body);
    const row = await deps.db
      .insertInto('integrations')
      .values({ account_id: authOf(req).accountId, marketplace: body.marketplace, name: body.name })
      .returningAll()
      .executeTakeFirstOrThrow();
    res.status(201).json(integrationView(row));
  });

  for (const [action, active] of [['activate', true], ['deactivate', false]] as const) {
    router.post(`/v1/integrations/:id/${action}`, async (req, res) => {
      const { id } = parse(integrationParams, req.params);
      const row = await deps.db
        .updateTable('integrations')
        .set({ active, updated_at: new Date() })
        .where('id', '=', id)
        .where('account_id', '=', authOf(req).accountId)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new DomainError('not_found', 'No such integration');
      res.json(integrationView(row));
    });
  }

  return router;
}
