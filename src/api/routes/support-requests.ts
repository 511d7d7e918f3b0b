import { Router } from 'express';
import { recordAudit } from '../../db/repositories/audit';
import { supportReadiness } from '../../services/account';
import type { ServiceDeps } from '../../services/deps';
import { DomainError } from '../../domain/errors';
import { authOf, requestContext, requireSession } from '../middleware/auth';
import { supportRequestBody } from '../schemas';
import { parse } from '../validation';

export function supportRequestRoutes(deps: ServiceDeps): Router {
  const router = Router();
  router.use('/v1/support-requests', requireSession(deps.db));

  router.get('/v1/support-requests', async (req, res) => {
    const rows = await deps.db
      .selectFrom('support_requests')
      .selectAll()
      .where('account_id', '=', authOf(req).accountId)
      .orderBy('created_at', 'desc')
      .execute();
    res.json({ items: rows.map(supportRequestView) });
  });

  router.post('/v1/support-requests', async (req, res) => {
    const body = parse(supportRequestBody, req.body);
    const { accountId } = authOf(req);
    // The help article's rule: support needs complete account information to reach the merchant.
    const missing = await supportReadiness(deps, accountId);
    if (missing.length > 0) {
      throw new DomainError('account_incomplete', `Complete the account information first: ${missing.join(', ')}`, { missing });
    }
    const row = await deps.db.transaction().execute(async (trx) => {
      const created = await trx
        .insertInto('support_requests')
        .values({ account_id: accountId, subject: body.subject, message: body.message })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, { accountId, type: 'support_request_created', context: requestContext(req), details: { supportRequestId: created.id } });
      return created;
    });
    res.status(201).json(supportRequestView(row));
  });

  return router;
}

function supportRequestView(row: { id: string; subject: string; message: string; status: string; created_at: Date }) {
  return { id: row.id, subject: row.subject, message: row.message, status: row.status, createdAt: row.created_at.toISOString() };
}
