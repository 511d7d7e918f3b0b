import { Router } from 'express';
import { z } from 'zod';
import { accountDataCounts, requestClosure } from '../../services/closure';
import type { ServiceDeps } from '../../services/deps';
import { authOf, requestContext, requireSession } from '../middleware/auth';
import { code, password } from '../schemas';
import { parse } from '../validation';

/** Both boxes of the closing form must be ticked. */
const ticked = (label: string) =>
  z
    .unknown()
    .refine((value) => value === true, {
      message: `must be true: "${label}"`,
      params: { code: 'confirmation_required' },
    })
    .transform(() => true as const);

export const closureBody = z.strictObject({
  password,
  code: code.optional(),
  acknowledgeWarnings: ticked('I have carefully read and approve the above warnings'),
  deleteAllData: ticked('Delete my account and all my data'),
});

export function closureRoutes(deps: ServiceDeps): Router {
  const router = Router();
  const session = requireSession(deps);

  router.get('/v1/account/data', session, async (req, res) => {
    res.json(await accountDataCounts(deps, authOf(req).accountId));
  });

  router.post('/v1/account/closure', session, async (req, res) => {
    const body = parse(closureBody, req.body);
    res.status(202).json(await requestClosure(deps, authOf(req), body, requestContext(req)));
  });

  return router;
}
