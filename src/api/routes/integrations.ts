import { Router } from 'express';
import { z } from 'zod';
import type { Integration } from '../../db/database';
import {
  createIntegration,
  type IntegrationWrite,
  listIntegrations,
  setIntegrationActive,
} from '../../db/repositories/integrations';
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

/** The written integration; a write that found the account closed (after its session was checked) ended with it. */
function written(result: IntegrationWrite): Integration {
  if (result === 'account_inactive')
    throw new DomainError('unauthenticated', 'The session ended: the account is closed');
  if (result === undefined) throw new DomainError('not_found', 'No such integration');
  return result;
}

export function integrationRoutes(deps: ServiceDeps): Router {
  const router = Router();
  router.use('/v1/integrations', requireSession(deps));

  router.get('/v1/integrations', async (req, res) => {
    res.json({ items: (await listIntegrations(deps.db, authOf(req).accountId)).map(integrationView) });
  });

  router.post('/v1/integrations', async (req, res) => {
    const body = parse(integrationBody, req.body);
    res.status(201).json(integrationView(written(await createIntegration(deps.db, authOf(req), body))));
  });

  for (const [action, active] of [
    ['activate', true],
    ['deactivate', false],
  ] as const) {
    router.post(`/v1/integrations/:id/${action}`, async (req, res) => {
      const { id } = parse(integrationParams, req.params);
      res.json(integrationView(written(await setIntegrationActive(deps.db, authOf(req), id, active))));
    });
  }

  return router;
}
