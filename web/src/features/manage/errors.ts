import { useI18n } from '../../i18n/I18nProvider.tsx';
import { MANAGE_WORDS } from '../../i18n/manage.ts';
import { MANAGE_ERROR_WORDS, type ManageErrorWords } from '../../i18n/manage-errors.ts';

/** The hub's refusals of a device's site or gateway (registry checkRefs), which name no body field. */
type RefRefusal = 'siteNotInVillage' | 'noSuchSite' | 'noSuchParent' | 'parentNotGateway' | 'ownParent';
const REF_REFUSALS: Array<[RegExp, RefRefusal]> = [
  [/^site \S+ is in village/, 'siteNotInVillage'],
  [/^no site /, 'noSuchSite'],
  [/^no parent device /, 'noSuchParent'],
  [/is not a gateway$/, 'parentNotGateway'],
  [/cannot be its own parent/, 'ownParent'],
];

const BY_CODE: Record<string, keyof ManageErrorWords['errors']> = {
  HUB_ERR_UNAUTHORIZED: 'unauthorized',
  HUB_ERR_DEVICE_EXISTS: 'deviceExists',
  HUB_ERR_EXISTS: 'exists',
  HUB_ERR_DEVICE_NOT_FOUND: 'deviceNotFound',
  HUB_ERR_NOT_FOUND: 'notFound',
  HUB_ERR_BAD_TIME_RANGE: 'badTimeRange',
  HUB_ERR_RATE_LIMITED: 'rateLimited',
  HUB_ERR_UNREACHABLE: 'unreachable',
  HUB_ERR_INTERNAL: 'internal',
};

/** `body/id must match pattern …` → the field the hub named. */
export function fieldOf(message: string): string | null {
  const m = /(?:body|querystring|params)\/(\w+)/.exec(message) ?? /property '(\w+)'/.exec(message);
  return m?.[1] ?? null;
}

/**
 * A refused or failed call in the official's words (Vietnamese unless the dashboard is in English), from
 * the hub's stable HUB_ERR_* code (never the raw English message alone): what went wrong and, when the
 * hub named one, which field.
 */
export function hubErrorText(err: unknown, lang: keyof typeof MANAGE_WORDS = 'vi'): string {
  const w = MANAGE_ERROR_WORDS[lang];
  const e = err as { code?: string; message?: string; status?: number };
  const message = e.message ?? '';
  if (e.code === 'HUB_ERR_VALIDATION') {
    const refusal = REF_REFUSALS.find(([pattern]) => pattern.test(message));
    if (refusal) return MANAGE_WORDS[lang].invalid[refusal[1]];
    const field = fieldOf(message);
    const name = field ? w.fields[field] : undefined;
    if (field && name) {
      const rule = w.rules[field];
      return rule ? w.fieldRule(name, rule) : w.fieldWrong(name);
    }
    return w.errors.validation;
  }
  const known = e.code ? BY_CODE[e.code] : undefined;
  if (known) return w.errors[known];
  return e.status === 401 ? w.errors.unauthorized : w.errors.other;
}

/** hubErrorText in the dashboard's current language. */
export function useHubErrorText(): (err: unknown) => string {
  const { lang } = useI18n();
  return (err) => hubErrorText(err, lang);
}
