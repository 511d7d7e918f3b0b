import type { ComponentType, ReactNode } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { Loading } from './components/Messages';
import { Layout, LayoutLoading } from './Layout';
import { SignIn } from './pages/SignIn';
import { SessionProvider, useSession } from './session';

/** Pages for a signed-in merchant; anyone else goes to Sign in. */
function RequireAccount({ children }: { children: ReactNode }) {
  const { account } = useSession();
  if (account === undefined) return <Loading />;
  if (account === null) return <Navigate to="/sign-in" replace />;
  return children;
}

function Home() {
  const { account } = useSession();
  if (account === undefined) return <Loading />;
  return <Navigate to={account ? '/settings/account' : '/sign-in'} replace />;
}

/**
 * A page in a chunk of its own: the router fetches it the first time its path matches (on the
 * first load, alongside the session read), so the first page load carries only the sign-in page
 * and not, say, Edit My Account's validation (zod, libphonenumber-js). A new page follows the
 * same pattern: `lazy: page(() => import('./pages/X'), 'X')`, with `{ signedIn: true }` to put
 * it behind RequireAccount.
 */
function page<K extends string, M extends Record<K, ComponentType>>(
  load: () => Promise<M>,
  name: K,
  { signedIn = false } = {},
) {
  return async () => {
    const Page: ComponentType = (await load())[name];
    return {
      element: signedIn ? (
        <RequireAccount>
          <Page />
        </RequireAccount>
      ) : (
        <Page />
      ),
    };
  };
}

const router = createBrowserRouter([
  {
    element: <Layout />,
    HydrateFallback: LayoutLoading,
    children: [
      { path: '/', element: <Home /> },
      { path: '/sign-in', element: <SignIn /> },
      { path: '/sign-up', lazy: page(() => import('./pages/SignUp'), 'SignUp') },
      { path: '/password-expired', lazy: page(() => import('./pages/PasswordExpired'), 'PasswordExpired') },
      { path: '/password-reset', lazy: page(() => import('./pages/PasswordReset'), 'PasswordReset') },
      { path: '/closed', lazy: page(() => import('./pages/Closed'), 'Closed') },
      { path: '/lock', lazy: page(() => import('./pages/Lock'), 'Lock') },
      { path: '/verify-email', lazy: page(() => import('./pages/VerifyEmail'), 'VerifyEmail', { signedIn: true }) },
      { path: '/settings/account', lazy: page(() => import('./pages/EditAccount'), 'EditAccount', { signedIn: true }) },
      { path: '/integrations', lazy: page(() => import('./pages/Integrations'), 'Integrations', { signedIn: true }) },
      { path: '/support', lazy: page(() => import('./pages/Support'), 'Support', { signedIn: true }) },
      { path: '/support-desk', lazy: page(() => import('./pages/SupportDesk'), 'SupportDesk', { signedIn: true }) },
      { path: '/activity', lazy: page(() => import('./pages/Activity'), 'Activity', { signedIn: true }) },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
]);

export function App() {
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}
