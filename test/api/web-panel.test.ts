import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST_DIR } from '../../src/api/browser/web-panel';
import { ensureWebBuild } from '../../src/dev/web-build';
import { createLogger } from '../../src/logger';
import { STRONG_PASSWORD, uniqueEmail } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  await ensureWebBuild(createLogger('warn'));
  stack = await startStack();
});
afterAll(() => stack?.stop());

const PANEL = { 'X-Session-Transport': 'cookie', 'Sec-Fetch-Site': 'same-origin' };

/** Signs up and signs in the way the panel does; returns the Set-Cookie header and the body. */
async function panelLogin() {
  const email = uniqueEmail();
  expect((await stack.http.post('/v1/auth/register', { email, password: STRONG_PASSWORD })).status).toBe(201);
  const login = await stack.http.request('POST', '/v1/auth/login', {
    body: { email, password: STRONG_PASSWORD },
    headers: PANEL,
  });
  expect(login.status).toBe(200);
  // The session cookie (a device cookie for the lockout comes with it: README, Lockout).
  const setCookie = login.headers.getSetCookie().find((header) => header.startsWith('session=')) ?? '';
  const cookie = setCookie.split(';')[0]!;
  return { login, setCookie, cookie };
}

describe('the web panel', () => {
  it('when a browser opens / or a client route, then it gets the page under a strict Content-Security-Policy', async () => {
    for (const path of ['/', '/settings/account']) {
      const page = await stack.http.request('GET', path, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.body).toContain('<div id="root">');
      const policy = page.headers.get('content-security-policy') ?? '';
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toContain('unsafe-inline');
    }
  });

  it('when a browser fetches the panel, then its files come compressed and its hashed scripts cached for good; API answers stay uncompressed', async () => {
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(readFileSync(path.join(WEB_DIST_DIR, 'index.html'), 'utf8'))![1]!;
    const original = readFileSync(path.join(WEB_DIST_DIR, script), 'utf8');
    for (const encoding of ['br', 'gzip']) {
      const asset = await stack.http.request('GET', script, {
        headers: { 'accept-encoding': `${encoding}, identity` },
      });
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-encoding')).toBe(encoding);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.body).toBe(original);
    }
    // The page names the current hashes: asked again every time (it is under compression's 1 kB threshold).
    const page = await stack.http.request('GET', '/settings/account', { headers: { accept: 'text/html' } });
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const api = await stack.http.request('GET', '/openapi.json', { headers: { 'accept-encoding': 'br, gzip' } });
    expect(api.status).toBe(200);
    expect(api.headers.get('content-encoding')).toBeNull();
  });

  it('when a browser fetches a script, then it gets the file the build compressed at the best level, as it is', async () => {
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(readFileSync(path.join(WEB_DIST_DIR, 'index.html'), 'utf8'))![1]!;
    for (const [encoding, suffix] of [
      ['br', 'br'],
      ['gzip', 'gz'],
    ] as const) {
      const asset = await stack.http.request('GET', script, { headers: { 'accept-encoding': encoding } });
      expect(asset.headers.get('content-encoding')).toBe(encoding);
      expect(Number(asset.headers.get('content-length'))).toBe(
        statSync(path.join(WEB_DIST_DIR, `${script}.${suffix}`)).size,
      );
    }
  });

  it('when a browser opens Edit My Account, then a Link header preloads the page chunks index.html does not load; other pages get none', async () => {
    const manifest = JSON.parse(readFileSync(path.join(WEB_DIST_DIR, '.vite', 'manifest.json'), 'utf8')) as Record<
      string,
      { file: string }
    >;
    const page = await stack.http.request('GET', '/settings/account', { headers: { accept: 'text/html' } });
    const preloaded = [...(page.headers.get('link') ?? '').matchAll(/<([^>]+)>; rel=modulepreload/g)].map((m) => m[1]);
    expect(preloaded).toContain(`/${manifest['src/pages/EditAccount.tsx']!.file}`);
    // The details section is a chunk of its own (shared with Support), fetched with the page.
    expect(preloaded.some((file) => /^\/assets\/AccountDetails-[^/]+\.js$/.test(file!))).toBe(true);
    expect(preloaded).not.toContain(`/${manifest['index.html']!.file}`);
    const signIn = await stack.http.request('GET', '/sign-in', { headers: { accept: 'text/html' } });
    expect(signIn.headers.get('link')).toBeNull();
  });

  it('when an API path is unknown, then the answer is a problem+json 404, never the page', async () => {
    for (const path of ['/v1/nothing-here', '/codec/nothing', '/healthz/extra']) {
      const response = await stack.http.request('GET', path, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await stack.http.get('/openapi.json')).body.openapi).toBe('3.1.0');
  });

  it('when the panel signs in, then the session is an HttpOnly SameSite=Strict cookie for SESSION_TTL and the token is not in the body', async () => {
    const { login, setCookie } = await panelLogin();
    expect(login.body.status).toBe('authenticated');
    expect(login.body).not.toHaveProperty('token');
    expect(setCookie).toMatch(/^session=[A-Za-z0-9_-]{20,}/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    // Served over plain HTTP in the test: Secure would make the browser drop it.
    expect(setCookie).not.toContain('Secure');
    const expires = Date.parse(/Expires=([^;]+)/.exec(setCookie)![1]!);
    expect(Math.abs(expires - Date.parse(login.body.expiresAt))).toBeLessThan(1000);
  });

  it('when a request carries the cookie, then reads work from anywhere and writes only from the panel itself', async () => {
    const { cookie } = await panelLogin();
    const read = await stack.http.request('GET', '/v1/account', { headers: { cookie } });
    expect(read.status).toBe(200);

    const change = { body: { city: 'İzmir' } };
    const crossSite = await stack.http.request('PATCH', '/v1/account', {
      ...change,
      headers: { cookie, 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.code).toBe('forbidden');
    const otherOrigin = await stack.http.request('PATCH', '/v1/account', {
      ...change,
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(otherOrigin.status).toBe(403);
    const noBrowserHeaders = await stack.http.request('PATCH', '/v1/account', { ...change, headers: { cookie } });
    expect(noBrowserHeaders.status).toBe(403);

    const sameOrigin = await stack.http.request('PATCH', '/v1/account', {
      ...change,
      headers: { cookie, 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(sameOrigin.status).toBe(200);
    expect(sameOrigin.body.city).toBe('İzmir');
    const ownOrigin = await stack.http.request('PATCH', '/v1/account', {
      body: { city: 'Bursa' },
      headers: { cookie, origin: stack.url },
    });
    expect(ownOrigin.status).toBe(200);
  });

  it('when another site makes the browser sign in, then no session cookie is set', async () => {
    const email = uniqueEmail();
    await stack.http.post('/v1/auth/register', { email, password: STRONG_PASSWORD });
    const forged = await stack.http.request('POST', '/v1/auth/login', {
      body: { email, password: STRONG_PASSWORD },
      headers: { 'X-Session-Transport': 'cookie', 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('set-cookie')).toBeNull(); // neither a session nor a device cookie
  });

  it('when the panel signs out, then the cookie is cleared and no longer opens the account', async () => {
    const { cookie } = await panelLogin();
    const logout = await stack.http.request('POST', '/v1/auth/logout', {
      headers: { cookie, 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/^session=;.*Expires=Thu, 01 Jan 1970/);
    expect((await stack.http.request('GET', '/v1/account', { headers: { cookie } })).status).toBe(401);
  });

  it('when an API client signs in without the cookie header, then it gets its bearer token as before', async () => {
    const email = uniqueEmail();
    await stack.http.post('/v1/auth/register', { email, password: STRONG_PASSWORD });
    const login = await stack.http.post('/v1/auth/login', { email, password: STRONG_PASSWORD });
    expect(login.headers.getSetCookie().filter((header) => header.startsWith('session='))).toEqual([]);
    expect((await stack.http.get('/v1/account', login.body.token)).status).toBe(200);
  });
});
