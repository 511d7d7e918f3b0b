import { useTranslation } from 'react-i18next';
import type { Problem } from '../api/client';

/** A problem the page cannot tie to one field, announced as soon as it appears. */
export function ProblemMessage({ problem }: { problem: Problem | string | undefined }) {
  const { t } = useTranslation();
  const text =
    problem === undefined
      ? ''
      : typeof problem === 'string'
        ? problem
        : [
            t(`problem.${problem.code}`, { defaultValue: problem.detail }),
            // A wrong code says how many tries are left before the code is spent.
            typeof problem.triesLeft === 'number' ? t('security.triesLeft', { count: problem.triesLeft }) : '',
          ]
            .join(' ')
            .trim();
  return (
    <div role="alert" className={text ? 'message error' : 'message-empty'}>
      {text}
    </div>
  );
}

/** Good news, announced politely. */
export function StatusMessage({ text }: { text: string | undefined }) {
  return (
    <div role="status" className={text ? 'message success' : 'message-empty'}>
      {text}
    </div>
  );
}

/** Shown while the account or a page's code is on its way; screen readers hear it. */
export function Loading() {
  const { t } = useTranslation();
  return <p role="status">{t('app.loading')}</p>;
}
