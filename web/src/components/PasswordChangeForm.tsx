import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { Field } from './Field';
import { ProblemMessage } from './Messages';
import { NewPasswordFields, useNewPassword } from './NewPasswordFields';
import { useFormState } from '../useForm';

/**
 * Old Password, New Password, New Password (again) and the live checklist. Every broken rule
 * is flagged before anything is sent; the server's own answer lands on the same fields.
 */
export function PasswordChangeForm({ onChanged }: { onChanged(): Promise<void> | void }) {
  const { t } = useTranslation();
  const [oldPassword, setOldPassword] = useState('');
  const passwords = useNewPassword();
  const form = useFormState();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.clear();
    const broken = passwords.broken();
    if (Object.keys(broken).length > 0 || oldPassword === '') {
      form.setErrors({
        ...(oldPassword === '' && {
          oldPassword: [{ field: 'oldPassword', code: 'required', message: 'is required' }],
        }),
        ...broken,
      });
      return;
    }
    void form.run(async () => {
      const { error } = await api.POST('/v1/account/password', {
        body: { oldPassword, newPassword: passwords.newPassword, newPasswordConfirm: passwords.newPasswordConfirm },
      });
      if (error) {
        form.fail(error);
        return;
      }
      setOldPassword('');
      passwords.clear();
      await onChanged();
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Field
        label={t('password.old')}
        type="password"
        autoComplete="current-password"
        value={oldPassword}
        onChange={(event) => setOldPassword(event.target.value)}
        errors={form.errors.oldPassword}
      />
      <NewPasswordFields {...passwords.fields} errors={form.errors} />
      <ProblemMessage problem={form.problem} />
      <button type="submit" disabled={form.busy}>
        {t('password.submit')}
      </button>
    </form>
  );
}
