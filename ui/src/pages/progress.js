// The Co-ordinator's published progress reports on the Action Plan: each a dated, frozen
// snapshot of the plan's results with the progress narratives of its period and the SHA-256 that
// identifies its content (the recipe is in the contract, thb.coordinator.v1.ProgressPublication).
import { listAll } from '../api.js';
import { badge, errorPanel, facts, pageTitle, progress, section } from '../components.js';
import { settle, visiblePlans } from '../data.js';
import { h } from '../dom.js';
import { formatDate, formatTime, label, t } from '../i18n.js';
import { renderMarkdown } from '../markdown.js';
import { STATUS_KIND } from './plan.js';

function publicationArticle(p) {
  const overall = p.snapshot?.progress?.overall || {};
  return h(
    'article',
    { class: 'progress-publication', 'data-publication': p.name },
    h('h3', null, p.title),
    facts([
      [t('pub.period'), `${formatDate(p.periodStart)} – ${formatDate(p.periodEnd)}`],
      [t('pub.published'), formatTime(p.publishTime)],
      [t('pub.plan'), p.snapshot?.title || ''],
      [t('pub.overall'), progress(overall.progressPercent || 0, p.title)],
      [t('pub.measures'), t('pub.measureCounts', { total: overall.measureCount || 0, completed: overall.completedCount || 0, overdue: overall.overdueCount || 0 })],
      [t('pub.sha'), h('code', { class: 'hash' }, p.contentSha256 || '')],
    ]),
    p.summary ? renderMarkdown(p.summary, 4) : null,
    h('h4', null, t('pub.narratives')),
    (p.narratives || []).length
      ? h(
          'ol',
          { class: 'timeline' },
          p.narratives.map((n) =>
            h(
              'li',
              null,
              h('span', { class: 'when' }, formatDate(n.asOf)),
              ' ',
              h('strong', null, n.measureTitle),
              ` — ${n.reportingInstitutionName}`,
              n.status ? [' ', badge(label(n.status), STATUS_KIND[n.status])] : null,
              h('p', null, n.narrative),
            ),
          ),
        )
      : h('p', { class: 'empty' }, t('pub.noNarratives')),
  );
}

export async function render() {
  const plans = await visiblePlans({ adopted: true });
  const lists = await Promise.all(plans.map((p) => settle(listAll(`/v1/coordinator/${p.name}/progressPublications`, 'progressPublications'))));
  const published = [];
  const failures = [];
  lists.forEach((r) => (r.error ? failures.push(r.error) : published.push(...r.value.filter((p) => p.state === 'STATE_PUBLISHED'))));
  published.sort((a, b) => String(b.publishTime).localeCompare(String(a.publishTime)));
  return {
    title: t('pub.title'),
    node: h(
      'div',
      { class: 'progress-publications' },
      pageTitle(t('pub.title'), t('pub.intro')),
      failures.map((e) => errorPanel(e)),
      section(t('pub.list'), published.length ? published.map(publicationArticle) : h('p', { class: 'empty' }, t('pub.none'))),
    ),
  };
}
