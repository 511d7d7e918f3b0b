import { Router } from 'express';
import type { Config } from '../../config';
import { LOCK_LINK_TTL_MS } from '../../db/repositories/security-mail';

/**
 * The configured periods the panel states ("renewed every 90 days", "within 30 days"), so the
 * page says what the service does, as the mails do, whatever the configuration.
 */
function policies(config: Config) {
  return {
    passwordMaxAgeMs: config.durations.passwordMaxAgeMs,
    closureGracePeriodMs: config.durations.closureGracePeriodMs,
    lockLinkValidMs: LOCK_LINK_TTL_MS,
    emailCodeValidMs: config.durations.emailCodeTtlMs,
  };
}

/** Public: the periods are no secret, and the pages before sign-in state them too. */
export function policyRoutes(config: Config): Router {
  const router = Router();
  const answer = policies(config);
  router.get('/v1/policies', (_req, res) => {
    res.json(answer);
  });
  return router;
}
