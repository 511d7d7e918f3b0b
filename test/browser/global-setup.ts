import { ensureWebBuild } from '../../src/dev/web-build';
import { createLogger } from '../../src/logger';
import { startSharedServices } from '../helpers/shared-services';

/** The environment variable that hands the shared services to the test workers. */
export const SHARED_SERVICES_ENV = 'CONNECTPROF_TEST_SERVICES';

/** Once per run: the panel built from its current sources, PostgreSQL, the template database, Temporal. */
export default async function globalSetup() {
  await ensureWebBuild(createLogger('warn'));
  const { services, stop } = await startSharedServices();
  // Workers inherit the environment the global setup leaves behind.
  process.env[SHARED_SERVICES_ENV] = JSON.stringify(services);
  return stop;
}
