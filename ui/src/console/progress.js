// A lead institution reports progress on the measures it leads in adopted plans (the
// Co-ordinator's office may report on any). The report updates the measure's progress, status,
// indicators and amount spent in the same transaction.
import { listAll, post, requestId } from '../api.js';
import { section, table } from '../components.js';
import { visiblePlans } from '../data.js';
import { h } from '../dom.js';
import { formatDate, formatMoney, label, t } from '../i18n.js';
import { MEASURE_STATUSES } from '../vocabulary.js';
import { enumOptions, form, toDate } from './forms.js';
import { money } from './plans.js';

function reportForm(measure, currency, onSaved) {
  const indicators = measure.indicators || [];
  return form({
    prefix: 'progress_report',
    fields: [
      { name: 'asOf', label: t('progress.asOf'), type: 'date', required: true, value: new Date().toISOString().slice(0, 10) },
      { name: 'progressPercent', label: t('progress.percent'), type: 'number', required: true, value: String(measure.progressPercent || 0), attrs: { min: '0', max: '100', step: 'any' } },
      { name: 'status', label: t('plan.status'), type: 'select', required: true, options: enumOptions(MEASURE_STATUSES), value: measure.status },
      { name: 'amountSpent', label: t('progress.spent', { currency }), value: '', api: 'amount_spent', attrs: { inputmode: 'decimal' } },
      ...indicators.map((i, n) => ({ name: `indicator${n}`, label: t('progress.indicator', { name: i.name, unit: i.unit || '', target: i.target ?? '' }), type: 'number', value: String(i.current ?? ''), api: `indicator_values[${n}]`, attrs: { step: 'any' } })),
      { name: 'narrative', label: t('progress.narrative'), type: 'textarea' },
    ],
    submitLabel: t('progress.submit'),
    submit: async (v) => {
      const report = {
        asOf: toDate(v.asOf),
        progressPercent: Number(v.progressPercent),
        status: v.status,
        amountSpent: money(v.amountSpent, currency),
        indicatorValues: indicators.map((i, n) => ({ name: i.name, value: Number(v[`indicator${n}`]) })).filter((x, n) => v[`indicator${n}`] !== ''),
        narrative: v.narrative,
      };
      await post(`/v1/coordinator/${measure.name}/progressReports`, report, { requestId: requestId() });
      onSaved();
      return t('progress.saved', { title: measure.title });
    },
  });
}

export async function render(params, { session }) {
  const plans = await visiblePlans({ adopted: true });
  const open = plans.filter((p) => p.state === 'STATE_ADOPTED');
  const office = session.roles.includes('coordinator_office');
  const sections = [];
  for (const plan of open) {
    const query = office ? {} : { filter: `lead_institution = "${session.institution}"` };
    const measures = await listAll(`/v1/coordinator/${plan.name}/measures`, 'measures', query);
    sections.push(
      section(
        plan.title,
        measures.length
          ? measures.map((m) =>
              h(
                'details',
                { class: 'measure-report', 'data-measure': m.name },
                h('summary', null, `${m.title} — ${label(m.status)}, ${Math.round(m.progressPercent || 0)}%`),
                table({
                  caption: t('progress.current', { title: m.title }),
                  columns: [
                    { label: t('progress.indicatorName'), value: (i) => i.name, header: true },
                    { label: t('progress.target'), value: (i) => `${i.target ?? ''} ${i.unit || ''}` },
                    { label: t('progress.currentValue'), value: (i) => `${i.current ?? 0} ${i.unit || ''}` },
                  ],
                  rows: m.indicators || [],
                  empty: t('progress.noIndicators'),
                }),
                h('p', null, t('progress.budget', { allocated: formatMoney(m.budget?.allocated) || '—', spent: formatMoney(m.budget?.spent) || '—', due: formatDate(m.dueDate) })),
                reportForm(m, plan.currencyCode || 'EUR', () => {}),
              ),
            )
          : h('p', { class: 'empty' }, t('progress.noMeasures')),
      ),
    );
  }
  if (!session.institution && !office) sections.unshift(h('p', { class: 'error', role: 'alert' }, t('progress.noInstitution')));
  return h('div', null, h('p', null, t('progress.intro')), sections.length ? sections : h('p', { class: 'empty' }, t('plan.none')));
}
