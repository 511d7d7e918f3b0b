import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRONG_PASSWORD, uniqueEmail } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

// Behind a proxy that terminates TLS and is not on loopback, the request reaches the service
// over plain HTTP (req.secure is false): the public URL says the panel is served over HTTPS.
let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ env: { PUBLIC_URL: 'https://panel.example' } });
});
afterAll(() => stack?.stop());

const PANEL = { 'X-Session-Transport': 'cookie', 'Sec-Fetch-Site': 'same-origin' };

describe('cookies behind a TLS-terminating proxy', () => {
  it('when PUBLIC_URL is https and the request arrives over plain HTTP, then the session and device cookies are Secure, sign-out included', async () => {
    const email = uniqueEmail();
    expect((await stack.http.post('/v1/auth/register', { email, password: STRONG_PASSWORD })).status).toBe(201);
    const login = await stack.http.request('POST', '/v1/auth/login', {
      body: { email, password: STRONG_PASSWORD },
      headers: { ...PANEL, 'X-Forwarded-Proto': 'https' },
    });
    expect(login.status).toBe(200);
    const setCookies = login.headers.getSetCookie();
    const session = setCookies.find((header) => header.startsWith('session=')) ?? '';
    const device = setCookies.find((header) => header.startsWith('cp_device=')) ?? '';
    expect(session).toMatch(/^session=[A-Za-z0-9_-]{20,}/);
    expect(session.split(/;\s*/)).toContain('Secure');
    expect(device.split(/;\s*/)).toContain('Secure');

    const logout = await stack.http.request('POST', '/v1/auth/logout', {
      headers: { cookie: session.split(';')[0]!, 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/^session=;/);
    expect(logout.headers.get('set-cookie')!.split(/;\s*/)).toContain('Secure');
  });

  it('when PUBLIC_URL is https and a browser without Sec-Fetch-Site signs in from that origin over the proxy, then it is the panel itself; another origin is refused', async () => {
    const email = uniqueEmail();
    expect((await stack.http.post('/v1/auth/register', { email, password: STRONG_PASSWORD })).status).toBe(201);
    // The service sees http://127.0.0.1:<port>: only PUBLIC_URL names the origin the browser wrote.
    const panel = await stack.http.request('POST', '/v1/auth/login', {
      body: { email, password: STRONG_PASSWORD },
      headers: { 'X-Session-Transport': 'cookie', Origin: 'https://panel.example' },
    });
    expect(panel.status).toBe(200);
    const session = panel.headers.getSetCookie().find((header) => header.startsWith('session=')) ?? '';
    expect(session).toMatch(/^session=[A-Za-z0-9_-]{20,}/);

    const write = await stack.http.request('PATCH', '/v1/account', {
      body: { city: 'İzmir' },
      headers: { cookie: session.split(';')[0]!, Origin: 'https://panel.example' },
    });
    expect(write.status).toBe(200);

    const evil = await stack.http.request('POST', '/v1/auth/login', {
      body: { email, password: STRONG_PASSWORD },
      headers: { 'X-Session-Transport': 'cookie', Origin: 'https://evil.example' },
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.getSetCookie().some((header) => header.startsWith('session='))).toBe(false);
    const evilWrite = await stack.http.request('PATCH', '/v1/account', {
      body: { city: 'Ankara' },
      headers: { cookie: session.split(';')[0]!, Origin: 'https://evil.example' },
    });
    expect(evilWrite.status).toBe(403);
  });
});
