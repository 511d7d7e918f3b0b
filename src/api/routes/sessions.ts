import { Router } from 'express';
import { z } from 'zod';
import type { ServiceDeps } from '../../services/deps';
import { endOtherSessions, endSession, listSessions } from '../../services/sessions';
import { DomainError } from '../../domain/errors';
import { authOf, requestContext, requireSession } from '../middleware/auth';

export const sessionParams = z.object({ id: z.uuid() });

export function sessionRoutes(deps: ServiceDeps): Router {
  const router = Router();
  router.use('/v1/account/sessions', requireSession(deps));

  router.get('/v1/account/sessions', async (req, res) => {
    res.json({ items: await listSessions(deps, authOf(req)) });
  });

  router.delete('/v1/account/sessions', async (req, res) => {
    await endOtherSessions(deps, authOf(req), requestContext(req));
    res.status(204).end();
  });

  router.delete('/v1/account/sessions/:id', async (req, res) => {
    // A malformed id names no session: the same 404 as an unknown one.
    const parsed = sessionParams.safeParse(req.params);
    if (!parsed.success) throw new DomainError('not_found', 'No such session');
    await endSession(deps, authOf(req), parsed.data.id, requestContext(req));
    res.status(204).end();
  });

  return router;
}
