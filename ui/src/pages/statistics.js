// The statistics explorer: one indicator, a range of years, any grouping, rates per 100,000; the
// result as a chart and a table, and as CSV or in UNODC's GLOTIP format. Disclosure control is
// the service's: a suppressed cell arrives without a count and is shown as "suppressed".
import { get, post } from '../api.js';
import { button, errorPanel, facts, pageTitle, section, table } from '../components.js';
import { chartFigure, drawCharts } from '../charts.js';
import { download, h, replace, uniqueId } from '../dom.js';
import { formatNumber, label, t } from '../i18n.js';

export const INDICATORS = [
  'STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED',
  'STATISTICAL_INDICATOR_VICTIMS_PRESUMED',
  'STATISTICAL_INDICATOR_VICTIMS_REGISTERED',
  'STATISTICAL_INDICATOR_VICTIMS_ASSISTED',
  'STATISTICAL_INDICATOR_RESIDENCE_PERMITS_GRANTED',
  'STATISTICAL_INDICATOR_SUSPECTS',
  'STATISTICAL_INDICATOR_PERSONS_PROSECUTED',
  'STATISTICAL_INDICATOR_PERSONS_CONVICTED',
  'STATISTICAL_INDICATOR_COMPENSATION_ORDERS',
];

// Dimension -> the cell's field.
const DIMENSIONS = [
  ['DIMENSION_YEAR', 'year'],
  ['DIMENSION_SEX', 'sex'],
  ['DIMENSION_AGE_GROUP', 'ageGroup'],
  ['DIMENSION_FORM', 'form'],
  ['DIMENSION_CITIZENSHIP', 'citizenship'],
  ['DIMENSION_REGION', 'region'],
];

// A citizenship ({status, countryCode}) as text.
export function citizenshipText(c) {
  if (!c || !c.status) return '';
  return c.countryCode ? `${label(c.status)} (${c.countryCode})` : label(c.status);
}

function cellValue(cell, field) {
  const v = cell[field];
  if (field === 'year' || field === 'region') return v === undefined ? '' : String(v);
  if (field === 'citizenship') return citizenshipText(v);
  return v ? label(v) : '';
}

// A cell's value in the CSV: codes as the contracts spell them.
function csvValue(cell, field) {
  const v = cell[field];
  if (field === 'citizenship') return v?.status ? `${v.status}${v.countryCode ? `:${v.countryCode}` : ''}` : '';
  return v ?? '';
}

const csvField = (v) => {
  let s = String(v ?? '');
  if (/^[=+\-@]/.test(s)) s = `'${s}`; // no formula injection in a spreadsheet
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function resultCsv(request, result) {
  const fields = DIMENSIONS.filter(([d]) => request.groupBy.includes(d)).map(([, f]) => f);
  const header = ['indicator', ...fields, 'count', ...(request.includeRates ? ['rate_per_100k'] : [])];
  const lines = [header.join(',')];
  for (const cell of result.cells || []) {
    lines.push(
      [
        request.indicators[0],
        ...fields.map((f) => csvValue(cell, f)),
        cell.suppressed ? 'suppressed' : cell.count ?? '',
        ...(request.includeRates ? [cell.suppressed ? 'suppressed' : cell.ratePer100k ?? ''] : []),
      ]
        .map(csvField)
        .join(','),
    );
  }
  lines.push([request.indicators[0], ...fields.map(() => 'TOTAL'), result.totalSuppressed ? 'suppressed' : result.total ?? '', ...(request.includeRates ? [''] : [])].map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function countText(cell) {
  return cell.suppressed ? h('span', { class: 'suppressed' }, t('stats.suppressed')) : formatNumber(cell.count);
}

function resultView(request, result) {
  const fields = DIMENSIONS.filter(([d]) => request.groupBy.includes(d)).map(([d, f]) => ({ d, f }));
  const cells = result.cells || [];
  const columns = [
    ...fields.map(({ d, f }, i) => ({ label: label(d), value: (c) => cellValue(c, f), header: i === 0 })),
    { label: t('stats.count'), value: countText, numeric: true },
  ];
  if (request.includeRates) {
    columns.push({ label: t('stats.rate'), value: (c) => (c.suppressed ? h('span', { class: 'suppressed' }, t('stats.suppressed')) : c.ratePer100k === undefined ? '' : formatNumber(c.ratePer100k, { maximumFractionDigits: 2 })), numeric: true });
  }
  const totalText = result.totalSuppressed ? t('stats.suppressed') : formatNumber(result.total);

  // Chart: years along the axis when grouped by year, one series per other grouping.
  let chart = null;
  if (fields.length) {
    const byYear = fields.some((x) => x.f === 'year');
    const others = fields.filter((x) => x.f !== 'year');
    const seriesKey = (c) => others.map(({ f }) => cellValue(c, f)).join(' · ') || label(request.indicators[0]);
    const xKey = (c) => (byYear ? String(c.year) : seriesKey(c));
    const labels = [...new Set(cells.map(xKey))];
    const series = byYear ? [...new Set(cells.map(seriesKey))] : [label(request.indicators[0])];
    const datasets = series.map((name) => ({
      label: name,
      data: labels.map((x) => {
        const c = cells.find((cell) => xKey(cell) === x && (!byYear || seriesKey(cell) === name));
        if (!c || c.suppressed) return null;
        return request.includeRates && c.ratePer100k !== undefined ? c.ratePer100k : Number(c.count);
      }),
    }));
    chart = chartFigure({
      title: request.includeRates ? t('stats.chartRates', { indicator: label(request.indicators[0]) }) : t('stats.chartCounts', { indicator: label(request.indicators[0]) }),
      labels,
      datasets,
      type: byYear && labels.length > 2 ? 'line' : 'bar',
      format: (v) => formatNumber(v, { maximumFractionDigits: 2 }),
    });
  }
  return h(
    'div',
    { class: 'stats-result', 'data-cells': String(cells.length) },
    facts([
      [t('stats.total'), h('span', { class: result.totalSuppressed ? 'suppressed' : 'total', 'data-total': '' }, totalText)],
      [t('stats.threshold'), result.suppressionThreshold ? formatNumber(result.suppressionThreshold) : t('stats.noControl')],
    ]),
    chart,
    table({ caption: t('stats.tableCaption', { indicator: label(request.indicators[0]) }), columns, rows: cells, empty: t('stats.noCells') }),
  );
}

function checkbox(name, value, text, checked) {
  const id = uniqueId('cb');
  return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, name, value, checked }), h('label', { for: id }, text));
}

