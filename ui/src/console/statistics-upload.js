// A statistics submission from a CSV file: one row per (indicator, form, sex, age group,
// citizenship, region) with its count; an empty cell is a dimension the row is not broken down
// by. Every invalid row is listed with its line and field (first here, then whatever the service
// refuses); nothing is sent until the whole file is valid, and the service stores a submission in
// one transaction or not at all. Large files show their parsing progress.
import Papa from 'papaparse';
import { post, requestId } from '../api.js';
import { errorPanel, table } from '../components.js';
import { h, replace, uniqueId } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { AGE_GROUPS, CITIZENSHIPS, FORMS, SEXES } from '../vocabulary.js';
import { INDICATORS } from '../pages/statistics.js';

export const COLUMNS = ['indicator', 'form', 'sex', 'age_group', 'citizenship', 'country', 'region', 'count'];
const CODES = {
  indicator: ['STATISTICAL_INDICATOR_', INDICATORS],
  form: ['FORM_OF_EXPLOITATION_', FORMS],
  sex: ['SEX_', SEXES],
  age_group: ['AGE_GROUP_', AGE_GROUPS],
  citizenship: ['CITIZENSHIP_STATUS_', CITIZENSHIPS],
};
const JSON_FIELD = { indicator: 'indicator', form: 'form', sex: 'sex', age_group: 'ageGroup', citizenship: 'citizenship', region: 'region', count: 'count' };

// A code as written in the file ("FORCED_LABOUR" or "FORM_OF_EXPLOITATION_FORCED_LABOUR", any
// case) as the contract's enum value, or null when unknown.
function code(column, text) {
  const [prefix, values] = CODES[column];
  const upper = text.trim().toUpperCase().replace(/[\s-]+/g, '_');
  const full = upper.startsWith(prefix) ? upper : prefix + upper;
  return values.includes(full) ? full : null;
}

// Rows and problems of parsed CSV records (line numbers count the header as line 1).
export function checkRecords(records) {
  const rows = [];
  const problems = [];
  records.forEach((record, i) => {
    const line = i + 2;
    const row = {};
    for (const column of ['indicator', 'form', 'sex', 'age_group', 'citizenship']) {
      const value = String(record[column] ?? '').trim();
      if (!value) {
        if (column === 'indicator') problems.push({ line, field: column, message: t('upload.required') });
        continue;
      }
      const known = code(column, value);
      if (!known) problems.push({ line, field: column, message: t('upload.unknownCode', { value }) });
      else row[JSON_FIELD[column]] = known;
    }
    if (row.citizenship) {
      row.citizenship = { status: row.citizenship };
      const country = String(record.country ?? '').trim().toUpperCase();
      if (country) row.citizenship.countryCode = country;
    }
    const region = String(record.region ?? '').trim();
    if (region) row.region = region;
    const count = String(record.count ?? '').trim();
    if (!/^\d+$/.test(count)) problems.push({ line, field: 'count', message: t('upload.badCount', { value: count }) });
    else row.count = count;
    rows.push(row);
  });
  return { rows, problems };
}

function problemsTable(problems) {
  const shown = problems.slice(0, 500);
  return h(
    'div',
    { class: 'upload-problems', role: 'alert' },
    h('p', null, h('strong', null, t('upload.invalid', { count: formatNumber(problems.length) }))),
    table({
      caption: t('upload.problemsCaption'),
      columns: [
        { label: t('upload.line'), value: (p) => formatNumber(p.line), numeric: true, header: true },
        { label: t('upload.field'), value: (p) => p.field },
        { label: t('upload.problem'), value: (p) => p.message },
      ],
      rows: shown,
    }),
    problems.length > shown.length ? h('p', null, t('upload.more', { count: formatNumber(problems.length - shown.length) })) : null,
  );
}

// The service's field violations ("statistics_submission.rows[12].count") as file lines.
export function problemsFromViolations(violations) {
  return violations.map((v) => {
    const m = /rows\[(\d+)\]\.?(\w*)/.exec(v.field || '');
    return m ? { line: Number(m[1]) + 2, field: m[2] || 'row', message: v.description } : { line: 0, field: v.field, message: v.description };
  });
}

