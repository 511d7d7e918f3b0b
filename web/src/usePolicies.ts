import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDuration } from '../../src/domain/duration';
import { isLanguage } from './i18n';
import { api } from './api/client';
import type { components } from './api/schema';

type Policies = components['schemas']['Policies'];
/** Each period in words, named as the policy without its unit (`closureGracePeriodMs` → `closureGracePeriod`). */
export type Periods = { [Name in keyof Policies as Name extends `${infer Period}Ms` ? Period : never]: string };

// Once per page load: the periods only change with the service's configuration.
let known: Policies | undefined;
let request: Promise<Policies | undefined> | undefined;

function loadPolicies(): Promise<Policies | undefined> {
  request ??= api.GET('/v1/policies').then(({ data }) => {
    known = data;
    // A failed request is tried again by the next page that needs it.
    if (!data) request = undefined;
    return data;
  });
  return request;
}

/**
 * The configured periods in the page's language ("30 days", "30 gün"), by the mails' own rule;
 * undefined until the service has said them, so a sentence is never shown with a wrong number.
 */
export function usePeriods(): Periods | undefined {
  const { i18n } = useTranslation();
  const [policies, setPolicies] = useState(known);
  useEffect(() => {
    if (known) return;
    let current = true;
    void loadPolicies().then((data) => {
      if (current) setPolicies(data);
    });
    return () => {
      current = false;
    };
  }, []);
  if (!policies) return undefined;
  const language = isLanguage(i18n.language) ? i18n.language : 'en';
  return {
    passwordMaxAge: formatDuration(policies.passwordMaxAgeMs, language),
    closureGracePeriod: formatDuration(policies.closureGracePeriodMs, language),
    lockLinkValid: formatDuration(policies.lockLinkValidMs, language),
    emailCodeValid: formatDuration(policies.emailCodeValidMs, language),
  };
}
