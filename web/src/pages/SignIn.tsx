import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { api } from '../api/client';
import { Field } from '../components/Field';
import { ProblemMessage, StatusMessage } from '../components/Messages';
import { useFormState } from '../useForm';
import { useTitle } from '../useTitle';
import { type Challenge, SecondStep } from './SecondStep';
import { useLoginOutcome } from './login-outcome';

/** Sign in, then the second step when the account has one (the password stays in this page only). */
export function SignIn() {
  const { t } = useTranslation();
  useTitle(t('signIn.title'));
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<Challenge>();
  const form = useFormState();
  const follow = useLoginOutcome();

  const login = async () => {
    const { data, error } = await api.POST('/v1/auth/login', { body: { email, password } });
    if (error) {
      form.fail(error);
      return;
    }
    if (data.status === 'mfa_required') setChallenge({ challengeId: data.challengeId, method: data.method });
    else await follow(data);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.clear();
    void form.run(login);
  };

  if (challenge) return <SecondStep challenge={challenge} resend={login} />;

  return (
    <section className="card narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      <StatusMessage text={notice ? t(notice) : undefined} />
      <form onSubmit={submit} noValidate>
        <Field
          label={t('common.email')}
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          errors={form.errors.email}
        />
        <Field
          label={t('common.password')}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          errors={form.errors.password}
        />
        <p className="field-aside">
          <Link to="/password-reset" state={{ email }}>
            {t('passwordReset.forgot')}
          </Link>
        </p>
        <ProblemMessage problem={form.problem} />
        <button type="submit" disabled={form.busy}>
          {t('signIn.submit')}
        </button>
      </form>
      <p>
        {t('signIn.noAccount')} <Link to="/sign-up">{t('signIn.toSignUp')}</Link>
      </p>
    </section>
  );
}
