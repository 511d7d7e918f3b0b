import { DomainError } from '../domain/errors';
import type { Auth } from './caller';
import { recordAudit, type RequestContext } from '../db/repositories/audit';
import { listLiveSessions, revokeAccountSession, revokeAccountSessions } from '../db/repositories/sessions';
import type { ServiceDeps } from './deps';

export interface SessionView {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
}

/** The caller's live sessions, the current one marked. No token or token hash ever leaves the table. */
export async function listSessions(deps: ServiceDeps, auth: Auth): Promise<SessionView[]> {
  const sessions = await listLiveSessions(deps.db, auth.accountId);
  return sessions.map((session) => ({
    id: session.id,
    current: session.id === auth.sessionId,
    createdAt: session.createdAt.toISOString(),
    lastSeenAt: session.lastSeenAt.toISOString(),
    ip: session.ip,
    userAgent: session.userAgent,
  }));
}

/**
 * Ends one session of the caller's account. Another account's session, an ended one and an
 * unknown id all answer the same 404: the caller learns nothing about sessions not theirs.
 */
export async function endSession(
  deps: ServiceDeps,
  auth: Auth,
  sessionId: string,
  context: RequestContext,
): Promise<void> {
  if (!(await revokeAccountSession(deps.db, auth.accountId, sessionId)))
    throw new DomainError('not_found', 'No such session');
  await recordAudit(deps.db, {
    accountId: auth.accountId,
    type: 'session_revoked',
    context,
    details: { sessionId, current: sessionId === auth.sessionId },
  });
}

/** Ends every session of the caller's account but the one making the request. */
export async function endOtherSessions(deps: ServiceDeps, auth: Auth, context: RequestContext): Promise<void> {
  const revoked = await revokeAccountSessions(deps.db, auth.accountId, auth.sessionId);
  await recordAudit(deps.db, { accountId: auth.accountId, type: 'sessions_revoked', context, details: { revoked } });
}
