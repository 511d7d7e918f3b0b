import { Router } from 'express';
import { z } from 'zod';
import type { ServiceDeps } from '../../services/deps';
import { regenerateRecoveryCodes } from '../../services/recovery-codes';
import {
  confirmMailAuthentication,
  confirmTotp,
  disableTwoFactor,
  startMailAuthentication,
  startTotpSetup,
} from '../../services/two-factor';
import { verifyLoginChallenge } from '../../services/login-challenge';
import { sendLoginOutcome } from '../device-cookie';
import { authOf, requestContext, requireSession } from '../middleware/auth';
import { code, codeBody, loginVerifyBody, password } from '../schemas';
import { parse } from '../validation';

export const disableTwoFactorBody = z.strictObject({ password, code: code.optional() });
/** The same shape: the password, and a code (mail authentication mails one when it is left out). */
export const recoveryCodesBody = disableTwoFactorBody;

export function twoFactorRoutes(deps: ServiceDeps): Router {
  const router = Router();

  router.post('/v1/auth/login/verify', async (req, res) => {
    const body = parse(loginVerifyBody, req.body);
    sendLoginOutcome(
      req,
      res,
      deps.config,
      await verifyLoginChallenge(deps, body.challengeId, body.code, requestContext(req)),
    );
  });

  const session = requireSession(deps);
  const countAttempt = (accountId: string, ip: string | undefined) =>
    deps.rateLimits.consumeCodeAttempt(accountId, ip ?? null);

  router.post('/v1/account/2fa/totp', session, async (req, res) => {
    res.json(await startTotpSetup(deps, authOf(req).accountId));
  });

  router.post('/v1/account/2fa/totp/confirm', session, async (req, res) => {
    const body = parse(codeBody, req.body);
    await countAttempt(authOf(req).accountId, req.ip);
    res.json({ recoveryCodes: await confirmTotp(deps, authOf(req).accountId, body.code, requestContext(req)) });
  });

  router.post('/v1/account/2fa/email', session, async (req, res) => {
    await startMailAuthentication(deps, authOf(req).accountId);
    res.status(202).json({ status: 'verification_pending' });
  });

  router.post('/v1/account/2fa/email/confirm', session, async (req, res) => {
    const body = parse(codeBody, req.body);
    await countAttempt(authOf(req).accountId, req.ip);
    res.json({ recoveryCodes: await confirmMailAuthentication(deps, authOf(req).accountId, body.code) });
  });

  router.delete('/v1/account/2fa', session, async (req, res) => {
    const body = parse(disableTwoFactorBody, req.body);
    if (body.code !== undefined) await countAttempt(authOf(req).accountId, req.ip);
    const outcome = await disableTwoFactor(deps, authOf(req), body, requestContext(req));
    if (outcome === 'code_sent') {
      res.status(202).json({
        status: 'code_sent',
        detail: 'A code is on its way by mail; send it with the password to turn two-factor off.',
      });
      return;
    }
    res.json({ twoFactor: { method: null } });
  });

  router.post('/v1/account/2fa/recovery-codes', session, async (req, res) => {
    const body = parse(recoveryCodesBody, req.body);
    res.json({ recoveryCodes: await regenerateRecoveryCodes(deps, authOf(req), body, requestContext(req)) });
  });

  return router;
}
