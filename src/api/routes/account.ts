import { Router } from 'express';
import { listAuditEvents } from '../../db/repositories/audit';
import { profilePatchSchema } from '../../domain/profile';
import {
  accountView,
  loadAccount,
  requestEmailChange,
  resendEmailCode,
  updateProfile,
  verifyEmail,
} from '../../services/account';
import { auditEventView } from '../../services/data-export';
import type { ServiceDeps } from '../../services/deps';
import { authOf, requestContext, requireSession } from '../middleware/auth';
import { codeBody, emailChangeBody, pageQuery } from '../schemas';
import { parse } from '../validation';

const profilePatch = profilePatchSchema();

export function accountRoutes(deps: ServiceDeps): Router {
  const router = Router();
  router.use('/v1/account', requireSession(deps));

  router.get('/v1/account', async (req, res) => {
    const auth = authOf(req);
    res.json(accountView(deps, auth.account, auth));
  });

  router.patch('/v1/account', async (req, res) => {
    const patch = parse(profilePatch, req.body);
    const auth = authOf(req);
    const account = await updateProfile(deps, auth.accountId, patch, requestContext(req));
    res.json(accountView(deps, account, auth));
  });

  router.post('/v1/account/email', async (req, res) => {
    const body = parse(emailChangeBody, req.body);
    await requestEmailChange(deps, authOf(req).accountId, body, requestContext(req));
    res.status(202).json({ status: 'verification_pending' });
  });

  router.post('/v1/account/email/verify', async (req, res) => {
    const { code } = parse(codeBody, req.body);
    const auth = authOf(req);
    await deps.rateLimits.consumeCodeAttempt(auth.accountId, req.ip ?? null);
    await verifyEmail(deps, auth.account, code);
    res.json(accountView(deps, await loadAccount(deps, auth.accountId), auth));
  });

  router.post('/v1/account/email/resend', async (req, res) => {
    await resendEmailCode(deps, authOf(req).accountId);
    res.status(202).json({ status: 'verification_pending' });
  });

  router.get('/v1/account/events', async (req, res) => {
    const { limit, cursor } = parse(pageQuery, req.query);
    const events = await listAuditEvents(deps.db, authOf(req).accountId, { limit: limit + 1, before: cursor });
    const page = events.slice(0, limit);
    res.json({
      items: page.map(auditEventView),
      nextCursor: events.length > limit ? page.at(-1)?.id : null,
    });
  });

  return router;
}
