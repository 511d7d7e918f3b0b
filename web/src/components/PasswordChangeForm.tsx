import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { Field } from './Field';
import { ProblemMessage } from './Messages';
import { passwordPolicyErrors, PolicyChecklist } from './PolicyChecklist';
import { useFormState } from '../useForm';

/**
 * Old Password, New Password, New Password (again) and the live checklist. Every broken rule
 * is flagged before anything is sent; the server's own answer lands on the same fields.
 */
export function PasswordChangeForm({ onChanged }: { onChanged(): Promise<void> | void }) {
  const { t } = useTranslation();
  const [oldPassword, setOldPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [newPasswordConfirm, setNewPasswordConfirm] = useState('');
  const form = useFormState();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.clear();
    const broken = passwordPolicyErrors(newPassword, newPasswordConfirm);
    if (broken.length > 0 || oldPassword === '') {
      form.setErrors({
        ...(oldPassword === '' && {
          oldPassword: [{ field: 'oldPassword', code: 'required', message: 'is required' }],
        }),
        newPassword: broken.filter((error) => error.field === 'password'),
        newPasswordConfirm: broken.filter((error) => error.field === 'confirmation'),
      });
      return;
    }
    void form.run(async () => {
      const { error } = await api.POST('/v1/account/password', {
        body: { oldPassword, newPassword, newPasswordConfirm },
      });
      if (error) {
        form.fail(error);
        return;
      }
      setOldPassword('');
      setNewPassword('');
      setNewPasswordConfirm('');
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
      <Field
        label={t('password.new')}
        type="password"
        autoComplete="new-password"
        value={newPassword}
        onChange={(event) => setNewPassword(event.target.value)}
        errors={form.errors.newPassword}
        aria-describedby="password-policy"
      />
      <Field
        label={t('password.again')}
        type="password"
        autoComplete="new-password"
        value={newPasswordConfirm}
        onChange={(event) => setNewPasswordConfirm(event.target.value)}
        errors={form.errors.newPasswordConfirm}
      />
      <PolicyChecklist id="password-policy" password={newPassword} confirmation={newPasswordConfirm} />
      <ProblemMessage problem={form.problem} />
      <button type="submit" disabled={form.busy}>
        {t('password.submit')}
      </button>
    </form>
  );
}
