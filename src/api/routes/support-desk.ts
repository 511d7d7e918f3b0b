import { Router } from 'express';
import { z } from 'zod';
import { DomainError } from '../../domain/errors';
import { blockOfText } from '../../domain/text';
import { SUPPORT_REQUEST_STATUSES } from '../../domain/support-request-status';
import type { ServiceDeps } from '../../services/deps';
import { findMerchantsByEmail, supportQueue, updateSupportRequest } from '../../services/support-desk';
import { authOf, requestContext } from '../middleware/auth';
import { encodeQueueCursor, queueCursor } from '../queue-cursor';
import { email } from '../schemas';
import { parse } from '../validation';

// Mounted by supportRoutes, behind its session and `support` role checks.

/** Agents write longer answers than merchants' questions need, but a reply is still a mail. */
export const REPLY_MAX_CHARACTERS = 5_000;

export const merchantLookupQuery = z.object({ email });
export const supportQueueQuery = z.object({
  status: z.enum(SUPPORT_REQUEST_STATUSES).optional(),
  cursor: queueCursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const supportRequestParams = z.object({ id: z.uuid() });
export const supportRequestChangeBody = z.strictObject({
  status: z.enum(SUPPORT_REQUEST_STATUSES),
  reply: blockOfText(REPLY_MAX_CHARACTERS).optional(),
});

export function supportDeskRoutes(deps: ServiceDeps): Router {
  const router = Router();

  router.get('/v1/support/accounts', async (req, res) => {
    const query = parse(merchantLookupQuery, req.query);
    res.json(await findMerchantsByEmail(deps, authOf(req), query.email, requestContext(req)));
  });

  router.get('/v1/support/requests', async (req, res) => {
    const query = parse(supportQueueQuery, req.query);
    const page = await supportQueue(
      deps,
      authOf(req),
      { status: query.status, after: query.cursor, limit: query.limit },
      requestContext(req),
    );
    res.json({ items: page.items, nextCursor: page.next && encodeQueueCursor(page.next) });
  });

  router.patch('/v1/support/requests/:id', async (req, res) => {
    // A malformed id names no request: the same 404 as an unknown one (as for sessions).
    const params = supportRequestParams.safeParse(req.params);
    if (!params.success) throw new DomainError('not_found', 'There is no such support request');
    const change = parse(supportRequestChangeBody, req.body);
    res.json(await updateSupportRequest(deps, authOf(req), params.data.id, change, requestContext(req)));
  });

  return router;
}
