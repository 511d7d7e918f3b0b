import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Kysely } from 'kysely';
import type { Config } from '../../config';
import type { Database } from '../../db/database';
import { deviceTokenOf } from '../device-cookie';
import type { RequestContext } from '../../db/repositories/audit';
import { findLiveSession, touchSession } from '../../db/repositories/sessions';
import { DomainError } from '../../domain/errors';
import type { Auth } from '../../services/caller';
import { assertSameOrigin, sessionCookieOf } from '../browser/session-cookie';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: Auth;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,200})$/;
/** Methods that change nothing: a cookie may authenticate them whoever linked to them. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// How stale a session's "last seen" may get. GET /v1/account is the hot path: a write per
// request would double its cost, so a session is touched at most once a minute.
const LAST_SEEN_RESOLUTION_MS = 60_000;

/**
 * Resolves the bearer token (API clients) or the session cookie (the panel) to a live session.
 * A write authenticated by the cookie must come from the panel's own origin. A session issued
 * for an expired password may only change the password: routes opt in with
 * `allowPasswordChangeScope`.
 */
export function requireSession(
  { db, config }: { db: Kysely<Database>; config: Pick<Config, 'publicUrl'> },
  options: { allowPasswordChangeScope?: boolean } = {},
): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const token = header !== undefined ? BEARER.exec(header)?.[1] : sessionCookieOf(req);
    const session = token ? await findLiveSession(db, token) : undefined;
    if (!session) throw new DomainError('unauthenticated', 'A valid bearer token is required');
    if (header === undefined && !SAFE_METHODS.has(req.method)) assertSameOrigin(req, config);
    if (session.scope === 'password_change' && !options.allowPasswordChangeScope) {
      throw new DomainError('password_expired', 'The password has expired: change it with POST /v1/account/password');
    }
    if (Date.now() - session.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
      await touchSession(db, session.sessionId, LAST_SEEN_RESOLUTION_MS);
    }
    req.auth = session;
    next();
  };
}

export function requireRole(role: 'support'): RequestHandler {
  return (req, _res, next) => {
    if (!req.auth?.roles.includes(role)) throw new DomainError('forbidden', `This action needs the ${role} role`);
    next();
  };
}

/** The authenticated caller; routes behind requireSession only. */
export function authOf(req: Request): Auth {
  if (!req.auth) throw new DomainError('unauthenticated');
  return req.auth;
}

export function requestContext(req: Request): RequestContext {
  const deviceToken = deviceTokenOf(req);
  return {
    ip: req.ip ?? null,
    userAgent: req.get('user-agent')?.slice(0, 300) ?? null,
    ...(req.auth && { sessionId: req.auth.sessionId }),
    ...(deviceToken !== undefined && { deviceToken }),
  };
}
