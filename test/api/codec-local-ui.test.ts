import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { listen, type RunningServer } from '../../src/api/server';
import type { Config } from '../../src/config';
import { startTemporalDevServer, withLocalUiCodec } from '../../src/dev/temporal-dev-server';
import { EncryptionCodec } from '../../src/temporal/codec';
import { testConfig } from '../helpers/config';
import { HttpClient } from '../helpers/http';
import { startStack, type TestStack } from '../helpers/stack';
import { freePort } from '../helpers/wait';

// `npm start`: the dev server's Web UI decodes history through the service, with no setup.
let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(() => stack?.stop());

/** The service's API as `npm start` configures it, or as production does, with no operator token set. */
async function serviceAs(config: Config): Promise<{ http: HttpClient; server: RunningServer }> {
  const server = await listen(
    createApp({ config, db: stack.serviceDb, temporal: stack.temporal, logger: stack.logger }),
    0,
    '127.0.0.1',
  );
  return { http: new HttpClient(server.url), server };
}

async function encryptedPayload(config: Config) {
  const [payload] = await new EncryptionCodec(config.codec.keys, config.codec.currentKeyId).encode([
    defaultPayloadConverter.toPayload({ accountId: 'a-1' }),
  ]);
  const base64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('base64');
  return {
    metadata: Object.fromEntries(Object.entries(payload!.metadata ?? {}).map(([key, value]) => [key, base64(value)])),
    data: base64(payload!.data),
  };
}

const decode = (http: HttpClient, payload: unknown, origin: string) =>
  http.request('POST', '/codec/decode', { body: { payloads: [payload] }, headers: { origin } });

describe('the codec endpoint for the local Web UI', () => {
  const withoutToken = testConfig({ CODEC_AUTH_TOKEN: '', TEMPORAL_UI_PORT: '8233' });

  it('when npm start runs the dev server, then its Web UI decodes payloads without a token, and any other origin is refused', async () => {
    const local = withLocalUiCodec(withoutToken);
    expect(local.uiCodecEndpoint).toBe(`http://localhost:${withoutToken.port}/codec`);
    const { http, server } = await serviceAs(local.config);
    try {
      const payload = await encryptedPayload(local.config);
      const decoded = await decode(http, payload, 'http://localhost:8233');
      expect(decoded.status).toBe(200);
      expect(decoded.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
      expect(JSON.parse(Buffer.from(decoded.body.payloads[0].data, 'base64').toString())).toEqual({ accountId: 'a-1' });
      expect((await decode(http, payload, 'http://127.0.0.1:8233')).status).toBe(200);
      const stranger = await decode(http, payload, 'https://evil.example');
      expect(stranger.status).toBe(401);
      expect(stranger.body.code).toBe('unauthenticated');
    } finally {
      await server.close();
    }
  });

  it("when the service runs in production, then npm start's rule is off and only the operator token decodes", async () => {
    const production = testConfig({
      CODEC_AUTH_TOKEN: 'production-operator-token',
      NODE_ENV: 'production',
      SECRET_KEY: 'ab'.repeat(32),
    });
    const local = withLocalUiCodec(production);
    expect(local.uiCodecEndpoint).toBeUndefined();
    const { http, server } = await serviceAs(local.config);
    try {
      const payload = await encryptedPayload(production);
      expect((await decode(http, payload, 'http://localhost:8233')).status).toBe(401);
      const withToken = await http.request('POST', '/codec/decode', {
        body: { payloads: [payload] },
        token: 'production-operator-token',
      });
      expect(withToken.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('when the dev server is started with the codec endpoint, then its Web UI is configured with it', async () => {
    const [port, uiPort] = [await freePort(), await freePort()];
    const devServer = await startTemporalDevServer({
      dataDir: path.join(tmpdir(), 'connectprof-ui-codec-test'),
      port,
      uiPort,
      uiCodecEndpoint: 'http://localhost:3000/codec',
      storage: 'memory',
      namespace: 'default',
      logger: stack.logger,
    });
    try {
      // The Web UI's own settings, as the browser app reads them.
      const settings = await fetch(`${devServer.uiUrl}/api/v1/settings`).then(
        (response) => response.json() as Promise<{ Codec: { Endpoint: string } }>,
      );
      expect(settings.Codec.Endpoint).toBe('http://localhost:3000/codec');
    } finally {
      await devServer.stop();
    }
  });
});
