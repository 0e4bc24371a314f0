// The portal's building blocks: headings, sections, tables, badges, progress bars, errors.
import { h } from './dom.js';
import { formatPercent, has, t } from './i18n.js';

// The page's one h1; main.js moves focus to it after a navigation.
export function pageTitle(text, intro) {
  return [h('h1', { tabindex: '-1', class: 'page-title' }, text), intro ? h('p', { class: 'lede' }, intro) : null];
}

let sectionIds = 0;
export function section(title, ...children) {
  sectionIds += 1;
  const id = `section-${sectionIds}`;
  return h('section', { 'aria-labelledby': id, class: 'panel' }, h('h2', { id }, title), ...children);
}

export function subsection(title, ...children) {
  return h('div', { class: 'subsection' }, h('h3', null, title), ...children);
}

// A description list from [[term, value], ...]; rows with an empty value are left out.
export function facts(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs
      .filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([term, value]) => h('div', null, h('dt', null, term), h('dd', null, value))),
  );
}

// columns: [{label, value: row => node|string, numeric?, header?}]
export function table({ caption, columns, rows, empty, className }) {
  if (!rows.length && empty) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-scroll', role: 'region', 'aria-label': caption, tabindex: '0' },
    h(
      'table',
      { class: className || 'data' },
      h('caption', null, caption),
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))),
      h(
        'tbody',
        null,
        rows.map((row) =>
          h(
            'tr',
            null,
            columns.map((c) =>
              c.header
                ? h('th', { scope: 'row' }, c.value(row))
                : h('td', { class: c.numeric ? 'num' : null }, c.value(row)),
            ),
          ),
        ),
      ),
    ),
  );
}

// kind: good | warn | bad | neutral
export function badge(text, kind = 'neutral') {
  return h('span', { class: `badge badge-${kind}` }, text);
}

export function progress(percent, name) {
  const value = Math.max(0, Math.min(100, Number(percent) || 0));
  return h(
    'span',
    { class: 'progress' },
    h('progress', { max: '100', value: String(value), 'aria-label': t('common.progressOf', { name }) }),
    h('span', { class: 'progress-value' }, formatPercent(value)),
  );
}

export function loading() {
  return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
}

export function errorPanel(err) {
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('p', null, h('strong', null, t('common.error')), ' ', refusalText(err)),
    err?.reason && refusalText(err) !== err.message ? h('p', { class: 'error-detail' }, err.message) : null,
  );
}

// A refusal in the reader's language when its google.rpc.ErrorInfo reason is known (the service's
// own message, in English, then follows it), else the service's message.
export function refusalText(err) {
  const key = `enum.ERROR_REASON_${err?.reason}`;
  if (err?.reason && has(key)) return t(key);
  return err?.message || String(err);
}

// A button; `busyText` replaces the label while `action` runs.
export function button(text, action, { kind = 'primary', type = 'button' } = {}) {
  const b = h('button', { type, class: `button button-${kind}` }, text);
  if (action) {
    b.addEventListener('click', async (event) => {
      event.preventDefault();
      if (b.disabled) return;
      b.disabled = true;
      try {
        await action(event);
      } finally {
        b.disabled = false;
      }
    });
  }
  return b;
}
