import type { Transaction } from 'kysely';
import type { Database } from '../db/database';
import type { RequestContext } from '../db/repositories/audit';
import { lockActiveSession } from '../db/repositories/closure';
import { DomainError } from '../domain/errors';

/**
 * Locks the account for a write of the session that made the request (see lockActiveSession). A
 * request authenticated just before a closure committed writes nothing after it, as the closure
 * promises from its 202 on: 401, the answer the session's next request gets.
 */
export async function lockForSessionWrite(
  trx: Transaction<Database>,
  accountId: string,
  context: RequestContext,
  strength: 'share' | 'update' = 'share',
): Promise<void> {
  const { sessionId } = context;
  if (sessionId === undefined || !(await lockActiveSession(trx, { accountId, sessionId }, strength)))
    throw new DomainError('unauthenticated', 'The session ended: the account is closed or signed out');
}
