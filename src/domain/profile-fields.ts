// The names of the account details and what Support needs of them: no validation here, so a page
// that only lists the fields (the web panel's Support page) does not carry zod and the phone
// metadata that `./profile` brings.

export const PROFILE_FIELDS = ['fullName', 'tradeName', 'country', 'city', 'dateOfBirth', 'phone'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/**
 * What keeps an account from opening a support request: every profile field set, and the
 * email verified.
 */
export function missingForSupport(profile: Record<ProfileField, string | null> & { emailVerified: boolean }): string[] {
  const missing: string[] = PROFILE_FIELDS.filter((field) => profile[field] === null || profile[field] === '');
  if (!profile.emailVerified) missing.push('emailVerified');
  return missing;
}
