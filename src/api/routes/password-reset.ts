import { Router } from 'express';
import { z } from 'zod';
import type { ServiceDeps } from '../../services/deps';
import { confirmPasswordReset, requestPasswordReset } from '../../services/password-reset';
import { requestContext } from '../middleware/auth';
import { code, email, password } from '../schemas';
import { parse } from '../validation';
import { assertPasswordPolicy } from './auth';

export const passwordResetBody = z.strictObject({ email });
export const passwordResetConfirmBody = z.strictObject({
  email,
  code,
  newPassword: password,
  newPasswordConfirm: password,
});

/** "Forgot password": no session; the mailed code proves the merchant reads the account's mail. */
export function passwordResetRoutes(deps: ServiceDeps): Router {
  const router = Router();

  router.post('/v1/auth/password-reset', async (req, res) => {
    const body = parse(passwordResetBody, req.body);
    await requestPasswordReset(deps, body.email, requestContext(req));
    res.status(202).json({
      status: 'code_sent',
      detail: 'If the address belongs to an account, a code to reset its password is on its way.',
    });
  });

  router.post('/v1/auth/password-reset/confirm', async (req, res) => {
    const body = parse(passwordResetConfirmBody, req.body);
    assertPasswordPolicy(body.newPassword, 'newPassword', body.newPasswordConfirm, 'newPasswordConfirm');
    await confirmPasswordReset(deps, body, requestContext(req));
    res.status(204).end();
  });

  return router;
}
