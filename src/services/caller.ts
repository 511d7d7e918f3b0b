import type { SessionAccount } from '../db/repositories/sessions';

/**
 * Who is asking: the session, its roles, and the account as read with the session at the
 * request's start. The API resolves it from the bearer token; services take it as given.
 */
export type Auth = SessionAccount;
