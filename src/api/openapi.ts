import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { languageSchema } from '../domain/language';
import { profilePatchSchema } from '../domain/profile';
import { SESSION_TRANSPORT_HEADER } from './browser/session-cookie';
import { PROBLEM_TYPES, type ProblemCode } from './errors';
import { closureBody } from './routes/closure';
import { codecBody } from './routes/codec';
import { integrationBody, integrationParams } from './routes/integrations';
import { passwordChangeBody } from './routes/password';
import { exportBody } from './routes/data-export';
import { lockBody } from './routes/lock';
import { passwordResetBody, passwordResetConfirmBody } from './routes/password-reset';
import { sessionParams } from './routes/sessions';
import { accountParams, holdBody } from './routes/support';
import {
  merchantLookupQuery,
  supportQueueQuery,
  supportRequestChangeBody,
  supportRequestParams,
} from './routes/support-desk';
import { SUPPORT_REQUEST_STATUSES } from '../domain/support-request-status';
import { disableTwoFactorBody, recoveryCodesBody } from './routes/two-factor';
import {
  codeBody,
  emailChangeBody,
  loginBody,
  loginVerifyBody,
  pageQuery,
  registerBody,
  supportRequestBody,
} from './schemas';

// Adds .openapi() to zod's prototype, so schemas built anywhere can be registered.
extendZodWithOpenApi(z);

// The contract, generated from the same zod schemas the routes parse with. A test walks the
// Express router and fails when a route is missing here.

const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(PROBLEM_TYPES) as [ProblemCode, ...ProblemCode[]]),
    requestId: z.string(),
    errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem', description: 'RFC 9457 problem details; `code` is stable, `errors` lists field errors' });

const timestamp = z.string().meta({ format: 'date-time' });
const account = z
  .object({
    id: z.uuid(),
    email: z.string(),
    emailVerified: z.boolean(),
    pendingEmail: z.string().nullable(),
    fullName: z.string().nullable(),
    tradeName: z.string().nullable(),
    country: z.string().nullable(),
    city: z.string().nullable(),
    dateOfBirth: z.string().nullable(),
    phone: z.string().nullable(),
    status: z.enum(['active', 'closed']),
    roles: z.array(z.string()),
    twoFactor: z.object({ method: z.enum(['totp', 'email']).nullable(), recoveryCodesLeft: z.number().int().min(0) }),
    passwordChangedAt: timestamp,
    passwordExpiresAt: timestamp,
    language: languageSchema.meta({ description: 'The language of the panel and of every mail' }),
    createdAt: timestamp,
  })
  .meta({ id: 'Account' });
