import type { Migration } from 'kysely';
import * as initial from './2026-11-25T00-00_initial';
import * as rateLimits from './2026-11-25T01-00_rate-limits';
import * as codeTargets from './2026-11-25T02-00_code-targets-and-mail-leases';
import * as sessionLastSeen from './2026-11-26T12-00_session-last-seen';
import * as preparedPasswordChanges from './2026-11-26T12-10_prepared-password-changes';
import * as supportDesk from './2026-11-26T12-30_support-desk';
import * as accountLanguage from './2026-11-26T12-40_account-language';
import * as accountLock from './2026-11-26T12-50_account-lock';
import * as purgeProgress from './2026-11-26T13-00_purge-progress-and-mail-scrub';
import * as deviceCookies from './2026-11-26T13-10_device-cookies';
import * as temporalOutbox from './2026-11-26T13-20_temporal-outbox';
import * as passwordResetDecoys from './2026-11-26T17-50_password-reset-decoys';
import * as decoyPreparedChanges from './2026-11-26T18-40_decoy-prepared-changes';

/** Every migration, by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '2026-11-25T00-00_initial': initial,
  '2026-11-25T01-00_rate-limits': rateLimits,
  '2026-11-25T02-00_code-targets-and-mail-leases': codeTargets,
  '2026-11-26T12-00_session-last-seen': sessionLastSeen,
  '2026-11-26T12-10_prepared-password-changes': preparedPasswordChanges,
  '2026-11-26T12-30_support-desk': supportDesk,
  '2026-11-26T12-40_account-language': accountLanguage,
  '2026-11-26T12-50_account-lock': accountLock,
  '2026-11-26T13-00_purge-progress-and-mail-scrub': purgeProgress,
  '2026-11-26T13-10_device-cookies': deviceCookies,
  '2026-11-26T13-20_temporal-outbox': temporalOutbox,
  '2026-11-26T17-50_password-reset-decoys': passwordResetDecoys,
  '2026-11-26T18-40_decoy-prepared-changes': decoyPreparedChanges,
};
