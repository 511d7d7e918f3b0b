import type { Request, Response } from 'express';
import type { Config } from '../config';
import { KNOWN_DEVICE_TTL_MS } from '../db/repositories/device-cookies';
import type { LoginOutcome } from '../services/login-session';
import { assertSameOrigin, secureCookies, sendLoginResult, wantsCookieSession } from './browser/session-cookie';

// The device cookie of OWASP's lockout guidance: a random token the client keeps after it has
// signed in, so that its next password is counted apart from strangers' failed guesses. Only the
// sign-in routes read it (Path), no script can (HttpOnly), no other site sends it (SameSite).
export const DEVICE_COOKIE = 'cp_device';
const DEVICE_COOKIE_PATH = '/v1/auth';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The device token the client sent, when it has the shape of one. */
export function deviceTokenOf(req: Request): string | undefined {
  const token: unknown = (req.cookies as Record<string, unknown> | undefined)?.[DEVICE_COOKIE];
  return typeof token === 'string' && TOKEN_SHAPE.test(token) ? token : undefined;
}

/** Answers a login step: the device cookie (once signed in), then the result (the session in a cookie for the panel). */
export function sendLoginOutcome(req: Request, res: Response, config: Config, outcome: LoginOutcome): void {
  // A sign-in another site forged is refused before any cookie is set, the device's included.
  if (wantsCookieSession(req)) assertSameOrigin(req, config);
  if (outcome.deviceToken !== undefined) {
    res.cookie(DEVICE_COOKIE, outcome.deviceToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: secureCookies(req, config),
      path: DEVICE_COOKIE_PATH,
      maxAge: KNOWN_DEVICE_TTL_MS,
    });
  }
  sendLoginResult(req, res, config, outcome.result);
}
