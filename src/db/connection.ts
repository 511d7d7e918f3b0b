import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from '../logger';
import type { Database } from './database';

// Dates of birth are calendar dates: keep pg's DATE as the `YYYY-MM-DD` text it arrives as,
// instead of a JS Date at local midnight that a time zone can move to the day before.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export function createDb(connectionString: string, poolSize = 10, logger?: Logger): Kysely<Database> {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client whose server went away (restart, failover) emits 'error' on the pool; without
  // a listener that would crash the process. The pool drops the client and opens a new one.
  pool.on('error', (error) => logger?.warn({ err: { message: error.message } }, 'idle database connection lost'));
  // A client checked out when its server goes away also emits 'error' (besides failing its
  // query); with no listener that would crash the process instead of failing one request.
  pool.on('connect', (client) => {
    client.on('error', (error) => logger?.warn({ err: { message: error.message } }, 'database connection lost'));
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

const pools = new WeakMap<Kysely<Database>, pg.Pool>();

/** The pg pool behind a Kysely instance, for libraries that speak pg directly (the rate limiter). */
export function poolOf(db: Kysely<Database>): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('This Kysely instance was not made by createDb');
  return pool;
}
