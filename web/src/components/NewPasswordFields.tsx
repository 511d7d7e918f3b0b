import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../api/client';
import { Field } from './Field';
import { passwordPolicyErrors, PolicyChecklist } from './PolicyChecklist';

interface NewPasswordFieldsProps {
  newPassword: string;
  newPasswordConfirm: string;
  onNewPassword(value: string): void;
  onNewPasswordConfirm(value: string): void;
  /** The form's field errors, by the API's field names (newPassword, newPasswordConfirm). */
  errors: Record<string, FieldError[]>;
}

/** New Password, New Password (again) and the live checklist: a change and a reset ask the same. */
export function NewPasswordFields({
  newPassword,
  newPasswordConfirm,
  onNewPassword,
  onNewPasswordConfirm,
  errors,
}: NewPasswordFieldsProps) {
  const { t } = useTranslation();
  const policyId = useId();
  return (
    <>
      <Field
        label={t('password.new')}
        type="password"
        autoComplete="new-password"
        value={newPassword}
        onChange={(event) => onNewPassword(event.target.value)}
        errors={errors.newPassword}
        aria-describedby={policyId}
      />
      <Field
        label={t('password.again')}
        type="password"
        autoComplete="new-password"
        value={newPasswordConfirm}
        onChange={(event) => onNewPasswordConfirm(event.target.value)}
        errors={errors.newPasswordConfirm}
      />
      <PolicyChecklist id={policyId} password={newPassword} confirmation={newPasswordConfirm} />
    </>
  );
}

/** The two new fields' state, the props for NewPasswordFields, and the rules they break. */
export function useNewPassword() {
  const [newPassword, setNewPassword] = useState('');
  const [newPasswordConfirm, setNewPasswordConfirm] = useState('');
  return {
    newPassword,
    newPasswordConfirm,
    fields: {
      newPassword,
      newPasswordConfirm,
      onNewPassword: setNewPassword,
      onNewPasswordConfirm: setNewPasswordConfirm,
    },
    clear() {
      setNewPassword('');
      setNewPasswordConfirm('');
    },
    /** Every rule the two fields break, by the API's field names; empty when none. */
    broken(): Record<string, FieldError[]> {
      const broken = passwordPolicyErrors(newPassword, newPasswordConfirm);
      if (broken.length === 0) return {};
      return {
        newPassword: broken.filter((error) => error.field === 'password'),
        newPasswordConfirm: broken.filter((error) => error.field === 'confirmation'),
      };
    },
  };
}
