import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client';
import { Field } from '../components/Field';
import { ProblemMessage } from '../components/Messages';
import { passwordPolicyErrors, PolicyChecklist } from '../components/PolicyChecklist';
import { useSession } from '../session';
import { useFormState } from '../useForm';
import { useTitle } from '../useTitle';

/** Sign up, then straight into the account to enter the mailed code. */
export function SignUp() {
  const { t } = useTranslation();
  useTitle(t('signUp.title'));
  const navigate = useNavigate();
  const { refresh } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useFormState();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.clear();
    const broken = passwordPolicyErrors(password);
    if (broken.length > 0) {
      form.setErrors({ password: broken });
      return;
    }
    void form.run(async () => {
      const registered = await api.POST('/v1/auth/register', { body: { email, password } });
      if (registered.error) {
        form.fail(registered.error);
        return;
      }
      // The answer never says whether the address was new; signing in with what was just typed
      // opens the verification step for a new account, and fails like any wrong password otherwise.
      const login = await api.POST('/v1/auth/login', { body: { email, password } });
      if (login.error || login.data.status !== 'authenticated') {
        await navigate('/sign-in');
        return;
      }
      await refresh();
      await navigate('/verify-email', { state: { justSent: true } });
    });
  };

  return (
    <section className="card narrow" aria-labelledby="sign-up-title">
      <h1 id="sign-up-title">{t('signUp.title')}</h1>
      <form onSubmit={submit} noValidate>
        <Field
          label={t('common.email')}
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          errors={form.errors.email}
        />
        <Field
          label={t('common.password')}
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          errors={form.errors.password}
          aria-describedby="sign-up-policy"
        />
        <PolicyChecklist id="sign-up-policy" password={password} />
        <ProblemMessage problem={form.problem} />
        <button type="submit" disabled={form.busy}>
          {t('signUp.submit')}
        </button>
      </form>
      <p>
        {t('signUp.haveAccount')} <Link to="/sign-in">{t('signUp.toSignIn')}</Link>
      </p>
    </section>
  );
}
