// Forms of the console: labelled fields, the service's field violations shown at their fields
// (aria-invalid, aria-describedby, focus on the first), a status line that screen readers hear,
// and the submit button disabled while the call runs. The services validate everything; the
// browser only checks what it must to build a request.
import { h, replace, uniqueId } from '../dom.js';
import { refusalText } from '../components.js';
import { label, t } from '../i18n.js';

// A google.type.Date from an <input type=date> value, or undefined.
export function toDate(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '');
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
}
export function fromDate(d) {
  if (!d || !d.year) return '';
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

const snake = (s) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// spec: {name, label, type ('text'|'textarea'|'select'|'date'|'number'|'checkboxes'|'checkbox'|
// 'datetime'|'email'), options: [[value, text]], value, required, help, api (the request's
// field path for violations, default the snake_case name), attrs}
function field(spec) {
  const id = uniqueId(`f-${spec.name}`);
  const errorId = `${id}-error`;
  const helpId = spec.help ? `${id}-help` : null;
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  const describedBy = [helpId, errorId].filter(Boolean).join(' ');
  let control;
  let read;
  let inputs;
  switch (spec.type) {
    case 'custom': {
      // spec.build(id, describedBy) -> {node, read, focus}
      const built = spec.build(id, describedBy);
      control = built.node;
      read = built.read;
      inputs = [[built.focusTarget || null]];
      break;
    }
    case 'textarea':
      control = h('textarea', { id, name: spec.name, required: spec.required, 'aria-describedby': describedBy, ...spec.attrs });
      control.value = spec.value ?? '';
      read = () => control.value;
      break;
    case 'select':
      control = h(
        'select',
        { id, name: spec.name, required: spec.required, 'aria-describedby': describedBy },
        spec.required ? null : h('option', { value: '' }, t('common.notSet')),
        spec.options.map(([value, text]) => h('option', { value, selected: value === spec.value }, text)),
      );
      read = () => control.value;
      break;
    case 'checkboxes':
      inputs = spec.options.map(([value, text]) => {
        const cid = uniqueId(`${id}-o`);
        const input = h('input', { type: 'checkbox', id: cid, name: spec.name, value, checked: (spec.value || []).includes(value) });
        return [input, h('div', { class: 'check' }, input, h('label', { for: cid }, text))];
      });
      control = h('fieldset', { id, 'aria-describedby': describedBy }, h('legend', null, spec.label), inputs.map(([, node]) => node));
      read = () => inputs.filter(([i]) => i.checked).map(([i]) => i.value);
      break;
    case 'checkbox': {
      const input = h('input', { type: 'checkbox', id, name: spec.name, checked: Boolean(spec.value), 'aria-describedby': describedBy });
      control = h('div', { class: 'check' }, input, h('label', { for: id }, spec.label));
      read = () => input.checked;
      break;
    }
    default: {
      const type = { date: 'date', number: 'number', datetime: 'datetime-local', email: 'email' }[spec.type] || 'text';
      control = h('input', { id, name: spec.name, type, required: spec.required, 'aria-describedby': describedBy, autocomplete: 'off', ...spec.attrs });
      control.value = spec.value ?? '';
      read = () => control.value;
    }
  }
  const wrapper =
    spec.type === 'checkboxes' || spec.type === 'checkbox' || spec.type === 'custom'
      ? h('div', { class: 'field' }, control, spec.help ? h('p', { id: helpId, class: 'help' }, spec.help) : null, error)
      : h('div', { class: 'field' }, h('label', { for: id }, spec.label, spec.required ? h('span', { 'aria-hidden': 'true' }, ' *') : null), control, spec.help ? h('p', { id: helpId, class: 'help' }, spec.help) : null, error);
  const focusable =
    spec.type === 'checkboxes' || spec.type === 'custom' ? inputs[0]?.[0] : spec.type === 'checkbox' ? control.querySelector('input') : control;
  return {
    spec,
    node: wrapper,
    read,
    api: spec.api || snake(spec.name),
    showError(text) {
      error.hidden = !text;
      error.textContent = text || '';
      const target = spec.type === 'checkboxes' || spec.type === 'custom' ? control : focusable;
      if (text) target?.setAttribute('aria-invalid', 'true');
      else target?.removeAttribute('aria-invalid');
    },
    focus() {
      focusable?.focus();
    },
  };
}

// The violations of an ApiError that belong to `fieldApi` ("institution.display_name" matches
// the field "display_name" of a form for "institution").
function matches(violationField, fieldApi, prefix) {
  const v = String(violationField || '');
  return (
    v === fieldApi ||
    v === `${prefix}.${fieldApi}` ||
    (prefix && (v.startsWith(`${prefix}.${fieldApi}.`) || v.startsWith(`${prefix}.${fieldApi}[`))) ||
    v.startsWith(`${fieldApi}.`) ||
    v.startsWith(`${fieldApi}[`)
  );
}

// A form: fields, a submit button, a status line. `submit(values)` returns a message to show on
// success (or nothing); an ApiError's field violations go to their fields.
export function form({ fields, submitLabel, submit, prefix = '', className = '' }) {
  const controls = fields.filter(Boolean).map(field);
  const status = h('div', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'button button-primary' }, submitLabel);
  const node = h('form', { class: `console-form ${className}`, novalidate: true }, controls.map((c) => c.node), h('div', { class: 'form-actions' }, button), status);
  node.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    for (const c of controls) c.showError('');
    const values = Object.fromEntries(controls.map((c) => [c.spec.name, c.read()]));
    const missing = controls.filter((c) => c.spec.required && (values[c.spec.name] === '' || (Array.isArray(values[c.spec.name]) && !values[c.spec.name].length)));
    if (missing.length) {
      for (const c of missing) c.showError(t('form.required'));
      replace(status, h('p', { class: 'field-error' }, t('form.fix', { count: missing.length })));
      missing[0].focus();
      return;
    }
    button.disabled = true;
    replace(status, h('p', null, t('form.saving')));
    try {
      const message = await submit(values);
      replace(status, h('p', { class: 'form-ok' }, message || t('form.saved')));
    } catch (err) {
      const violations = err.fieldViolations || [];
      const shown = [];
      for (const v of violations) {
        const c = controls.find((x) => matches(v.field, x.api, prefix));
        if (c) {
          c.showError(v.description);
          shown.push(c);
        }
      }
      const unplaced = violations.filter((v) => !controls.some((x) => matches(v.field, x.api, prefix)));
      replace(
        status,
        h(
          'div',
          { class: 'error', role: 'alert' },
          h('p', null, h('strong', null, t('form.refused')), ' ', refusalText(err)),
          refusalText(err) !== err.message ? h('p', { class: 'error-detail' }, err.message) : null,
          unplaced.length ? h('ul', null, unplaced.map((v) => h('li', null, `${v.field}: ${v.description}`))) : null,
        ),
      );
      if (shown.length) shown[0].focus();
    } finally {
      button.disabled = false;
    }
  });
  return node;
}

export const enumOptions = (values, scope) => values.map((v) => [v, label(v, scope)]);