export async function render(params, { session }) {
  const ids = { file: uniqueId('csv'), year: uniqueId('year'), quarter: uniqueId('quarter'), inst: uniqueId('inst') };
  const fileInput = h('input', { id: ids.file, type: 'file', accept: '.csv,text/csv', 'aria-describedby': `${ids.file}-help` });
  const year = h('input', { id: ids.year, type: 'number', min: '1950', max: '2100', value: String(new Date().getUTCFullYear() - 1) });
  const quarter = h('select', { id: ids.quarter }, h('option', { value: '0' }, t('upload.wholeYear')), [1, 2, 3, 4].map((q) => h('option', { value: String(q) }, `Q${q}`)));
  const institution = h('input', { id: ids.inst, type: 'text', value: session.institution || '', placeholder: 'institutions/…' });
  const progressBar = h('progress', { max: '100', value: '0', 'aria-label': t('upload.progress'), hidden: true });
  const status = h('div', { class: 'upload-status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, t('upload.submit'));

  const parse = (file) =>
    new Promise((resolve, reject) => {
      const records = [];
      let fields = null;
      Papa.parse(file, {
        header: true,
        skipEmptyLines: 'greedy',
        transformHeader: (hdr) => hdr.trim().toLowerCase(),
        chunkSize: 256 * 1024,
        chunk: (results) => {
          fields = fields || results.meta.fields;
          records.push(...results.data);
          progressBar.value = Math.min(100, Math.round((results.meta.cursor / file.size) * 100));
        },
        complete: () => resolve({ records, fields: fields || [] }),
        error: reject,
      });
    });

  const node = h(
    'form',
    { class: 'console-form upload', novalidate: true },
    h('p', null, t('upload.intro')),
    h('p', { id: `${ids.file}-help`, class: 'help' }, t('upload.columns', { columns: COLUMNS.join(', ') })),
    h('div', { class: 'field' }, h('label', { for: ids.file }, t('upload.file')), fileInput),
    h('div', { class: 'field-row' }, h('div', { class: 'field' }, h('label', { for: ids.year }, t('upload.year')), year), h('div', { class: 'field' }, h('label', { for: ids.quarter }, t('upload.quarter')), quarter)),
    h('div', { class: 'field' }, h('label', { for: ids.inst }, t('upload.institution')), institution),
    h('div', { class: 'form-actions' }, submit),
    progressBar,
    status,
  );
  node.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = fileInput.files[0];
    if (!file) {
      replace(status, h('p', { class: 'field-error', role: 'alert' }, t('upload.noFile')));
      fileInput.focus();
      return;
    }
    submit.disabled = true;
    progressBar.hidden = false;
    progressBar.value = 0;
    replace(status, h('p', null, t('upload.reading', { name: file.name })));
    try {
      const { records, fields } = await parse(file);
      const missingColumns = ['indicator', 'count'].filter((c) => !fields.includes(c));
      const unknownColumns = fields.filter((c) => c && !COLUMNS.includes(c));
      if (missingColumns.length || unknownColumns.length) {
        replace(status, h('p', { class: 'field-error', role: 'alert' }, t('upload.badHeader', { missing: missingColumns.join(', ') || '—', unknown: unknownColumns.join(', ') || '—' })));
        return;
      }
      const { rows, problems } = checkRecords(records);
      if (!rows.length) problems.push({ line: 1, field: 'file', message: t('upload.empty') });
      if (problems.length) {
        replace(status, problemsTable(problems));
        return;
      }
      progressBar.removeAttribute('value'); // indeterminate while the service stores it
      replace(status, h('p', null, t('upload.sending', { count: formatNumber(rows.length) })));
      const created = await post('/v1/rapporteur/statisticsSubmissions', { reportingInstitution: institution.value.trim(), period: { year: Number(year.value), quarter: Number(quarter.value) }, rows }, { requestId: requestId() });
      replace(
        status,
        h(
          'div',
          { class: 'form-ok', role: 'status' },
          h('p', null, t('upload.stored', { count: formatNumber(created.rows?.length || rows.length), name: created.name })),
          created.warnings?.length ? h('ul', null, created.warnings.map((w) => h('li', null, `${w.code || ''}: ${w.message || ''}`))) : null,
        ),
      );
    } catch (err) {
      const rowProblems = problemsFromViolations(err.fieldViolations || []);
      replace(status, rowProblems.length ? problemsTable(rowProblems) : errorPanel(err));
    } finally {
      submit.disabled = false;
      progressBar.hidden = true;
    }
  });
  return node;
}