const integration = z
  .object({
    id: z.uuid(),
    marketplace: z.string(),
    name: z.string(),
    active: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Integration' });
// With `X-Session-Transport: cookie` (the web panel) the token is set as an HttpOnly cookie
// instead, and left out of the body.
const sessionToken = z
  .string()
  .optional()
  .meta({ description: 'The bearer token; absent when it was set as the session cookie' });
const loginResult = z
  .union([
    z.object({
      status: z.literal('authenticated'),
      token: sessionToken,
      expiresAt: timestamp,
      reactivated: z.boolean().optional(),
    }),
    z.object({ status: z.literal('mfa_required'), challengeId: z.uuid(), method: z.enum(['totp', 'email']) }),
    z.object({ status: z.literal('password_expired'), token: sessionToken, expiresAt: timestamp }),
  ])
  .meta({ id: 'LoginResult' });
const pending = z.object({ status: z.string(), detail: z.string().optional() });
const recoveryCodes = z.object({ recoveryCodes: z.array(z.string()).length(10) });
const supportRequest = z
  .object({
    id: z.uuid(),
    subject: z.string(),
    message: z.string(),
    status: z.enum(SUPPORT_REQUEST_STATUSES),
    createdAt: timestamp,
    replies: z.array(z.object({ message: z.string(), createdAt: timestamp })),
  })
  .meta({ id: 'SupportRequest' });
const closureState = z.enum(['closing', 'grace', 'held', 'purging', 'purged', 'reactivated']);
const merchantContact = account
  .pick({
    id: true,
    email: true,
    fullName: true,
    tradeName: true,
    phone: true,
    country: true,
    city: true,
    status: true,
    createdAt: true,
  })
  .meta({ id: 'MerchantContact', description: 'What a support agent needs to reach the merchant' });
const supportSummary = merchantContact
  .extend({ closure: z.object({ state: closureState, purgeAt: timestamp, holds: z.array(z.string()) }).optional() })
  .meta({ id: 'SupportSummary', description: '`closure` is there while the account’s closure flow runs' });
const queueItem = supportRequest.extend({ merchant: merchantContact }).meta({ id: 'SupportQueueItem' });
const auditEvent = z.object({
  id: z.string(),
  type: z.string(),
  at: timestamp,
  /** Who acted: the merchant, a support agent, or the service itself (closure, purge); ip and userAgent are the merchant's own only. */
  actor: z.enum(['self', 'support', 'system']),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
const session = z
  .object({
    id: z.uuid(),
    current: z.boolean(),
    createdAt: timestamp,
    lastSeenAt: timestamp,
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
  })
  .meta({ id: 'Session' });
const milliseconds = z.number().int().positive();
const policies = z
  .object({
    passwordMaxAgeMs: milliseconds.meta({
      description: 'A password must be renewed this long after it was set (PASSWORD_MAX_AGE)',
    }),
    closureGracePeriodMs: milliseconds.meta({
      description:
        'A closed account is purged this long after closure unless a login reactivates it (CLOSURE_GRACE_PERIOD)',
    }),
    lockLinkValidMs: milliseconds.meta({
      description: 'How long a security mail\'s "This wasn\'t me" link stays valid',
    }),
    emailCodeValidMs: milliseconds.meta({
      description: 'How long a mailed code that verifies an e-mail address stays valid (EMAIL_CODE_TTL)',
    }),
  })
  .meta({ id: 'Policies' });
const counts = z.object({ integrations: z.number().int(), products: z.number().int(), orders: z.number().int() });
const closureStatus = z.object({
  accountId: z.uuid(),
  state: closureState,
  closedAt: timestamp,
  purgeAt: timestamp,
  holds: z.array(z.string()),
  purged: counts,
});
const catalogueRow = z.object({
  id: z.string(),
  integrationId: z.string().nullable(),
  reference: z.string(),
  title: z.string(),
  amountCents: z.number(),
  createdAt: timestamp,
});
const accountExport = z.object({
  account: z.object({
    id: z.uuid(),
    status: z.enum(['active', 'closed']),
    closedAt: timestamp.nullable(),
    purgeAt: timestamp.nullable(),
  }),
  integrations: z.array(integration),
  products: z.array(catalogueRow),
  orders: z.array(catalogueRow),
});
const ownExport = z
  .object({
    format: z.literal('connectprof-account-export'),
    version: z.literal(1),
    exportedAt: timestamp,
    profile: account,
    integrations: z.array(integration),
    products: z.array(catalogueRow),
    orders: z.array(catalogueRow),
    supportRequests: z.array(supportRequest),
    auditTrail: z.array(auditEvent),
  })
  .meta({
    id: 'AccountExport',
    description:
      'Version 1 of the merchant’s own export; fields are only added within a version. Streamed as an attachment.',
  });

interface RouteSpec {
  method: RouteConfig['method'];
  path: string;
  summary: string;
  tag: string;
  auth?: 'session' | 'support';
  body?: z.ZodType;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  /** Success status → body schema (null: no body). */
  success: Record<number, z.ZodType | null>;
  /** Problem codes the route can answer, besides the ones every route can. */
  errors?: ProblemCode[];
}

const sessionTransport = z.object({
  [SESSION_TRANSPORT_HEADER]: z.enum(['cookie']).optional().meta({
    description:
      'cookie: the session goes into an HttpOnly, SameSite=Strict cookie (the web panel) instead of the body',
  }),
});

const ROUTES: RouteSpec[] = [
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness',
    tag: 'Operations',
    success: { 200: z.object({ status: z.literal('ok') }) },
  },
  {
    method: 'get',
    path: '/v1/policies',
    summary: 'The configured periods the panel states (password renewal, closure grace period, lock link)',
    tag: 'Operations',
    success: { 200: policies },
  },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: PostgreSQL and Temporal reachable',
    tag: 'Operations',
    success: { 200: z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.string()) }) },
    errors: ['service_unavailable'],
  },
  {
    method: 'post',
    path: '/v1/auth/register',
    summary:
      "Sign up; a verification code is mailed (the account's language follows Accept-Language: tr when Turkish is the best match, else en)",
    tag: 'Auth',
    body: registerBody,
    success: { 201: pending },
    errors: ['validation_failed', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/v1/auth/login',
    summary: 'Log in with email and password',
    tag: 'Auth',
    body: loginBody,
    headers: sessionTransport,
    success: { 200: loginResult },
    errors: ['validation_failed', 'invalid_credentials', 'account_locked', 'rate_limited', 'forbidden'],
  },
  {
    method: 'post',
    path: '/v1/auth/login/verify',
    summary: 'Complete a login with the second factor',
    tag: 'Auth',
    body: loginVerifyBody,
    headers: sessionTransport,
    success: { 200: loginResult },
    errors: [
      'validation_failed',
      'code_invalid',
      'code_expired',
      'login_challenge_revoked',
      'rate_limited',
      'invalid_credentials',
      'account_locked',
      'forbidden',
    ],
  },
  {
    method: 'post',
    path: '/v1/auth/password-reset',
    summary: 'Forgot password: mails a code (the same 202 whatever the address)',
    tag: 'Auth',
    body: passwordResetBody,
    success: { 202: pending },
    errors: ['validation_failed', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/v1/auth/password-reset/confirm',
    summary: 'Set a new password with the mailed code; every session is revoked',
    tag: 'Auth',
    body: passwordResetConfirmBody,
    success: { 204: null },
    errors: ['validation_failed', 'code_invalid', 'code_expired', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/v1/auth/lock',
    summary:
      "This wasn't me: lock the account with a security mail's token (sessions revoked, a recent email change reverted, a password reset required)",
    tag: 'Auth',
    body: lockBody,
    success: { 200: pending },
    errors: ['validation_failed', 'link_expired'],
  },
  {
    method: 'post',
    path: '/v1/auth/logout',
    summary: 'End this session',
    tag: 'Auth',
    auth: 'session',
    success: { 204: null },
  },
  {
    method: 'get',
    path: '/v1/account',
    summary: 'The account',
    tag: 'Account',
    auth: 'session',
    success: { 200: account },
  },
  {
    method: 'patch',
    path: '/v1/account',
    summary: 'Update the profile',
    tag: 'Account',
    auth: 'session',
    body: profilePatchSchema(),
    success: { 200: account },
    errors: ['validation_failed'],
  },
  {
    method: 'post',
    path: '/v1/account/email',
    summary: 'Change the email (verified before it takes effect)',
    tag: 'Account',
    auth: 'session',
    body: emailChangeBody,
    success: { 202: pending },
    errors: ['validation_failed', 'invalid_credentials', 'conflict', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/v1/account/email/verify',
    summary: 'Enter the mailed code',
    tag: 'Account',
    auth: 'session',
    body: codeBody,
    success: { 200: account },
    errors: ['validation_failed', 'code_invalid', 'code_expired', 'email_taken', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/v1/account/email/resend',
    summary: 'Mail a new code',
    tag: 'Account',
    auth: 'session',
    success: { 202: pending },
    errors: ['rate_limited', 'conflict'],
  },
  {
    method: 'get',
    path: '/v1/account/events',
    summary: 'The audit trail, newest first',
    tag: 'Account',
    auth: 'session',
    query: pageQuery,
    success: { 200: z.object({ items: z.array(auditEvent), nextCursor: z.string().nullable() }) },
    errors: ['validation_failed'],
  },
  {
    method: 'get',
    path: '/v1/account/data',
    summary: 'What a closure would purge',
    tag: 'Account',
    auth: 'session',
    success: { 200: counts },
  },
  {
    method: 'get',
    path: '/v1/account/sessions',
    summary: 'The live sessions of the account, the current one marked',
    tag: 'Sessions',
    auth: 'session',
    success: { 200: z.object({ items: z.array(session) }) },
  },
  {
    method: 'delete',
    path: '/v1/account/sessions',
    summary: 'End every session but this one',
    tag: 'Sessions',
    auth: 'session',
    success: { 204: null },
  },
  {
    method: 'delete',
    path: '/v1/account/sessions/{id}',
    summary: 'End one session of the account (404 for any id not a live session of it)',
    tag: 'Sessions',
    auth: 'session',
    params: sessionParams,
    success: { 204: null },
    errors: ['not_found'],
  },
  {
    method: 'post',
    path: '/v1/account/export',
    summary:
      'Your own data (profile, integrations, products, orders, support requests, audit trail) as a streamed JSON attachment; needs the password',
    tag: 'Account',
    auth: 'session',
    body: exportBody,
    success: { 200: ownExport },
    errors: ['validation_failed', 'invalid_credentials', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/v1/account/password',
    summary: 'Change the password',
    tag: 'Password',
    auth: 'session',
    body: passwordChangeBody,
    success: { 204: null },
    errors: ['validation_failed', 'invalid_credentials', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/v1/account/2fa/totp',
    summary: 'Start a Google Authenticator setup',
    tag: 'Two-factor',
    auth: 'session',
    success: {
      200: z.object({ otpauthUri: z.string(), secret: z.string(), qrCode: z.string(), expiresAt: timestamp }),
    },
    errors: ['two_factor_conflict'],
  },
  {
    method: 'post',
    path: '/v1/account/2fa/totp/confirm',
    summary: 'Confirm the setup with a code',
    tag: 'Two-factor',
    auth: 'session',
    body: codeBody,
    success: { 200: recoveryCodes },
    errors: ['validation_failed', 'code_invalid', 'code_expired', 'two_factor_conflict', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/v1/account/2fa/email',
    summary: 'Start mail authentication',
    tag: 'Two-factor',
    auth: 'session',
    success: { 202: pending },
    errors: ['two_factor_conflict', 'conflict', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/v1/account/2fa/email/confirm',
    summary: 'Confirm mail authentication with the mailed code',
    tag: 'Two-factor',
    auth: 'session',
    body: codeBody,
    success: { 200: recoveryCodes },
    errors: ['validation_failed', 'code_invalid', 'code_expired', 'two_factor_conflict', 'rate_limited'],
  },
  {
    method: 'delete',
    path: '/v1/account/2fa',
    summary: 'Turn two-factor off (password and a code; mail authentication mails the code first)',
    tag: 'Two-factor',
    auth: 'session',
    body: disableTwoFactorBody,
    success: { 200: z.object({ twoFactor: z.object({ method: z.null() }) }), 202: pending },
    errors: ['validation_failed', 'invalid_credentials', 'code_invalid', 'code_expired', 'conflict', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/v1/account/2fa/recovery-codes',
    summary:
      'Replace the recovery codes (password and a second factor; mail authentication mails the code first): 10 new, the old ones dead',
    tag: 'Two-factor',
    auth: 'session',
    body: recoveryCodesBody,
    success: { 200: recoveryCodes },
    errors: ['validation_failed', 'invalid_credentials', 'code_invalid', 'code_expired', 'conflict', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/v1/account/closure',
    summary: 'Close the account',
    tag: 'Closure',
    auth: 'session',
    body: closureBody,
    success: { 202: z.object({ purgeAt: timestamp }) },
    errors: ['validation_failed', 'invalid_credentials', 'code_invalid', 'code_expired', 'rate_limited'],
  },
  {
    method: 'get',
    path: '/v1/integrations',
    summary: 'The integrations',
    tag: 'Integrations',
    auth: 'session',
    success: { 200: z.object({ items: z.array(integration) }) },
  },
  {
    method: 'post',
    path: '/v1/integrations',
    summary: 'Add an integration',
    tag: 'Integrations',
    auth: 'session',
    body: integrationBody,
    success: { 201: integration },
    errors: ['validation_failed'],
  },
  {
    method: 'post',
    path: '/v1/integrations/{id}/activate',
    summary: 'Turn an integration on',
    tag: 'Integrations',
    auth: 'session',
    params: integrationParams,
    success: { 200: integration },
    errors: ['validation_failed', 'not_found'],
  },
  {
    method: 'post',
    path: '/v1/integrations/{id}/deactivate',
    summary: 'Turn an integration off',
    tag: 'Integrations',
    auth: 'session',
    params: integrationParams,
    success: { 200: integration },
    errors: ['validation_failed', 'not_found'],
  },
  {
    method: 'get',
    path: '/v1/support-requests',
    summary: 'The merchant’s support requests',
    tag: 'Support requests',
    auth: 'session',
    success: { 200: z.object({ items: z.array(supportRequest) }) },
  },
  {
    method: 'post',
    path: '/v1/support-requests',
    summary: 'Open a support request (needs complete account information)',
    tag: 'Support requests',
    auth: 'session',
    body: supportRequestBody,
    success: { 201: supportRequest },
    errors: ['validation_failed', 'account_incomplete'],
  },
  {
    method: 'get',
    path: '/v1/support/accounts',
    summary: 'Find a merchant by email (exact match on the whole address)',
    tag: 'Support',
    auth: 'support',
    query: merchantLookupQuery,
    success: { 200: z.object({ items: z.array(supportSummary).max(1) }) },
    errors: ['validation_failed'],
  },
  {
    method: 'get',
    path: '/v1/support/requests',
    summary: 'The support queue, oldest first, with each merchant’s contact details',
    tag: 'Support',
    auth: 'support',
    query: supportQueueQuery,
    success: { 200: z.object({ items: z.array(queueItem), nextCursor: z.string().nullable() }) },
    errors: ['validation_failed'],
  },
  {
    method: 'patch',
    path: '/v1/support/requests/{id}',
    summary: 'Move a request forward (open → in_progress → resolved) and reply; the reply is mailed to the merchant',
    tag: 'Support',
    auth: 'support',
    params: supportRequestParams,
    body: supportRequestChangeBody,
    success: { 200: queueItem },
    errors: ['validation_failed', 'invalid_status_transition', 'not_found'],
  },
  {
    method: 'post',
    path: '/v1/support/accounts/{id}/recovery-hold',
    summary: 'Place a data-recovery hold on a closing account',
    tag: 'Support',
    auth: 'support',
    params: accountParams,
    body: holdBody,
    success: { 201: z.object({ holdId: z.uuid() }) },
    errors: ['validation_failed', 'conflict'],
  },
  {
    method: 'delete',
    path: '/v1/support/accounts/{id}/recovery-hold',
    summary: 'Release the holds',
    tag: 'Support',
    auth: 'support',
    params: accountParams,
    body: holdBody,
    success: { 200: z.object({ released: z.number().int() }) },
    errors: ['validation_failed', 'conflict'],
  },
  {
    method: 'get',
    path: '/v1/support/accounts/{id}/closure',
    summary: 'The closure flow’s state',
    tag: 'Support',
    auth: 'support',
    params: accountParams,
    success: { 200: closureStatus },
    errors: ['validation_failed', 'not_found'],
  },
  {
    method: 'get',
    path: '/v1/support/accounts/{id}/export',
    summary: 'A closed account’s data, until its purge begins (audited)',
    tag: 'Support',
    auth: 'support',
    params: accountParams,
    success: { 200: accountExport },
    errors: ['validation_failed', 'not_found', 'conflict'],
  },
  {
    method: 'post',
    path: '/codec/decode',
    summary: 'Temporal UI codec: decrypt payloads (operator token; only when CODEC_AUTH_TOKEN is set)',
    tag: 'Operations',
    body: codecBody,
    success: { 200: codecBody },
    errors: ['validation_failed', 'unauthenticated'],
  },
  {
    method: 'post',
    path: '/codec/encode',
    summary: 'Temporal UI codec: encrypt payloads (operator token; only when CODEC_AUTH_TOKEN is set)',
    tag: 'Operations',
    body: codecBody,
    success: { 200: codecBody },
    errors: ['validation_failed', 'unauthenticated'],
  },
];

/** Problems any route can answer: a bad body, an unexpected failure, a dependency down. */
const ALWAYS: ProblemCode[] = [
  'malformed_json',
  'payload_too_large',
  'unsupported_media_type',
  'internal_error',
  'service_unavailable',
];
// forbidden: a write authenticated by the session cookie that came from another site.
const AUTHENTICATED: ProblemCode[] = ['unauthenticated', 'password_expired', 'forbidden'];

export function buildOpenApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.register('Problem', problem);
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

  for (const route of ROUTES) {
    const codes = [
      ...new Set([
        ...(route.errors ?? []),
        ...ALWAYS,
        ...(route.auth ? AUTHENTICATED : []),
        ...(route.auth === 'support' ? (['forbidden'] as const) : []),
      ]),
    ];
    const byStatus = new Map<number, ProblemCode[]>();
    for (const code of codes)
      byStatus.set(PROBLEM_TYPES[code].status, [...(byStatus.get(PROBLEM_TYPES[code].status) ?? []), code]);
    const responses: RouteConfig['responses'] = {};
    for (const [status, schema] of Object.entries(route.success)) {
      responses[status] = schema
        ? { description: 'Success', content: { 'application/json': { schema } } }
        : { description: 'Success, no content' };
    }
    for (const [status, statusCodes] of byStatus) {
      responses[status] = {
        description: `Problem: ${statusCodes.join(', ')}`,
        ...(status === 429 && {
          headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
        }),
        content: { 'application/problem+json': { schema: problem } },
      };
    }
    registry.registerPath({
      method: route.method,
      path: route.path,
      summary: route.summary,
      tags: [route.tag],
      ...(route.auth && { security: [{ [bearer.name]: [] }] }),
      request: {
        ...(route.body && { body: { required: true, content: { 'application/json': { schema: route.body } } } }),
        ...(route.params && { params: route.params }),
        ...(route.query && { query: route.query }),
        ...(route.headers && { headers: route.headers }),
      },
      responses,
    });
  }

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'ConnectProf account service',
      version: '1.0.0',
      description:
        'The back end of Settings › Edit My Account. Errors are application/problem+json (RFC 9457) with a stable `code`.',
    },
    servers: [{ url: '/' }],
  });
}
