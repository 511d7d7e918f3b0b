import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { api } from '../api/client';
import { CodeBoxes, isCompleteCode } from '../components/CodeBoxes';
import { Field } from '../components/Field';
import { ProblemMessage, StatusMessage } from '../components/Messages';
import { NewPasswordFields, useNewPassword } from '../components/NewPasswordFields';
import { cooldownOf, ResendButton } from '../components/ResendButton';
import { useFormState } from '../useForm';
import { useTitle } from '../useTitle';

/**
 * Forgot password: the address, then the mailed code and a new password. The first answer is
 * the same whatever the address (the API never tells whether it has an account), so the page
 * says "if" and moves on to the code.
 */
export function PasswordReset() {
  const { t } = useTranslation();
  useTitle(t('passwordReset.title'));
  const navigate = useNavigate();
  const [email, setEmail] = useState((useLocation().state as { email?: string } | null)?.email ?? '');
  const [sent, setSent] = useState(false);
  const [code, setCode] = useState('');
  const passwords = useNewPassword();
  const form = useFormState();

  const requestCode = async () => {
    const { response, error } = await api.POST('/v1/auth/password-reset', { body: { email: email.trim() } });
    if (error) form.fail(error);
    else setSent(true);
    return cooldownOf(response);
  };

  const sendCode = (event: FormEvent) => {
    event.preventDefault();
    form.clear();
    void form.run(async () => void (await requestCode()));
  };

  const reset = (event: FormEvent) => {
    event.preventDefault();
    form.clear();
    const broken = passwords.broken();
    if (Object.keys(broken).length > 0) {
      form.setErrors(broken);
      return;
    }
    if (!isCompleteCode(code)) {
      form.fail(t('common.codeIncomplete'));
      return;
    }
    void form.run(async () => {
      const { error } = await api.POST('/v1/auth/password-reset/confirm', {
        body: {
          email: email.trim(),
          code,
          newPassword: passwords.newPassword,
          newPasswordConfirm: passwords.newPasswordConfirm,
        },
      });
      if (error) form.fail(error);
      else await navigate('/sign-in', { state: { notice: 'passwordReset.done' } });
    });
  };

  return (
    <section className="card narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">{t('passwordReset.title')}</h1>
      {sent ? (
        <form onSubmit={reset} noValidate>
          <StatusMessage text={t('passwordReset.sent', { email: email.trim() })} />
          <CodeBoxes label={t('common.codeGroup')} value={code} onChange={setCode} autoFocus />
          <NewPasswordFields {...passwords.fields} errors={form.errors} />
          <ProblemMessage problem={form.problem} />
          <div className="actions">
            <button type="submit" disabled={form.busy}>
              {t('passwordReset.submit')}
            </button>
            <ResendButton onResend={requestCode} />
          </div>
          <p>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                form.clear();
                setCode('');
                setSent(false);
              }}
            >
              {t('passwordReset.otherAddress')}
            </button>
          </p>
        </form>
      ) : (
        <form onSubmit={sendCode} noValidate>
          <p>{t('passwordReset.intro')}</p>
          <Field
            label={t('common.email')}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            errors={form.errors.email}
          />
          <ProblemMessage problem={form.problem} />
          <button type="submit" disabled={form.busy}>
            {t('passwordReset.send')}
          </button>
          <p>
            <Link to="/sign-in">{t('passwordReset.backToSignIn')}</Link>
          </p>
        </form>
      )}
    </section>
  );
}
