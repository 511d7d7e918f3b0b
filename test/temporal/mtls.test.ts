import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Env } from '../../src/config';
import { connectClient, connectWorkerConnection, TemporalConnectionError } from '../../src/temporal/connection';
import { certificateAuthority, issue } from '../helpers/certificates';
import { testConfig } from '../helpers/config';
import { createTestDatabase } from '../helpers/db';
import { signUp } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';
import { TlsProxy } from '../helpers/tls-proxy';

// The dev server speaks plaintext; a secured cluster's frontend does not. A TLS-terminating proxy
// that demands a client certificate stands in for it, with a private PKI made here.
let dir: string;
let proxy: TlsProxy;
const files: Record<'ca' | 'clientCert' | 'clientKey' | 'otherCa' | 'strangerCert' | 'strangerKey', string> =
  {} as never;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'connectprof-mtls-'));
  const ca = certificateAuthority('ConnectProf test cluster CA');
  const frontend = issue(ca, 'localhost', 'server');
  const client = issue(ca, 'connectprof-worker', 'client');
  const otherCa = certificateAuthority('Some other CA');
  const stranger = issue(otherCa, 'stranger', 'client');
  const write = (name: string, pem: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, pem);
    return file;
  };
  Object.assign(files, {
    ca: write('ca.pem', ca.certPem),
    clientCert: write('client.pem', client.certPem),
    clientKey: write('client.key', client.keyPem),
    otherCa: write('other-ca.pem', otherCa.certPem),
    strangerCert: write('stranger.pem', stranger.certPem),
    strangerKey: write('stranger.key', stranger.keyPem),
  });
  proxy = await TlsProxy.start(inject('temporalAddress'), {
    cert: frontend.certPem,
    key: frontend.keyPem,
    clientCa: ca.certPem,
  });
});
afterAll(async () => {
  await proxy?.close();
  rmSync(dir, { recursive: true, force: true });
});

const tlsEnv = (overrides: Partial<Record<keyof Env, string>> = {}): Partial<Record<keyof Env, string>> => ({
  TEMPORAL_ADDRESS: proxy.address,
  TEMPORAL_TLS_CA: files.ca,
  TEMPORAL_TLS_CERT: files.clientCert,
  TEMPORAL_TLS_KEY: files.clientKey,
  ...overrides,
});

describe('a Temporal frontend behind mutual TLS', () => {
  it('when the service has the CA and a client certificate, then API and worker connect through it and a sign-up runs its flow end to end', async () => {
    const config = testConfig(tlsEnv({ TEMPORAL_API_KEY: 'sent-as-a-bearer-token' }));
    let client: Client | undefined;
    let connection: NativeConnection | undefined;
    let stack: TestStack | undefined;
    try {
      client = await connectClient(config);
      connection = await connectWorkerConnection(config);
      stack = await startStack({
        env: tlsEnv(),
        temporal: { client, nativeConnection: connection, namespace: config.temporal.namespace },
      });
      // Sign-up starts the verification flow; the mailed code completes it through an Update.
      const merchant = await signUp(stack, { verify: true });
      expect((await stack.http.get('/v1/account', merchant.token)).body.emailVerified).toBe(true);
      // Client and worker both came through the proxy, each with the accepted certificate.
      expect(proxy.authorizedConnections).toBeGreaterThanOrEqual(2);
    } finally {
      await stack?.stop();
      await connection?.close();
      await client?.connection.close();
    }
  });

  it("when the CA is not the one that signed the frontend's certificate, then start-up fails with an error naming TEMPORAL_TLS_CA", async () => {
    const config = testConfig(tlsEnv({ TEMPORAL_TLS_CA: files.otherCa }));
    for (const connect of [() => connectClient(config), () => connectWorkerConnection(config)]) {
      const failure = await connect().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(TemporalConnectionError);
      expect((failure as Error).message).toContain(
        `Cannot connect to Temporal at ${proxy.address} over TLS, trusting the CA in TEMPORAL_TLS_CA=${files.otherCa}`,
      );
      expect((failure as Error).message).toMatch(/Check that TEMPORAL_TLS_CA signed the frontend's certificate/);
    }
  });

  it('when the client certificate is not signed by the CA the frontend trusts, then the frontend refuses the service', async () => {
    const config = testConfig(tlsEnv({ TEMPORAL_TLS_CERT: files.strangerCert, TEMPORAL_TLS_KEY: files.strangerKey }));
    await expect(connectWorkerConnection(config)).rejects.toBeInstanceOf(TemporalConnectionError);
    await expect(connectClient(config)).rejects.toBeInstanceOf(TemporalConnectionError);
  });

  it('when the service runs as a process with a wrong CA, then it exits at start-up with that one line', async () => {
    // As `npm run start:worker` would be started by an operator with a wrong file.
    const database = await createTestDatabase();
    try {
      const worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
        env: {
          ...process.env,
          ...tlsEnv({ TEMPORAL_TLS_CA: files.otherCa }),
          DATABASE_URL: database.url,
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
        },
      });
      let stderr = '';
      worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(worker, 'exit')) as [number | null];
      expect(code).toBe(1);
      expect(stderr.trim()).toMatch(
        /^Cannot connect to Temporal at .* over TLS, trusting the CA in TEMPORAL_TLS_CA=.*other-ca\.pem[^\n]*$/,
      );
    } finally {
      await database.drop();
    }
  });

  it('when only a certificate or only a key is given, then the configuration is refused naming both variables', () => {
    expect(() => testConfig(tlsEnv({ TEMPORAL_TLS_KEY: '' }))).toThrow(/TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY: set both/);
    expect(() => testConfig(tlsEnv({ TEMPORAL_TLS_CA: path.join(dir, 'missing.pem') }))).toThrow(
      /TEMPORAL_TLS_CA: cannot read .*missing\.pem \(ENOENT\)/,
    );
  });
});
