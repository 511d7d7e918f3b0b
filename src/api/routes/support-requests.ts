import { Router } from 'express';
import type { ServiceDeps } from '../../services/deps';
import { createSupportRequest, listOwnSupportRequests } from '../../services/support-requests';
import { authOf, requestContext, requireSession } from '../middleware/auth';
import { supportRequestBody } from '../schemas';
import { parse } from '../validation';

/** The merchant's side: open a request, read one's own with the desk's replies. */
export function supportRequestRoutes(deps: ServiceDeps): Router {
  const router = Router();
  router.use('/v1/support-requests', requireSession(deps));

  router.get('/v1/support-requests', async (req, res) => {
    res.json({ items: await listOwnSupportRequests(deps, authOf(req).accountId) });
  });

  router.post('/v1/support-requests', async (req, res) => {
    const body = parse(supportRequestBody, req.body);
    res.status(201).json(await createSupportRequest(deps, authOf(req).accountId, body, requestContext(req)));
  });

  return router;
}