export async function render() {
  const indicatorId = uniqueId('indicator');
  const fromId = uniqueId('from');
  const toId = uniqueId('to');
  const currentYear = new Date().getUTCFullYear();
  const indicator = h('select', { id: indicatorId, name: 'indicator' }, INDICATORS.map((i) => h('option', { value: i }, label(i))));
  const from = h('input', { id: fromId, name: 'from', type: 'number', min: '1950', max: String(currentYear), value: String(currentYear - 5), inputmode: 'numeric' });
  const to = h('input', { id: toId, name: 'to', type: 'number', min: '1950', max: String(currentYear), value: String(currentYear), inputmode: 'numeric' });
  const dims = h('fieldset', { class: 'dimensions' }, h('legend', null, t('stats.groupBy')), DIMENSIONS.map(([d]) => checkbox('groupBy', d, label(d), d === 'DIMENSION_YEAR' || d === 'DIMENSION_SEX')));
  const rates = checkbox('rates', 'yes', t('stats.rates'), false);
  const output = h('div', { class: 'stats-output', 'aria-live': 'polite' });
  let last = null;

  const requestFromForm = () => ({
    indicators: [indicator.value],
    fromYear: Number(from.value) || 0,
    toYear: Number(to.value) || 0,
    groupBy: [...dims.querySelectorAll('input:checked')].map((i) => i.value),
    includeRates: rates.querySelector('input').checked,
  });

  const run = async () => {
    const request = requestFromForm();
    replace(output, h('p', { role: 'status' }, t('common.loading')));
    try {
      const result = await post('/v1/rapporteur/statistics:query', request);
      last = { request, result };
      replace(output, resultView(request, result));
      if (output.isConnected) drawCharts(output); // else main.js draws once the page is shown
      output.dataset.ready = 'true';
    } catch (err) {
      last = null;
      replace(output, errorPanel(err));
    }
  };

  const downloads = h(
    'div',
    { class: 'downloads' },
    button(
      t('stats.downloadCsv'),
      async () => {
        if (!last) return;
        download(`statistics-${last.request.indicators[0].toLowerCase()}.csv`, 'text/csv', resultCsv(last.request, last.result));
      },
      { kind: 'secondary' },
    ),
    ' ',
    button(
      t('stats.downloadGlotip'),
      async () => {
        const request = requestFromForm();
        const exported = await get('/v1/rapporteur/statistics:export', { format: 'EXPORT_FORMAT_GLOTIP_CSV', fromYear: request.fromYear, toYear: request.toYear });
        download(`glotip-${request.fromYear}-${request.toYear}.csv`, exported.contentType || 'text/csv', exported.content || '');
      },
      { kind: 'secondary' },
    ),
  );

  const form = h(
    'form',
    { class: 'stats-form', onsubmit: (e) => { e.preventDefault(); run(); } },
    h('div', { class: 'field' }, h('label', { for: indicatorId }, t('stats.indicator')), indicator),
    h('div', { class: 'field-row' }, h('div', { class: 'field' }, h('label', { for: fromId }, t('stats.fromYear')), from), h('div', { class: 'field' }, h('label', { for: toId }, t('stats.toYear')), to)),
    dims,
    rates,
    h('button', { type: 'submit', class: 'button button-primary' }, t('stats.run')),
  );
  const node = h('div', { class: 'statistics' }, pageTitle(t('stats.title'), t('stats.intro')), section(t('stats.query'), form), section(t('stats.result'), output, downloads));
  // The first result comes with the page.
  await run();
  return { title: t('stats.title'), node };
}
