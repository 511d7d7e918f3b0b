import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordResetDecoyKey } from '../../src/db/repositories/password-reset-decoys';
import { emailRateLimitKey } from '../../src/domain/rate-limit-keys';
import { accountClosureWorkflowId } from '../../src/shared/workflow-ids';
import { COMPLETE_PROFILE, signUp, uniqueEmail } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';
import { until } from '../helpers/wait';

let stack: TestStack;
beforeAll(async () => {
  // The purge follows the closure after a second, on the dev server.
  stack = await startStack({ env: { CLOSURE_GRACE_PERIOD: '1s' } });
});
afterAll(() => stack?.stop());

/** Every public table and column that can hold text, as PostgreSQL lists them. */
async function textColumns(): Promise<Array<{ table: string; column: string }>> {
  const { rows } = await sql<{ table: string; column: string }>`
    select table_name as table, column_name as column from information_schema.columns
    where table_schema = 'public' and table_name not like 'kysely_%'
      and data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY')
    order by table_name, column_name`.execute(stack.database.db);
  return rows;
}

/** Where `needle` still appears, as `table.column`, in any row of any table. */
async function whereFound(needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const { table, column } of await textColumns()) {
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from ${sql.table(table)} where strpos(lower(${sql.ref(column)}::text), lower(${needle})) > 0`.execute(
      stack.database.db,
    );
    if (Number(rows[0]!.n) > 0) found.push(`${table}.${column}`);
  }
  return found;
}

describe('after a purge', () => {
  it('when an account with a profile, a pending email change, a support request, a password-reset request, failed logins and password-reset decoys left before its addresses were registered is purged, then no table holds its addresses, names, phone, user agent or address hashes', async () => {
    const marker = randomBytes(4).toString('hex');
    const email = uniqueEmail(`merchant${marker}`);
    const pendingEmail = uniqueEmail(`pending${marker}`);
    // Both addresses asked for a reset while no account had them: each left a decoy, alive still.
    for (const address of [email, pendingEmail])
      expect((await stack.http.post('/v1/auth/password-reset', { email: address })).status).toBe(202);
    const decoyKeys = [email, pendingEmail].map((address) => passwordResetDecoyKey(stack.config.secretKey, address));
    await until(
      async () =>
        (
          await stack.database.db
            .selectFrom('password_reset_decoys')
            .select('address_key')
            .where('address_key', 'in', decoyKeys)
            .execute()
        ).length === 2,
    );
    const merchant = await signUp(stack, { verify: true, email });
    const profile = {
      ...COMPLETE_PROFILE,
      fullName: `Ayşe Purge${marker}`,
      tradeName: `Tekstil${marker} Ltd.`,
      phone: `+90 212 555 ${String(parseInt(marker.slice(0, 4), 16) % 10_000).padStart(4, '0')}`,
    };
    const saved = await stack.http.patch('/v1/account', profile, merchant.token);
    expect(saved.status).toBe(200);
    const userAgent = `PurgeTest/${marker}`;
    const headers = { 'user-agent': userAgent };
    const wrong = await stack.http.request('POST', '/v1/auth/login', {
      body: { email: merchant.email, password: 'Wr0ng!Pass' },
      headers,
    });
    expect(wrong.status).toBe(401);
    const login = await stack.http.request('POST', '/v1/auth/login', {
      body: { email: merchant.email, password: merchant.password },
      headers,
    });
    const token = login.body.token as string;
    expect(
      (
        await stack.http.post(
          '/v1/support-requests',
          { subject: `Help ${marker}`, message: `Call me on ${saved.body.phone}` },
          token,
        )
      ).status,
    ).toBe(201);
    // A forgotten-password request counts against the address's code-entry limit, under its hash.
    expect((await stack.http.post('/v1/auth/password-reset', { email: merchant.email })).status).toBe(202);
    expect(
      (await stack.http.post('/v1/account/email', { email: pendingEmail, password: merchant.password }, token)).status,
    ).toBe(202);

    const closure = await stack.http.request('POST', '/v1/account/closure', {
      body: { password: merchant.password, acknowledgeWarnings: true, deleteAllData: true },
      token,
      headers,
    });
    expect(closure.status).toBe(202);
    expect(await stack.temporal.workflow.getHandle(accountClosureWorkflowId(merchant.accountId)).result()).toBe(
      'purged',
    );
    // The goodbye is the last mail; once it is out, nothing is left to send to the account.
    await stack.smtp.waitFor((mail) => mail.to === merchant.email && /has been deleted/.test(mail.subject));
    await until(async () => {
      const goodbye = await stack.database.db
        .selectFrom('mail_outbox')
        .select('sent_at')
        .where('idempotency_key', '=', `account-purged:${merchant.accountId}`)
        .executeTakeFirst();
      return goodbye?.sent_at != null;
    });

    const personal = {
      email: merchant.email,
      pendingEmail,
      fullName: profile.fullName,
      tradeName: profile.tradeName,
      phone: saved.body.phone as string,
      userAgent,
      emailHash: emailRateLimitKey(merchant.email),
      pendingEmailHash: emailRateLimitKey(pendingEmail),
      emailDecoyKey: decoyKeys[0]!,
      pendingEmailDecoyKey: decoyKeys[1]!,
    };
    const left: Record<string, string[]> = {};
    for (const [what, needle] of Object.entries(personal)) {
      const found = await whereFound(needle);
      if (found.length > 0) left[what] = found;
    }
    expect(left).toEqual({});
    // The trail keeps what happened, without who it was.
    const trail = await stack.database.db
      .selectFrom('audit_events')
      .select('type')
      .where('account_id', '=', merchant.accountId)
      .execute();
    expect(trail.map((event) => event.type)).toEqual(
      expect.arrayContaining(['signup', 'login_failed', 'account_closed', 'account_purged']),
    );
  });
});
