import { Router } from 'express';
import { z } from 'zod';
import { blockOfText } from '../../domain/text';
import { exportAccountData, placeRecoveryHold, releaseRecoveryHolds } from '../../services/closure';
import type { ServiceDeps } from '../../services/deps';
import { closureForAgent } from '../../services/support-desk';
import { authOf, requestContext, requireRole, requireSession } from '../middleware/auth';
import { parse } from '../validation';
import { supportDeskRoutes } from './support-desk';

export const accountParams = z.object({ id: z.uuid() });
export const holdBody = z.strictObject({ reason: blockOfText(500, 3) });

/** Support agents only (the `support` role): the desk, recovery holds, closure state, data export. */
export function supportRoutes(deps: ServiceDeps): Router {
  const router = Router();
  router.use('/v1/support', requireSession(deps), requireRole('support'));
  router.use(supportDeskRoutes(deps));

  router.post('/v1/support/accounts/:id/recovery-hold', async (req, res) => {
    const { id } = parse(accountParams, req.params);
    const { reason } = parse(holdBody, req.body);
    res.status(201).json(await placeRecoveryHold(deps, authOf(req), id, reason, requestContext(req)));
  });

  router.delete('/v1/support/accounts/:id/recovery-hold', async (req, res) => {
    const { id } = parse(accountParams, req.params);
    const { reason } = parse(holdBody, req.body);
    res.json(await releaseRecoveryHolds(deps, authOf(req), id, reason, requestContext(req)));
  });

  router.get('/v1/support/accounts/:id/closure', async (req, res) => {
    const { id } = parse(accountParams, req.params);
    const status = await closureForAgent(deps, authOf(req), id, requestContext(req));
    res.json({
      ...status,
      closedAt: new Date(status.closedAt).toISOString(),
      purgeAt: new Date(status.purgeAt).toISOString(),
    });
  });

  router.get('/v1/support/accounts/:id/export', async (req, res) => {
    const { id } = parse(accountParams, req.params);
    res.json(await exportAccountData(deps, authOf(req), id, requestContext(req)));
  });

  return router;
}
