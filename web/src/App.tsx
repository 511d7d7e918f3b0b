import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { Layout } from './Layout';
import { Activity } from './pages/Activity';
import { Closed } from './pages/Closed';
import { EditAccount } from './pages/EditAccount';
import { Integrations } from './pages/Integrations';
import { Lock } from './pages/Lock';
import { PasswordExpired } from './pages/PasswordExpired';
import { PasswordReset } from './pages/PasswordReset';
import { SignIn } from './pages/SignIn';
import { SignUp } from './pages/SignUp';
import { Support } from './pages/Support';
import { SupportDesk } from './pages/SupportDesk';
import { VerifyEmail } from './pages/VerifyEmail';
import { SessionProvider, useSession } from './session';

/** Pages for a signed-in merchant; anyone else goes to Sign in. */
function RequireAccount({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { account } = useSession();
  if (account === undefined) return <p role="status">{t('app.loading')}</p>;
  if (account === null) return <Navigate to="/sign-in" replace />;
  return children;
}

function Home() {
  const { t } = useTranslation();
  const { account } = useSession();
  if (account === undefined) return <p role="status">{t('app.loading')}</p>;
  return <Navigate to={account ? '/settings/account' : '/sign-in'} replace />;
}

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <Home /> },
      { path: '/sign-in', element: <SignIn /> },
      { path: '/sign-up', element: <SignUp /> },
      { path: '/password-expired', element: <PasswordExpired /> },
      { path: '/password-reset', element: <PasswordReset /> },
      { path: '/closed', element: <Closed /> },
      { path: '/lock', element: <Lock /> },
      {
        path: '/verify-email',
        element: (
          <RequireAccount>
            <VerifyEmail />
          </RequireAccount>
        ),
      },
      {
        path: '/settings/account',
        element: (
          <RequireAccount>
            <EditAccount />
          </RequireAccount>
        ),
      },
      {
        path: '/integrations',
        element: (
          <RequireAccount>
            <Integrations />
          </RequireAccount>
        ),
      },
      {
        path: '/support',
        element: (
          <RequireAccount>
            <Support />
          </RequireAccount>
        ),
      },
      {
        path: '/support-desk',
        element: (
          <RequireAccount>
            <SupportDesk />
          </RequireAccount>
        ),
      },
      {
        path: '/activity',
        element: (
          <RequireAccount>
            <Activity />
          </RequireAccount>
        ),
      },
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
