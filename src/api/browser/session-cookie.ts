import type { Request, Response } from 'express';
import type { Config } from '../../config';
import type { LoginResult } from '../../services/login-session';
import { DomainError } from '../../domain/errors';

// The panel keeps its session in a cookie that JavaScript cannot read (HttpOnly), that the
// browser sends only on requests from the panel's own pages (SameSite=Strict), and that never
// travels in clear over HTTPS deployments (Secure). API clients keep using bearer tokens.

export const SESSION_COOKIE = 'session';
/** A login that carries this header with the value `cookie` gets its session as a cookie, not in the body. */
export const SESSION_TRANSPORT_HEADER = 'X-Session-Transport';

const TOKEN = /^[A-Za-z0-9_-]{20,200}$/;

/**
 * Secure whenever the panel is served over HTTPS: the request came in over TLS, or the public
 * URL is https (behind a proxy that terminates TLS, `req.secure` sees plain HTTP).
 */
export function secureCookies(req: Request, config: Pick<Config, 'publicUrl'>): boolean {
  return req.secure || config.publicUrl.startsWith('https:');
}

function cookieOptions(req: Request, config: Pick<Config, 'publicUrl'>) {
  return { httpOnly: true, sameSite: 'strict', secure: secureCookies(req, config), path: '/' } as const;
}

/** The session token from the cookie, when there is one of the right shape. */
export function sessionCookieOf(req: Request): string | undefined {
  const value: unknown = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
  return typeof value === 'string' && TOKEN.test(value) ? value : undefined;
}

export function wantsCookieSession(req: Request): boolean {
  return req.get(SESSION_TRANSPORT_HEADER)?.toLowerCase() === 'cookie';
}

/**
 * Answers a login step. For the panel, a token moves from the body into the cookie, which lives
 * exactly as long as the session (SESSION_TTL).
 */
export function sendLoginResult(req: Request, res: Response, config: Config, result: LoginResult): void {
  if (!wantsCookieSession(req) || !('token' in result)) {
    res.json(result);
    return;
  }
  // A login forged by another site would sign the victim into the attacker's account.
  assertSameOrigin(req, config);
  const { token, ...withoutToken } = result;
  res.cookie(SESSION_COOKIE, token, { ...cookieOptions(req, config), expires: new Date(result.expiresAt) });
  res.json(withoutToken);
}

export function clearSessionCookie(req: Request, res: Response, config: Config): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(req, config));
}

/**
 * Refuses a request that another site made the browser send. Browsers label every request with
 * `Sec-Fetch-Site`; older ones at least send `Origin` on writes. A request with neither did
 * not come from a browser page, and a cookie session has no business there. Behind a proxy
 * that terminates TLS the service sees `http` where the browser wrote `https`: the origin of
 * PUBLIC_URL, where the panel is served, counts as the panel's own as well.
 */
export function assertSameOrigin(req: Request, config: Pick<Config, 'publicUrl'>): void {
  const site = req.get('sec-fetch-site');
  const origin = req.get('origin');
  const sameOrigin =
    site !== undefined
      ? site === 'same-origin'
      : origin !== undefined &&
        (origin === `${req.protocol}://${req.get('host')}` || origin === new URL(config.publicUrl).origin);
  if (!sameOrigin)
    throw new DomainError('forbidden', 'A change made with the session cookie must come from the panel itself');
}
