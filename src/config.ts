import { hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import proxyaddr from 'proxy-addr';
import { parseDuration } from './shared/duration';

/** A duration string (`10m`, `30d`, `5s`) turned into milliseconds. */
const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const millis = parseDuration(value);
      if (millis === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration such as 10m, 30d or 5s` });
        return z.NEVER;
      }
      return millis;
    });

/** A comma-separated list of durations, kept in the order given. */
const durationList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const parts = value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);
      const millis = parts.map(parseDuration);
      const bad = parts.filter((_, index) => millis[index] === undefined);
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `not durations: ${bad.join(', ')}` });
        return z.NEVER;
      }
      return millis as number[];
    });

const optionalUrl = z.url().optional();
/** A path to a PEM file, read at start-up: a missing or unreadable file stops it, naming the variable. */
const pemFile = z
  .string()
  .optional()
  .transform((file, ctx) => {
    if (!file) return undefined;
    try {
      return { path: file, pem: readFileSync(file) };
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      });
      return z.NEVER;
    }
  });
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** 32 bytes, base64 or hex: an AES-256 or HMAC-SHA256 key. */
const key32 = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === '') return undefined;
    const bytes = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
    if (bytes.length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'must be 32 bytes, hex (64 characters) or base64' });
      return z.NEVER;
    }
    return bytes;
  });

/** A range that holds every address (0.0.0.0/0, ::/0, or /0 of anything): trusting it is trusting everyone. */
const EVERY_ADDRESS = /\/0+$/;

/**
 * TRUST_PROXY's list, checked by the same module Express compiles it with (proxy-addr), so that a
 * malformed entry stops start-up naming the variable instead of failing inside the app.
 */
function trustedProxyList(entries: string[]): string | undefined {
  if (entries.length === 0) return 'must name at least one address, range or hop count';
  const everyone = entries.find((entry) => EVERY_ADDRESS.test(entry));
  if (everyone) return `${everyone} trusts every client, which could then name any address it likes`;
  try {
    proxyaddr.compile(entries);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Where the panel is reached: links in mails (the "This wasn't me" lock link) start with it. */
  PUBLIC_URL: z
    .url()
    .default('http://localhost:3000')
    .transform((url) => url.replace(/\/+$/, '')),
  /** Comma-separated origins allowed to call the API from a browser; none by default. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),

  /**
   * Which hops may name the client in X-Forwarded-For (Express's `trust proxy`): the per-client
   * limits and the audit trail go by the address it yields. A number of hops, or a comma-separated
   * list of addresses, CIDR ranges and Express's names (`loopback`, `linklocal`, `uniquelocal`).
   * Never "everyone": a client could then name any address it likes and escape its limits.
   */
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((value, ctx) => {
      if (/^\d+$/.test(value.trim())) return Number(value.trim());
      const entries = value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
      const problem = /^(true|\*)$/i.test(value.trim())
        ? 'never everyone: a client could then name any address it likes'
        : trustedProxyList(entries);
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          message: `${problem} (a number of hops, or a comma-separated list of addresses, CIDR ranges, loopback, linklocal or uniquelocal)`,
        });
        return z.NEVER;
      }
      return entries;
    }),

  DATABASE_URL: optionalUrl,
  DATABASE_POOL_SIZE: positiveInt(10),

  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('connectprof-account'),
  TEMPORAL_UI_PORT: z.coerce.number().int().positive().default(8233),
  // A secured cluster (self-hosted with mTLS, or Temporal Cloud): any of these turns TLS on.
  /** The client certificate (PEM) for mTLS, with TEMPORAL_TLS_KEY its private key. */
  TEMPORAL_TLS_CERT: pemFile,
  TEMPORAL_TLS_KEY: pemFile,
  /** The CA (PEM) that signed the frontend's certificate; unset, the system's CAs are trusted. */
  TEMPORAL_TLS_CA: pemFile,
  /** The name the frontend's certificate is checked against, when it is not the host of TEMPORAL_ADDRESS. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** A Temporal Cloud API key, sent as a bearer token (over TLS). */
  TEMPORAL_API_KEY: z.string().min(1).optional(),

  // Worker sizing. The SDK sizes its sticky cache from the V8 heap limit (about 600 workflows per
  // GiB), not from what a process may hold: with thousands of sleeping flows that cache grew a
  // worker past 1 GiB. These bound it instead; see "Worker memory" in README.md.
  /** Workflows kept in memory between their tasks; the others replay from history when they wake. */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce
    .number()
    .int()
    .min(0)
    .default(250)
    .refine((value) => value === 0 || value >= 2, 'must be 0 (no cache) or at least 2'),
  /** Workflow tasks run at once: each is short, in one V8 context shared by all of them. */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).default(10),
  /** Activities (and local activities) run at once: each holds a database connection for its transaction. */
  WORKER_MAX_CONCURRENT_ACTIVITIES: positiveInt(20),
  // The longest the API waits on any one call to Temporal: past it the answer is 503 with
  // Retry-After rather than a request hanging on a frontend that does not answer.
  TEMPORAL_CALL_TIMEOUT: duration('5s'),

  SMTP_URL: optionalUrl,
  MAIL_FROM: z.string().min(3).default('ConnectProf <no-reply@connectprof.local>'),
  MAIL_POLL_INTERVAL: duration('1s'),
  MAIL_RETRY_MAX_BACKOFF: duration('5m'),

  EMAIL_CODE_TTL: duration('10m'),
  EMAIL_CODE_RESEND_COOLDOWN: duration('60s'),
  LOGIN_CHALLENGE_TTL: duration('5m'),
  TOTP_SETUP_TTL: duration('10m'),
  PASSWORD_MAX_AGE: duration('90d'),
  PASSWORD_REMINDERS: durationList('14d,7d,1d'),
  CLOSURE_GRACE_PERIOD: duration('30d'),
  SESSION_TTL: duration('12h'),
  PASSWORD_RESET_TTL: duration('15m'),
  // Rows per DELETE during a purge: large enough for throughput, small enough for short locks.
  PURGE_BATCH_SIZE: positiveInt(10_000),

  // Abuse limits, shared by every API process through PostgreSQL. Failed logins count per
  // account and per client address; every code entry counts, right or wrong.
  RATE_LIMIT_WINDOW: duration('15m'),
  RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: positiveInt(5),
  RATE_LIMIT_LOGIN_FAILURES_PER_IP: positiveInt(50),
  RATE_LIMIT_CODE_ATTEMPTS_PER_ACCOUNT: positiveInt(10),
  RATE_LIMIT_CODE_ATTEMPTS_PER_IP: positiveInt(50),
  // Each sign-up hashes a password (argon2, the costliest thing the API does) and mails an
  // address the caller chose: limited per client address, and in total so that many addresses
  // together cannot starve every other request of CPU.
  RATE_LIMIT_SIGNUPS_PER_IP: positiveInt(10),
  RATE_LIMIT_SIGNUPS_TOTAL: positiveInt(300),
  // Mails anyone can cause (codes, "someone tried your address") one address receives per window.
  RATE_LIMIT_MAILS_PER_ADDRESS: positiveInt(10),

  // OWASP Password Storage Cheat Sheet: argon2id with m=19 MiB, t=2, p=1 is the baseline.
  ARGON2_MEMORY_KIB: positiveInt(19_456),
  ARGON2_ITERATIONS: positiveInt(2),
  ARGON2_PARALLELISM: positiveInt(1),

  /**
   * Keys the service derives secrets from: HMAC of one-time codes and AES-GCM of TOTP secrets.
   * Required in production; development and tests fall back to a fixed, clearly unsafe key.
   */
  SECRET_KEY: key32,

  /**
   * Keys of the Temporal payload codec, `id:key` pairs (32-byte keys, hex or base64), comma
   * separated; CODEC_KEY_ID names the one new payloads use. Unset: one key derived from
   * SECRET_KEY, id `default`. Rotate by adding a key, switching CODEC_KEY_ID, keeping the old.
   */
  CODEC_KEYS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return undefined;
      const keys = new Map<string, Buffer>();
      for (const pair of value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)) {
        const [id, encoded] = pair.split(':');
        const bytes =
          encoded === undefined
            ? Buffer.alloc(0)
            : /^[0-9a-f]{64}$/i.test(encoded)
              ? Buffer.from(encoded, 'hex')
              : Buffer.from(encoded, 'base64');
        if (!id || bytes.length !== 32) {
          ctx.addIssue({ code: 'custom', message: `"${id ?? pair}": each entry must be id:key with a 32-byte key` });
          return z.NEVER;
        }
        keys.set(id, bytes);
      }
      return keys;
    }),
  CODEC_KEY_ID: z.string().min(1).optional(),
  /** Bearer token the Temporal UI sends to the codec endpoint (/codec/decode); the endpoint is off without it. */
  CODEC_AUTH_TOKEN: z.string().min(16).optional(),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  env: 'development' | 'test' | 'production';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  port: number;
  publicUrl: string;
  corsOrigins: string[];
  /** Express's `trust proxy`: hops, or addresses and ranges allowed to name the client. */
  trustProxy: number | string[];
  databaseUrl: string | undefined;
  databasePoolSize: number;
  temporal: {
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    uiPort: number;
    tls: TemporalTls | undefined;
    apiKey: string | undefined;
    callTimeoutMs: number;
  };
  worker: { maxCachedWorkflows: number; maxConcurrentWorkflowTasks: number; maxConcurrentActivities: number };
  mail: { smtpUrl: string | undefined; from: string; pollIntervalMs: number; retryMaxBackoffMs: number };
  durations: {
    emailCodeTtlMs: number;
    emailCodeResendCooldownMs: number;
    loginChallengeTtlMs: number;
    totpSetupTtlMs: number;
    passwordMaxAgeMs: number;
    passwordRemindersMs: number[];
    closureGracePeriodMs: number;
    sessionTtlMs: number;
    passwordResetTtlMs: number;
  };
  purgeBatchSize: number;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  rateLimits: {
    windowMs: number;
    loginFailuresPerAccount: number;
    loginFailuresPerIp: number;
    codeAttemptsPerAccount: number;
    codeAttemptsPerIp: number;
    signupsPerIp: number;
    signupsTotal: number;
    mailsPerAddress: number;
  };
  secretKey: Buffer;
  codec: {
    keys: Map<string, Buffer>;
    currentKeyId: string;
    authToken: string | undefined;
    /** Set only by `npm start` for the dev server it runs: that Web UI, on this machine, decodes without the token. */
    localUiOrigins: string[];
  };
}

// Never used in production (loadConfig refuses to start without SECRET_KEY there).
const DEVELOPMENT_SECRET_KEY = Buffer.alloc(32, 'connectprof-development-only-key');

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the configuration from the environment. A bad value stops start-up with a message that
 * names each variable and what is wrong with it.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as in most twelve-factor services.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  if (env.NODE_ENV === 'production' && env.SECRET_KEY === undefined) {
    throw new ConfigError('Invalid configuration:\n  SECRET_KEY: required when NODE_ENV=production');
  }
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    port: env.PORT,
    publicUrl: env.PUBLIC_URL,
    corsOrigins: env.CORS_ORIGINS,
    trustProxy: env.TRUST_PROXY,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      uiPort: env.TEMPORAL_UI_PORT,
      tls: temporalTls(env),
      apiKey: env.TEMPORAL_API_KEY,
      callTimeoutMs: env.TEMPORAL_CALL_TIMEOUT,
    },
    worker: {
      maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTasks: env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxConcurrentActivities: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
    },
    mail: {
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM,
      pollIntervalMs: env.MAIL_POLL_INTERVAL,
      retryMaxBackoffMs: env.MAIL_RETRY_MAX_BACKOFF,
    },
    durations: {
      emailCodeTtlMs: env.EMAIL_CODE_TTL,
      emailCodeResendCooldownMs: env.EMAIL_CODE_RESEND_COOLDOWN,
      loginChallengeTtlMs: env.LOGIN_CHALLENGE_TTL,
      totpSetupTtlMs: env.TOTP_SETUP_TTL,
      passwordMaxAgeMs: env.PASSWORD_MAX_AGE,
      passwordRemindersMs: env.PASSWORD_REMINDERS,
      closureGracePeriodMs: env.CLOSURE_GRACE_PERIOD,
      sessionTtlMs: env.SESSION_TTL,
      passwordResetTtlMs: env.PASSWORD_RESET_TTL,
    },
    purgeBatchSize: env.PURGE_BATCH_SIZE,
    argon2: {
      memoryCost: env.ARGON2_MEMORY_KIB,
      timeCost: env.ARGON2_ITERATIONS,
      parallelism: env.ARGON2_PARALLELISM,
    },
    rateLimits: {
      windowMs: env.RATE_LIMIT_WINDOW,
      loginFailuresPerAccount: env.RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT,
      loginFailuresPerIp: env.RATE_LIMIT_LOGIN_FAILURES_PER_IP,
      codeAttemptsPerAccount: env.RATE_LIMIT_CODE_ATTEMPTS_PER_ACCOUNT,
      codeAttemptsPerIp: env.RATE_LIMIT_CODE_ATTEMPTS_PER_IP,
      signupsPerIp: env.RATE_LIMIT_SIGNUPS_PER_IP,
      signupsTotal: env.RATE_LIMIT_SIGNUPS_TOTAL,
      mailsPerAddress: env.RATE_LIMIT_MAILS_PER_ADDRESS,
    },
    secretKey: env.SECRET_KEY ?? DEVELOPMENT_SECRET_KEY,
    codec: codecConfig(
      env.CODEC_KEYS,
      env.CODEC_KEY_ID,
      env.SECRET_KEY ?? DEVELOPMENT_SECRET_KEY,
      env.CODEC_AUTH_TOKEN,
    ),
  };
}

/** TLS to the Temporal frontend, with the files it came from (start-up errors name them). */
export interface TemporalTls {
  client: { cert: Buffer; key: Buffer; certPath: string } | undefined;
  ca: { pem: Buffer; path: string } | undefined;
  serverName: string | undefined;
}

function temporalTls(env: z.output<typeof envSchema>): TemporalTls | undefined {
  const { TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_CA: ca } = env;
  if ((cert === undefined) !== (key === undefined)) {
    throw new ConfigError(
      'Invalid configuration:\n  TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY: set both (the client certificate and its key) or neither',
    );
  }
  // An API key travels as a bearer token: Temporal Cloud takes it only over TLS.
  if (
    cert === undefined &&
    ca === undefined &&
    env.TEMPORAL_TLS_SERVER_NAME === undefined &&
    env.TEMPORAL_API_KEY === undefined
  )
    return undefined;
  return {
    client: cert && key ? { cert: cert.pem, key: key.pem, certPath: cert.path } : undefined,
    ca: ca ? { pem: ca.pem, path: ca.path } : undefined,
    serverName: env.TEMPORAL_TLS_SERVER_NAME,
  };
}

function codecConfig(
  keys: Map<string, Buffer> | undefined,
  keyId: string | undefined,
  secretKey: Buffer,
  authToken: string | undefined,
): Config['codec'] {
  if (keys === undefined) {
    const derived = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'connectprof:temporal-payloads', 32));
    return { keys: new Map([['default', derived]]), currentKeyId: 'default', authToken, localUiOrigins: [] };
  }
  const currentKeyId = keyId ?? [...keys.keys()].at(-1)!;
  if (!keys.has(currentKeyId))
    throw new ConfigError(`Invalid configuration:\n  CODEC_KEY_ID: no key "${currentKeyId}" in CODEC_KEYS`);
  return { keys, currentKeyId, authToken, localUiOrigins: [] };
}
