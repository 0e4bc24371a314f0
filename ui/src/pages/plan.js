// The National Action Plan as published (`:publicReport`): objectives and measures with their
// progress, charts of progress and funding, and coverage of forms × pillars with its gaps.
import { get } from '../api.js';
import { badge, facts, pageTitle, progress, section, table } from '../components.js';
import { chartFigure } from '../charts.js';
import { idOf, visiblePlans } from '../data.js';
import { h } from '../dom.js';
import { formatDate, formatMoney, formatNumber, formatPercent, label, moneyValue, t } from '../i18n.js';

const PILLARS = ['PILLAR_PREVENTION', 'PILLAR_PROTECTION', 'PILLAR_PROSECUTION', 'PILLAR_PARTNERSHIP'];

export const STATUS_KIND = {
  MEASURE_STATUS_PLANNED: 'neutral',
  MEASURE_STATUS_IN_PROGRESS: 'warn',
  MEASURE_STATUS_COMPLETED: 'good',
  MEASURE_STATUS_DELAYED: 'bad',
  MEASURE_STATUS_CANCELLED: 'neutral',
};

function heatClass(count, max) {
  if (!count) return 'heat-gap';
  const level = Math.min(4, Math.ceil((count / Math.max(1, max)) * 4));
  return `heat-${level}`;
}

function coverageHeatMap(coverage) {
  const cells = coverage.cells || [];
  const forms = [...new Set(cells.map((c) => c.form))];
  const byKey = new Map(cells.map((c) => [`${c.form}|${c.pillar}`, c]));
  const max = Math.max(0, ...cells.map((c) => c.measureCount || 0));
  return h(
    'div',
    { class: 'table-scroll', role: 'region', 'aria-label': t('plan.coverage'), tabindex: '0' },
    h(
      'table',
      { class: 'heatmap' },
      h('caption', null, t('plan.coverageCaption')),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('plan.form')), PILLARS.map((p) => h('th', { scope: 'col' }, label(p))))),
      h(
        'tbody',
        null,
        forms.map((form) =>
          h(
            'tr',
            null,
            h('th', { scope: 'row' }, label(form)),
            PILLARS.map((pillar) => {
              const count = byKey.get(`${form}|${pillar}`)?.measureCount || 0;
              return h(
                'td',
                { class: `num ${heatClass(count, max)}`, 'data-form': form, 'data-pillar': pillar },
                count ? formatNumber(count) : h('span', null, t('plan.gap')),
              );
            }),
          ),
        ),
      ),
    ),
  );
}

function measuresTable(objective, measures, overdue) {
  return table({
    caption: objective ? `${objective.title} (${label(objective.pillar)})` : t('plan.noObjective'),
    columns: [
      { label: t('plan.measure'), value: (m) => m.title, header: true },
      { label: t('plan.status'), value: (m) => [badge(label(m.status), STATUS_KIND[m.status]), overdue.has(m.name) ? [' ', badge(t('plan.overdue'), 'bad')] : null] },
      { label: t('plan.progress'), value: (m) => progress(m.progressPercent, m.title) },
      { label: t('plan.lead'), value: (m) => m.leadInstitutionName },
      { label: t('plan.start'), value: (m) => formatDate(m.startDate) },
      { label: t('plan.due'), value: (m) => formatDate(m.dueDate) },
    ],
    rows: measures,
  });
}

