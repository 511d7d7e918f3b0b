import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_TYPES } from '../../src/domain/audit-events';
import en from '../../web/src/i18n/en.json';
import tr from '../../web/src/i18n/tr.json';

/** Every key of a nested translation object, as dotted paths. */
function keys(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keys(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe('the panel translations', () => {
  it('when English and Turkish are compared, then each has every string of the other, none empty', () => {
    expect(keys(tr).sort()).toEqual(keys(en).sort());
    const empty = [...keys(en).map((key) => ['en', key]), ...keys(tr).map((key) => ['tr', key])].filter(
      ([language, key]) => {
        const value = key!
          .split('.')
          .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], language === 'en' ? en : tr);
        return typeof value !== 'string' || value.trim() === '';
      },
    );
    expect(empty).toEqual([]);
  });

  it('when the activity page names an audit event, then every type the service records has its own English and Turkish label', () => {
    const missing = AUDIT_EVENT_TYPES.filter(
      (type) =>
        typeof (en.activityEvents as Record<string, unknown>)[type] !== 'string' ||
        typeof (tr.activityEvents as Record<string, unknown>)[type] !== 'string' ||
        (tr.activityEvents as Record<string, string>)[type] === (en.activityEvents as Record<string, string>)[type],
    );
    expect(missing).toEqual([]);
  });
});
