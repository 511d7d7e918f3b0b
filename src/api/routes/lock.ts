import { Router } from 'express';
import { z } from 'zod';
import { lockAccount } from '../../services/account-lock';
import type { ServiceDeps } from '../../services/deps';
import { requestContext } from '../middleware/auth';
import { parse } from '../validation';

// The token as generateToken makes it: 32 random bytes, base64url.
export const lockBody = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,200}$/, 'must be the token from the link'),
});

/** "This wasn't me": the link in every security mail. No session: the token is the proof. */
export function lockRoutes(deps: ServiceDeps): Router {
  const router = Router();
  router.post('/v1/auth/lock', async (req, res) => {
    const { token } = parse(lockBody, req.body);
    await lockAccount(deps, token, requestContext(req));
    res.json({ status: 'locked', detail: 'Every session is signed out. Reset your password to sign in again.' });
  });
  return router;
}