export async function render(params) {
  const plans = await visiblePlans({ adopted: true });
  if (!plans.length) {
    return { title: t('plan.title'), node: h('div', null, pageTitle(t('plan.title')), h('p', { class: 'empty' }, t('plan.none'))) };
  }
  const chosen = params[0] ? plans.find((p) => idOf(p.name) === params[0]) : plans[0];
  if (!chosen) throw new Error(t('plan.notFound', { id: params[0] }));
  const report = await get(`/v1/coordinator/${chosen.name}:publicReport`);
  const overdue = new Set(report.progress?.overdueMeasures || []);
  const objectives = report.objectives || [];
  const measures = report.measures || [];
  const objectiveTitle = new Map(objectives.map((o) => [o.name, o.title]));
  const progressData = report.progress || {};
  const funding = report.funding || {};
  const currency = funding.total?.allocated?.currencyCode || '';

  const chooser =
    plans.length > 1
      ? h(
          'nav',
          { 'aria-label': t('plan.otherPlans'), class: 'plan-chooser' },
          h('ul', { class: 'inline-list' }, plans.map((p) => h('li', null, p.name === chosen.name ? h('strong', { 'aria-current': 'page' }, p.title) : h('a', { href: `#/plan/${idOf(p.name)}` }, p.title)))),
        )
      : null;

  const overall = progressData.overall || {};
  const node = h(
    'div',
    { class: 'plan' },
    pageTitle(report.title, report.description),
    chooser,
    section(
      t('plan.summary'),
      facts([
        [t('plan.period'), `${formatDate(report.periodStart)} – ${formatDate(report.periodEnd)}`],
        [t('plan.state'), label(report.state, 'plan')],
        [t('plan.overall'), progress(overall.progressPercent, report.title)],
        [t('plan.measures'), formatNumber(overall.measureCount || 0)],
        [t('plan.completed'), formatNumber(overall.completedCount || 0)],
        [t('plan.overdueCount'), formatNumber(overall.overdueCount || 0)],
        [t('plan.allocated'), formatMoney(funding.total?.allocated)],
        [t('plan.spent'), formatMoney(funding.total?.spent)],
      ]),
    ),
    section(
      t('plan.progressCharts'),
      h(
        'div',
        { class: 'grid-2' },
        chartFigure({
          title: t('plan.progressByPillar'),
          labels: (progressData.byPillar || []).map((r) => label(r.pillar)),
          datasets: [{ label: t('plan.weightedProgress'), data: (progressData.byPillar || []).map((r) => r.progressPercent || 0) }],
          format: formatPercent,
          yTitle: '%',
        }),
        chartFigure({
          title: t('plan.progressByObjective'),
          labels: (progressData.byObjective || []).map((r) => objectiveTitle.get(r.objective) || idOf(r.objective)),
          datasets: [{ label: t('plan.weightedProgress'), data: (progressData.byObjective || []).map((r) => r.progressPercent || 0) }],
          format: formatPercent,
          horizontal: true,
        }),
      ),
    ),
    section(
      t('plan.fundingCharts'),
      h(
        'div',
        { class: 'grid-2' },
        chartFigure({
          title: t('plan.fundingByPillar', { currency }),
          labels: (funding.byPillar || []).map((r) => label(r.pillar)),
          datasets: [
            { label: t('plan.allocated'), data: (funding.byPillar || []).map((r) => moneyValue(r.allocated)) },
            { label: t('plan.spent'), data: (funding.byPillar || []).map((r) => moneyValue(r.spent)) },
          ],
          format: (v) => formatMoney({ currencyCode: currency, units: v }),
        }),
        chartFigure({
          title: t('plan.fundingBySource', { currency }),
          labels: (funding.bySource || []).map((r) => (r.noFundingSource ? t('plan.noSource') : r.fundingSource)),
          datasets: [
            { label: t('plan.allocated'), data: (funding.bySource || []).map((r) => moneyValue(r.allocated)) },
            { label: t('plan.spent'), data: (funding.bySource || []).map((r) => moneyValue(r.spent)) },
          ],
          format: (v) => formatMoney({ currencyCode: currency, units: v }),
        }),
      ),
    ),
    section(
      t('plan.coverage'),
      coverageHeatMap(report.coverage || {}),
      report.coverage?.uncoveredForms?.length
        ? h('p', { class: 'gaps' }, h('strong', null, t('plan.uncovered')), ' ', report.coverage.uncoveredForms.map((f) => label(f)).join(', '))
        : null,
      report.coverage?.mandateFormsNotCovered?.length
        ? h('p', { class: 'gaps' }, h('strong', null, t('plan.mandateNotCovered')), ' ', report.coverage.mandateFormsNotCovered.map((f) => label(f)).join(', '))
        : null,
    ),
    section(
      t('plan.objectivesAndMeasures'),
      objectives.map((o) => measuresTable(o, measures.filter((m) => m.objective === o.name), overdue)),
      measures.some((m) => !objectiveTitle.has(m.objective)) ? measuresTable(null, measures.filter((m) => !objectiveTitle.has(m.objective)), overdue) : null,
    ),
  );
  return { title: report.title, node };
}
