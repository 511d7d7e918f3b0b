import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every method and path the Express app answers, walked from its router (OpenAPI style paths). */
function expressRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (layers: Layer[]) => {
    for (const layer of layers) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          found.push(`${method} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found.filter((route) => !route.endsWith(' /openapi.json')).sort();
}

describe('the API contract', () => {
  it('when the document is served, then it is OpenAPI 3.1 and lists every route the app answers', async () => {
    const response = await stack.http.get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    const documented = Object.entries(response.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`),
    );
    const app = createApp({
      config: stack.config,
      db: stack.database.db,
      temporal: stack.serviceTemporal,
      logger: stack.logger,
    });
    const routes = expressRoutes(app);
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.filter((route) => !documented.includes(route))).toEqual([]);
    expect(documented.filter((route) => !routes.includes(route))).toEqual([]);
  });

  it('when a route can fail, then the document names its problem+json answers', async () => {
    const { body } = await stack.http.get('/openapi.json');
    const login = body.paths['/v1/auth/login'].post;
    expect(Object.keys(login.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '413',
      '415',
      '429',
      '500',
      '503',
    ]);
    expect(login.responses['401'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
    expect(login.requestBody.content['application/json'].schema.required).toEqual(['email', 'password']);
  });

  it('when /docs is opened, then a readable API reference page is served', async () => {
    const response = await stack.http.request('GET', '/docs/', {});
    expect(response.status).toBe(200);
    expect(String(response.body)).toContain('swagger-ui');
  });

  it('when any response goes out, then it carries the security headers', async () => {
    const response = await stack.http.get('/healthz');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBeTruthy();
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
