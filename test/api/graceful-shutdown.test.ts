import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/temporal/binaries';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { freePort } from '../helpers/wait';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());


describe('graceful shutdown', () => {
  it('when the API process gets SIGTERM mid-request, then the request is answered before the process exits cleanly', async () => {
    const port = await freePort();
    const api = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'api', 'server.ts')], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        DATABASE_URL: database.url,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        // Slow hashing keeps a login in flight long enough to send the signal during it.
        ARGON2_MEMORY_KIB: '65536',
        ARGON2_ITERATIONS: '20',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      let output = '';
      api.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('API listening')) resolve();
      });
      api.once('exit', (code) => reject(new Error(`API exited with ${code} before listening`)));
    });
    const exited = once(api, 'exit');

    const inFlight = fetch(`http://127.0.0.1:${port}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@shop.example', password: 'Any!Pass1' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the request is being hashed now
    api.kill('SIGTERM');

    const response = await inFlight;
    expect(response.status).toBe(401);
    const [code] = await exited;
    expect(code).toBe(0);
    // And it no longer accepts connections.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
