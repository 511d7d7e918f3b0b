import { Router } from 'express';
import { checkPasswordPolicyWithList } from '../../domain/common-passwords';
import { login, logout, register } from '../../services/auth';
import type { ServiceDeps } from '../../services/deps';
import { DomainError } from '../../domain/errors';
import { clearSessionCookie } from '../browser/session-cookie';
import { sendLoginOutcome } from '../device-cookie';
import { authOf, requestContext, requireSession } from '../middleware/auth';
import { preferredLanguage } from '../language';
import { loginBody, registerBody } from '../schemas';
import { parse } from '../validation';

/** Raises the policy violations as field errors on `field`, all at once. */
export function assertPasswordPolicy(
  password: string,
  field: string,
  confirmation?: string,
  confirmationField?: string,
): void {
  const violations = checkPasswordPolicyWithList(password, confirmation);
  if (violations.length === 0) return;
  throw new DomainError('validation_failed', 'The password does not meet the policy', {
    errors: violations.map((violation) => ({
      field: violation.code === 'mismatch' && confirmationField ? confirmationField : field,
      code: violation.code,
      message: violation.message,
    })),
  });
}

export function authRoutes(deps: ServiceDeps): Router {
  const router = Router();

  router.post('/v1/auth/register', async (req, res) => {
    const body = parse(registerBody, req.body);
    assertPasswordPolicy(body.password, 'password');
    await register(deps, { ...body, language: preferredLanguage(req) }, requestContext(req));
    res.status(201).json({
      status: 'verification_pending',
      detail: 'If the address can be used, a verification code is on its way.',
    });
  });

  router.post('/v1/auth/login', async (req, res) => {
    const body = parse(loginBody, req.body);
    sendLoginOutcome(req, res, deps.config, await login(deps, body, requestContext(req)));
  });

  router.post('/v1/auth/logout', requireSession(deps, { allowPasswordChangeScope: true }), async (req, res) => {
    await logout(deps, authOf(req), requestContext(req));
    clearSessionCookie(req, res, deps.config);
    res.status(204).end();
  });

  return router;
}
