import type { TestProject } from 'vitest/node';
import { type SharedServices, startSharedServices } from './helpers/shared-services';

export { withDatabase } from './helpers/shared-services';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the shared services are the whole context
  export interface ProvidedContext extends SharedServices {}
}

/** Starts what every test file shares, once per run (see startSharedServices). */
export default async function setup(project: TestProject) {
  const { services, stop } = await startSharedServices();
  for (const [key, value] of Object.entries(services) as Array<[keyof SharedServices, string]>)
    project.provide(key, value);
  return stop;
}
