import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type Account, api, type FieldError } from '../api/client';
import { DateField } from '../components/DateField';
import { Field, FieldErrors } from '../components/Field';
import { ProblemMessage, StatusMessage } from '../components/Messages';
import type * as ProfileModule from '../../../src/domain/profile';
import { PROFILE_FIELDS, type ProfileField } from '../../../src/domain/profile-fields';
import { useSession } from '../session';
import { useCountryNames } from '../useCountryNames';
import { useFormState } from '../useForm';
import { PendingEmail } from './PendingEmail';

/** The id of a detail's input: Support links straight to a missing one. */
export const detailFieldId = (field: ProfileField | 'email') => `account-${field}`;

type Draft = Record<ProfileField | 'email', string>;

function draftOf(account: Account): Draft {
  const draft = { email: account.email } as Draft;
  for (const field of PROFILE_FIELDS) draft[field] = account[field] ?? '';
  return draft;
}

type ProfileRules = typeof ProfileModule;
let profileRules: Promise<ProfileRules> | undefined;

/**
 * The rules of PATCH /v1/account (zod, and libphonenumber-js with the server's max metadata):
 * about 75 kB gzipped that showing the page does not need, so they are fetched once the merchant
 * starts on the form and awaited when it is sent. A failed fetch is tried again next time.
 */
function loadProfileRules(): Promise<ProfileRules> {
  profileRules ??= import('../../../src/domain/profile').catch((error: unknown) => {
    profileRules = undefined;
    throw error;
  });
  return profileRules;
}

/** The same zod schema as PATCH /v1/account: a field the server would refuse is marked before sending. */
function checkDetails(draft: Draft, { profilePatchSchema }: ProfileRules) {
  const patch = Object.fromEntries(
    PROFILE_FIELDS.map((field) => [field, draft[field].trim() === '' ? null : draft[field]]),
  );
  const result = profilePatchSchema().safeParse(patch);
  if (result.success) return { patch: result.data, errors: {} };
  const errors: Record<string, FieldError[]> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '(body)');
    const code = ('params' in issue && (issue.params as { code?: string } | undefined)?.code) || issue.code;
    (errors[field] ??= []).push({ field, code, message: issue.message });
  }
  return { patch: undefined, errors };
}

export function AccountDetails({
  account,
  onEmailVerified,
}: {
  account: Account;
  /** The new address, once its code is verified. */
  onEmailVerified(email: string): void;
}) {
  const { t, i18n } = useTranslation();
  const { setAccount } = useSession();
  const [draft, setDraft] = useState(() => draftOf(account));
  const [saved, setSaved] = useState<string>();
  // An email change is confirmed with the current password (a stolen session alone cannot move the account).
  const [emailPassword, setEmailPassword] = useState('');
  const form = useFormState();
  const countryNames = useCountryNames(i18n.language === 'tr' ? 'tr' : 'en');

  const input = (field: keyof Draft) => ({
    id: detailFieldId(field),
    value: draft[field],
    errors: form.errors[field],
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [field]: event.target.value }),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.clear();
    setSaved(undefined);
    void form.run(async () => {
      const rules = await loadProfileRules().catch(() => undefined);
      if (!rules) {
        form.fail(t('common.unexpected'));
        return;
      }
      const { patch, errors } = checkDetails(draft, rules);
      if (!patch) {
        form.setErrors(errors);
        return;
      }
      const updated = await api.PATCH('/v1/account', { body: patch });
      if (updated.error) {
        form.fail(updated.error);
        return;
      }
      let latest = updated.data;
      if (draft.email.trim() !== account.email) {
        const change = await api.POST('/v1/account/email', {
          body: { email: draft.email.trim(), password: emailPassword },
        });
        if (change.error) {
          setAccount(latest);
          form.fail(change.error);
          return;
        }
        const reread = await api.GET('/v1/account');
        if (reread.data) latest = reread.data;
      }
      setAccount(latest);
      setDraft(draftOf(latest));
      setEmailPassword('');
      setSaved(t('details.saved'));
    });
  };

  const countryErrorsId = `${detailFieldId('country')}-errors`;
  return (
    <section className="card" aria-labelledby="details-title">
      <h2 id="details-title">{t('details.title')}</h2>
      {!account.emailVerified && !account.pendingEmail && (
        <p className="message warning">
          {t('details.unverified')} <Link to="/verify-email">{t('details.verifyNow')}</Link>
        </p>
      )}
      <form onSubmit={submit} onFocus={() => void loadProfileRules().catch(() => undefined)} noValidate>
        <Field label={t('details.email')} type="email" autoComplete="email" {...input('email')} />
        {draft.email.trim() !== account.email && (
          <Field
            label={t('details.emailPassword')}
            type="password"
            autoComplete="current-password"
            id="account-email-password"
            value={emailPassword}
            errors={form.errors.password}
            onChange={(event: { target: { value: string } }) => setEmailPassword(event.target.value)}
          />
        )}
        {account.pendingEmail && <PendingEmail account={account} onVerified={onEmailVerified} />}
        <Field label={t('details.fullName')} autoComplete="name" {...input('fullName')} />
        <Field label={t('details.tradeName')} autoComplete="organization" {...input('tradeName')} />
        <div className="field">
          <label htmlFor={detailFieldId('country')}>{t('details.country')}</label>
          <select
            id={detailFieldId('country')}
            value={draft.country}
            aria-invalid={(form.errors.country ?? []).length > 0}
            aria-describedby={form.errors.country ? countryErrorsId : undefined}
            onChange={(event) => setDraft({ ...draft, country: event.target.value })}
          >
            <option value="">{t('details.chooseCountry')}</option>
            {countryNames?.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
          <FieldErrors id={countryErrorsId} errors={form.errors.country ?? []} />
        </div>
        <Field label={t('details.city')} autoComplete="address-level2" {...input('city')} />
        <DateField
          id={detailFieldId('dateOfBirth')}
          label={t('details.dateOfBirth')}
          autoComplete="bday"
          value={draft.dateOfBirth}
          errors={form.errors.dateOfBirth}
          onChange={(dateOfBirth) => setDraft({ ...draft, dateOfBirth })}
        />
        <Field label={t('details.phone')} type="tel" autoComplete="tel" {...input('phone')} />
        <ProblemMessage problem={form.problem} />
        <StatusMessage text={saved} />
        <button type="submit" disabled={form.busy}>
          {t('details.save')}
        </button>
      </form>
    </section>
  );
}
