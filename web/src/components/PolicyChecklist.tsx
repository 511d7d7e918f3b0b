import { useTranslation } from 'react-i18next';
import { checkPasswordPolicy, type PasswordViolationCode } from '../../../src/domain/password-policy';

// The same policy module the server checks with: the list turns green exactly when the
// server will accept the password's shape.
const RULES: Array<{ key: string; codes: PasswordViolationCode[] }> = [
  { key: 'length', codes: ['too_short', 'too_long'] },
  { key: 'uppercase', codes: ['missing_uppercase'] },
  { key: 'lowercase', codes: ['missing_lowercase'] },
  { key: 'digit', codes: ['missing_digit'] },
  { key: 'special', codes: ['missing_special'] },
];
const MATCH_RULE = { key: 'match', codes: ['mismatch'] as PasswordViolationCode[] };

interface PolicyChecklistProps {
  id: string;
  password: string;
  /** The repetition, when the form has one. */
  confirmation?: string;
}

export function PolicyChecklist({ id, password, confirmation }: PolicyChecklistProps) {
  const { t } = useTranslation();
  const violated = new Set(checkPasswordPolicy(password, confirmation).map((violation) => violation.code));
  const rules = confirmation === undefined ? RULES : [...RULES, MATCH_RULE];
  return (
    <div className="policy" id={id}>
      <p className="policy-title">{t('policy.title')}</p>
      <ul aria-label={t('policy.title')}>
        {rules.map((rule) => {
          const met = !rule.codes.some((code) => violated.has(code));
          return (
            <li key={rule.key} className={met ? 'rule met' : 'rule unmet'}>
              <span aria-hidden="true">{met ? '✓' : '✗'}</span> {t(`policy.${rule.key}`)}
              <span className="visually-hidden">: {met ? t('policy.met') : t('policy.notMet')}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function passwordPolicyErrors(password: string, confirmation?: string) {
  return checkPasswordPolicy(password, confirmation).map((violation) => ({
    field: violation.code === 'mismatch' ? 'confirmation' : 'password',
    code: violation.code,
    message: violation.message,
  }));
}
