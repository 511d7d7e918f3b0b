import { Router } from 'express';
import { z } from 'zod';
import type { ServiceDeps } from '../../services/deps';
import { changePassword } from '../../services/password';
import { authOf, requestContext, requireSession } from '../middleware/auth';
import { password } from '../schemas';
import { parse } from '../validation';

export const passwordChangeBody = z.strictObject({
  oldPassword: password,
  newPassword: password,
  newPasswordConfirm: password,
});

/** Mounted before the account routes: the one route a restricted (expired-password) session may use. */
export function passwordRoutes(deps: ServiceDeps): Router {
  const router = Router();
  router.post('/v1/account/password', requireSession(deps, { allowPasswordChangeScope: true }), async (req, res) => {
    const body = parse(passwordChangeBody, req.body);
    await changePassword(deps, authOf(req), body, requestContext(req));
    res.status(204).end();
  });
  return router;
}
