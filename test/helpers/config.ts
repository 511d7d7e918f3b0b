import { type Config, type Env, loadConfig } from '../../src/config';

export const TEST_CODEC_TOKEN = 'operator-token-for-tests-only';

/** The service's configuration as tests run it: real parsing, test-sized durations on request. */
export function testConfig(overrides: Partial<Record<keyof Env, string>> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MAIL_POLL_INTERVAL: '50ms',
    MAIL_RETRY_MAX_BACKOFF: '200ms',
    // Cheap hashing keeps the suite fast; the parameters themselves are configuration.
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_ITERATIONS: '1',
    // Every test request comes from 127.0.0.1: per-address limits would tie unrelated tests
    // together. The rate-limit tests set their own.
    RATE_LIMIT_LOGIN_FAILURES_PER_IP: '100000',
    RATE_LIMIT_CODE_ATTEMPTS_PER_IP: '100000',
    RATE_LIMIT_SIGNUPS_PER_IP: '100000',
    RATE_LIMIT_SIGNUPS_TOTAL: '100000',
    // A test mails one address many codes on purpose; the cap has a test of its own.
    RATE_LIMIT_MAILS_PER_ADDRESS: '100000',
    CODEC_AUTH_TOKEN: TEST_CODEC_TOKEN,
    ...overrides,
  });
}
