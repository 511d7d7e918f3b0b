import { once } from 'node:events';
import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { useTestDatabase } from '../helpers/db';
import { startServiceProcess } from '../helpers/service-process';
import { freePort, until } from '../helpers/wait';

const database = useTestDatabase();

describe('graceful shutdown', () => {
  it('when the API process gets SIGTERM mid-request, then the request is answered before the process exits cleanly', async () => {
    const port = await freePort();
    const api = await startServiceProcess(
      'src/api/server.ts',
      {
        PORT: String(port),
        DATABASE_URL: database().url,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        // Slow hashing keeps a login in flight long enough to send the signal during it.
        ARGON2_MEMORY_KIB: '65536',
        ARGON2_ITERATIONS: '20',
      },
      'API listening',
    );
    const exited = once(api, 'exit');

    const inFlight = fetch(`http://127.0.0.1:${port}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@shop.example', password: 'Any!Pass1' }),
    });
    // The login counts the attempt, then hashes: once its rate-limit row exists, it is in flight.
    // (rate-limiter-flexible owns that table, so it is not in the Kysely schema.)
    await until(
      async () =>
        (await sql`select 1 from rate_limits where key like 'login-account:%'`.execute(database().db)).rows.length > 0,
    );
    api.kill('SIGTERM');

    const response = await inFlight;
    expect(response.status).toBe(401);
    const [code] = await exited;
    expect(code).toBe(0);
    // And it no longer accepts connections.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
