import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import type { RateLimits } from './rate-limits';
import type { PasswordHasher } from './passwords';

/** What the use cases need: built once per API process. */
export interface ServiceDeps {
  config: Config;
  db: Kysely<Database>;
  temporal: Client;
  logger: Logger;
  passwords: PasswordHasher;
  rateLimits: RateLimits;
}
