// Every string the portal shows comes from a message catalogue (messages/en.js, messages/fr.js:
// the OSCE working languages); dates, numbers and money are formatted for the chosen locale.
import en from './messages/en.js';
import fr from './messages/fr.js';

export const catalogues = { en, fr };
export const languages = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
];

const LANG_KEY = 'thb.lang'; // a preference, not a secret
let lang = 'en';
const missing = new Set();

export function initLanguage() {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved && catalogues[saved]) lang = saved;
  else if ((navigator.language || '').toLowerCase().startsWith('fr')) lang = 'fr';
  document.documentElement.lang = lang;
}

export function currentLanguage() {
  return lang;
}

export function setLanguage(code) {
  if (!catalogues[code]) return;
  lang = code;
  localStorage.setItem(LANG_KEY, code);
  document.documentElement.lang = code;
}

// The message `key` with {placeholders} filled from `vars`.
export function t(key, vars) {
  let text = catalogues[lang][key];
  if (text === undefined) {
    if (!missing.has(key)) {
      missing.add(key);
      console.error(`missing message: ${key} (${lang})`);
    }
    text = catalogues.en[key] ?? key;
  }
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

// The label of an enum value: top-level enums by value ("PILLAR_PREVENTION"), nested ones by
// their message ("plan.STATE_ADOPTED"), unknown values as they are.
export function label(value, scope) {
  if (!value) return t('common.notSet');
  const key = scope ? `enum.${scope}.${value}` : `enum.${value}`;
  if (catalogues[lang][key] === undefined && catalogues.en[key] === undefined) return String(value);
  return t(key);
}

export function has(key) {
  return catalogues[lang][key] !== undefined || catalogues.en[key] !== undefined;
}

// The browser's own locale when it is in the chosen language (en-GB, fr-CA), else the language.
function localeTag() {
  const preferred = navigator.languages || [navigator.language || ''];
  return preferred.find((l) => l && l.toLowerCase().split('-')[0] === lang) || lang;
}

const cache = new Map();
function formatter(kind, options) {
  const locale = localeTag();
  const k = `${locale}|${kind}|${JSON.stringify(options)}`;
  if (!cache.has(k)) {
    cache.set(
      k,
      kind === 'date' ? new Intl.DateTimeFormat(locale, options) : new Intl.NumberFormat(locale, options),
    );
  }
  return cache.get(k);
}

// A google.type.Date ({year, month, day}), or '' when unset.
export function formatDate(d) {
  if (!d || !d.year) return '';
  return formatter('date', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(d.year, (d.month || 1) - 1, d.day || 1)),
  );
}

// An RFC 3339 timestamp.
export function formatTime(iso) {
  if (!iso) return '';
  return formatter('date', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(
    new Date(iso),
  );
}

export function formatNumber(n, options = {}) {
  if (n === undefined || n === null || n === '') return '';
  return formatter('number', options).format(Number(n));
}

export function formatPercent(n) {
  return formatter('number', { style: 'percent', maximumFractionDigits: 0 }).format(
    (Number(n) || 0) / 100,
  );
}

// A google.type.Money ({currencyCode, units, nanos}).
export function formatMoney(m) {
  if (!m || !m.currencyCode) return '';
  const value = Number(m.units || 0) + Number(m.nanos || 0) / 1e9;
  return formatter('number', { style: 'currency', currency: m.currencyCode, maximumFractionDigits: 0 }).format(value);
}

export function moneyValue(m) {
  return m ? Number(m.units || 0) + Number(m.nanos || 0) / 1e9 : 0;
}

// For tests: the keys asked for that no catalogue has.
export function missingKeys() {
  return [...missing];
}
