import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

describe('configuration', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.durations).toEqual({
      emailCodeTtlMs: 10 * 60_000,
      emailCodeResendCooldownMs: 60_000,
      loginChallengeTtlMs: 5 * 60_000,
      totpSetupTtlMs: 10 * 60_000,
      passwordMaxAgeMs: 90 * 86_400_000,
      passwordRemindersMs: [14 * 86_400_000, 7 * 86_400_000, 86_400_000],
      closureGracePeriodMs: 30 * 86_400_000,
      sessionTtlMs: 12 * 3_600_000,
      passwordResetTtlMs: 15 * 60_000,
    });
    expect(config.temporal).toMatchObject({
      address: undefined,
      namespace: 'default',
      taskQueue: 'connectprof-account',
    });
    expect(config.argon2).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  });

  it('when durations are given as strings, then they are read as durations', () => {
    const config = loadConfig({ EMAIL_CODE_TTL: '5s', CLOSURE_GRACE_PERIOD: '2h', PASSWORD_REMINDERS: '3d, 1h' });
    expect(config.durations.emailCodeTtlMs).toBe(5_000);
    expect(config.durations.closureGracePeriodMs).toBe(7_200_000);
    expect(config.durations.passwordRemindersMs).toEqual([259_200_000, 3_600_000]);
  });

  it('when values are bad, then start-up stops naming every variable and what is wrong', () => {
    const load = () =>
      loadConfig({ EMAIL_CODE_TTL: 'soon', PORT: 'eighty', DATABASE_URL: 'not a url', PASSWORD_REMINDERS: '14d,x' });
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/EMAIL_CODE_TTL: "soon" is not a duration/);
      expect(message).toMatch(/PORT:/);
      expect(message).toMatch(/DATABASE_URL:/);
      expect(message).toMatch(/PASSWORD_REMINDERS: not durations: x/);
    }
  });

  it('when TRUST_PROXY is set, then it is read as hops or as a list of addresses and ranges; "everyone" and malformed entries are refused', () => {
    expect(loadConfig({}).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.10,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.10',
      'loopback',
    ]);
    // Everyone, by name or as a range; names and malformed addresses (checked as Express compiles them).
    for (const value of [
      'true',
      '*',
      '0.0.0.0/0',
      'loopback, ::/0',
      'proxy.example',
      ' , ',
      '10.0.0.0/33',
      '1.2.3',
      '.',
      '::::',
    ])
      expect(() => loadConfig({ TRUST_PROXY: value }), value).toThrow(/TRUST_PROXY:/);
  });

  it('when running in production without SECRET_KEY, then start-up stops', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SECRET_KEY: required/);
  });

  it('when SECRET_KEY is not 32 bytes, then start-up stops', () => {
    expect(() => loadConfig({ SECRET_KEY: 'abcd' })).toThrow(/SECRET_KEY: must be 32 bytes/);
    expect(loadConfig({ SECRET_KEY: 'ab'.repeat(32) }).secretKey).toHaveLength(32);
  });
});
