import { createContext, type ReactNode, startTransition, useCallback, useContext, useEffect, useState } from 'react';
import { type Account, api } from './api/client';
import { isLanguage, setLanguage } from './i18n';

interface Session {
  /** undefined while loading; null when signed out. */
  account: Account | null | undefined;
  /** Reads the account again (after sign-in, or a change elsewhere). */
  refresh(): Promise<Account | null>;
  setAccount(account: Account | null): void;
}

const SessionContext = createContext<Session | undefined>(undefined);

async function readAccount(): Promise<Account | null> {
  const { data } = await api.GET('/v1/account');
  return data ?? null;
}

// The first read starts as this script runs, alongside the page's own chunk, rather than after
// the first render.
let firstRead: Promise<Account | null> | undefined = readAccount();

/**
 * Who is signed in. The session itself lives in an HttpOnly cookie this script cannot read, so
 * the account is what tells: a 401 means signed out.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [account, setAccountState] = useState<Account | null | undefined>(undefined);

  const setAccount = useCallback((next: Account | null) => {
    setAccountState(next);
    // Signed in, the account's own language wins (mails follow it too).
    if (next && isLanguage(next.language)) void setLanguage(next.language);
  }, []);

  const refresh = useCallback(async () => {
    const account = await readAccount();
    setAccount(account);
    return account;
  }, [setAccount]);

  useEffect(() => {
    const read = firstRead ?? readAccount();
    firstRead = undefined;
    // The whole page renders when the account arrives: as a transition React renders it in
    // slices and the main thread stays free for input (Lighthouse's Total Blocking Time).
    void read.then((account) => startTransition(() => setAccount(account)));
  }, [setAccount]);

  return <SessionContext.Provider value={{ account, refresh, setAccount }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in account, on pages behind RequireAccount. */
export function useAccount(): Account {
  const { account } = useSession();
  if (!account) throw new Error('useAccount on a page without an account');
  return account;
}

/** Agents of the support team see the desk; the API checks the same role on every desk call. */
export function isSupportAgent(account: Account): boolean {
  return account.roles.includes('support');
}
