import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import { createClosureActivities } from './closure';
import { createPasswordRotationActivities } from './password-rotation';
import { createVerificationActivities } from './verification';

export interface ActivityDeps {
  config: Config;
  db: Kysely<Database>;
  logger: Logger;
}

/** All activities, built from their dependencies; workflows proxy `ReturnType<typeof createActivities>`. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createVerificationActivities(deps),
    ...createPasswordRotationActivities(deps),
    ...createClosureActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
