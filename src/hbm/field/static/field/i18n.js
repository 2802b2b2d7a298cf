/**
 * Translations of the app, from Django's JSON catalogue of the "djangojs" domain (served at
 * /field/i18n/<code>.json and kept by the service worker, so every language works offline).
 * Plural forms are chosen with Intl.PluralRules, whose categories come in gettext's order.
 */

const PLURAL_ORDER = ["zero", "one", "two", "few", "many", "other"];

const state = {
  language: "en",
  catalogue: {},
  categories: ["one", "other"],
  rules: new Intl.PluralRules("en"),
};

/**
 * Load the catalogue of `language` and make it the active one; the page's `lang` and `dir`
 * follow (Arabic is written right to left).
 * @param {{code: string, catalogue: string}} language
 * @param {string[]} bidi codes of right-to-left languages
 */
export async function languageActivate(language, bidi) {
  const response = await fetch(language.catalogue);
  const body = await response.json();
  state.language = language.code;
  state.catalogue = body.catalog || {};
  state.rules = new Intl.PluralRules(language.code);
  const present = new Set(state.rules.resolvedOptions().pluralCategories);
  state.categories = PLURAL_ORDER.filter((category) => present.has(category));
  document.documentElement.lang = language.code;
  document.documentElement.dir = bidi.includes(language.code) ? "rtl" : "ltr";
}

/** The active language's code. */
export function languageCode() {
  return state.language;
}

/** `message` in the active language (itself when untranslated). */
export function gettext(message) {
  const translated = state.catalogue[message];
  if (Array.isArray(translated)) {
    return translated[0] || message;
  }
  return translated || message;
}

/** The form of `singular`/`plural` that suits the number `count`, in the active language. */
export function ngettext(singular, plural, count) {
  const forms = state.catalogue[singular];
  if (!Array.isArray(forms)) {
    return count === 1 ? singular : plural;
  }
  const index = Math.min(state.categories.indexOf(state.rules.select(count)), forms.length - 1);
  return forms[Math.max(index, 0)] || (count === 1 ? singular : plural);
}

/** Put named values into a translated message: "%(count)s records" with {count: 3}. */
export function interpolate(message, values) {
  return message.replace(/%\((\w+)\)s/g, (match, name) => (name in values ? String(values[name]) : match));
}

/** A date and time in the active language, or an empty string. */
export function formatMoment(iso) {
  if (!iso) {
    return "";
  }
  return new Intl.DateTimeFormat(state.language, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}
