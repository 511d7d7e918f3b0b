import countries from 'i18n-iso-countries';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import { languageSchema } from './language';
import { lineOfText } from './text';

// The account details of the help article: name, trade name, country, city, date of birth and
// phone. Each is validated here, once, at the edge; the rest of the code trusts the result.

export const MINIMUM_AGE_YEARS = 18;

const country = z
  .string()
  .trim()
  .toUpperCase()
  .refine((value) => /^[A-Z]{2}$/.test(value) && countries.isValid(value), {
    message: 'must be an ISO 3166-1 alpha-2 country code, such as TR or DE',
    params: { code: 'invalid_country' },
  });

/** `YYYY-MM-DD` of a real calendar day (no 2023-02-30), in the past, for someone at least 18. */
function dateOfBirth(today: () => Date) {
  return z.string().superRefine((value, ctx) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const [year, month, day] = match ? match.slice(1).map(Number) : [];
    const date = match ? new Date(Date.UTC(year!, month! - 1, day!)) : undefined;
    if (!date || date.getUTCFullYear() !== year || date.getUTCMonth() !== month! - 1 || date.getUTCDate() !== day) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a real date written YYYY-MM-DD',
        params: { code: 'invalid_date' },
      });
      return;
    }
    const now = today();
    const todayUtc = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    if (date.getTime() >= todayUtc) {
      ctx.addIssue({ code: 'custom', message: 'must be in the past', params: { code: 'not_in_past' } });
      return;
    }
    // Birthday arithmetic on calendar fields: someone born on 29 February turns 18 on 1 March.
    const eighteenth = Date.UTC(year! + MINIMUM_AGE_YEARS, month! - 1, day!);
    if (eighteenth > todayUtc) {
      ctx.addIssue({
        code: 'custom',
        message: `the account holder must be at least ${MINIMUM_AGE_YEARS}`,
        params: { code: 'too_young' },
      });
    }
  });
}

/** `PATCH /v1/account`: any subset of the fields; `null` clears one (the language is always set). Every bad field is reported at once. */
export function profilePatchSchema(today: () => Date = () => new Date()) {
  return (
    z
      .strictObject({
        fullName: lineOfText(100).nullable(),
        tradeName: lineOfText(150).nullable(),
        country: country.nullable(),
        city: lineOfText(100).nullable(),
        dateOfBirth: dateOfBirth(today).nullable(),
        phone: z.string().trim().max(32).nullable(),
        language: languageSchema,
      })
      .partial()
      // The phone is read in the country given alongside it, so it is checked on the whole object;
      // `when` runs the check even when other fields failed, so every bad field is reported at once.
      .superRefine(
        (profile, ctx) => {
          if (typeof profile.phone === 'string' && phoneE164(profile.phone, profile.country) === undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['phone'],
              message: 'must be a valid phone number, in international form such as +90 212 555 12 12',
              params: { code: 'invalid_phone' },
            });
          }
        },
        { when: (payload) => typeof (payload.value as { phone?: unknown } | undefined)?.phone === 'string' },
      )
      .transform((profile) =>
        typeof profile.phone === 'string' ? { ...profile, phone: phoneE164(profile.phone, profile.country)! } : profile,
      )
  );
}

/**
 * The number in E.164, or undefined when it is not a valid one. A national number is read in
 * `country` when that is a real country code; otherwise the number must be international.
 */
function phoneE164(phone: string, country: unknown): string | undefined {
  const code = typeof country === 'string' ? country.trim().toUpperCase() : '';
  const region = /^[A-Z]{2}$/.test(code) && countries.isValid(code) ? (code as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(phone.trim(), region);
  return parsed?.isValid() ? parsed.number : undefined;
}

export type ProfilePatch = z.output<ReturnType<typeof profilePatchSchema>>;

export { missingForSupport, PROFILE_FIELDS, type ProfileField } from './profile-fields';
