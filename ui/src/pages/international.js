// The Co-ordinator's international role, as the public sees it: what the State must report to
// international and regional monitoring bodies and when (the calendar, overdue first), the
// follow-up of those bodies' recommendations (clustered by pillar, each with its responses),
// and the engagements at bilateral and multilateral fora.
import { get, listAll } from '../api.js';
import { badge, errorPanel, facts, pageTitle, section, table } from '../components.js';
import { idOf, institutionNames, nameOf, settle } from '../data.js';
import { h } from '../dom.js';
import { formatDate, formatNumber, label, t } from '../i18n.js';

export const FOLLOW_UP_KIND = {
  FOLLOW_UP_STATUS_NOT_STARTED: 'neutral',
  FOLLOW_UP_STATUS_IN_PROGRESS: 'warn',
  FOLLOW_UP_STATUS_PARTIALLY_IMPLEMENTED: 'warn',
  FOLLOW_UP_STATUS_IMPLEMENTED: 'good',
  FOLLOW_UP_STATUS_NOT_ACCEPTED: 'bad',
};

function calendarTable(calendar) {
  return table({
    caption: t('intl.calendarCaption', { date: formatDate(calendar.asOf) }),
    columns: [
      { label: t('intl.body'), value: (e) => e.monitoringBody, header: true },
      { label: t('intl.obligation'), value: (e) => e.title },
      { label: t('intl.due'), value: (e) => formatDate(e.dueDate) },
      {
        label: t('intl.status'),
        value: (e) =>
          e.overdue
            ? badge(t('intl.overdue', { days: formatNumber(-(e.daysUntilDue || 0)) }), 'bad')
            : badge(t('intl.dueIn', { days: formatNumber(e.daysUntilDue || 0) }), 'neutral'),
      },
      { label: t('intl.drafting'), value: (e) => (e.openCycle ? t('intl.beingDrafted') : '') },
    ],
    rows: calendar.entries || [],
    empty: t('intl.nothingDue'),
  });
}

function summaryTable(summary) {
  return table({
    caption: t('intl.summaryCaption'),
    columns: [
      { label: t('intl.pillar'), value: (c) => label(c.pillar), header: true },
      { label: t('intl.total'), value: (c) => formatNumber(c.total || 0), numeric: true },
      { label: label('FOLLOW_UP_STATUS_IMPLEMENTED'), value: (c) => formatNumber(c.implemented || 0), numeric: true },
      { label: label('FOLLOW_UP_STATUS_PARTIALLY_IMPLEMENTED'), value: (c) => formatNumber(c.partiallyImplemented || 0), numeric: true },
      { label: label('FOLLOW_UP_STATUS_IN_PROGRESS'), value: (c) => formatNumber(c.inProgress || 0), numeric: true },
      { label: label('FOLLOW_UP_STATUS_NOT_STARTED'), value: (c) => formatNumber(c.notStarted || 0), numeric: true },
      { label: t('intl.linked'), value: (c) => formatNumber(c.linkedToMeasures || 0), numeric: true },
    ],
    rows: summary.byPillar || [],
    empty: t('intl.noRecommendations'),
  });
}

function recommendationArticle(rec, names) {
  const followUps = rec.followUps || [];
  return h(
    'article',
    { class: 'recommendation', 'data-external-recommendation': rec.name },
    h('h3', null, rec.text),
    h('p', null, badge(label(rec.status), FOLLOW_UP_KIND[rec.status])),
    facts([
      [t('intl.source'), `${rec.source}${rec.reference ? `, ${rec.reference}` : ''}`],
      [t('intl.issued'), formatDate(rec.issuedOn)],
      [t('intl.pillar'), rec.pillar ? label(rec.pillar) : ''],
      [t('intl.themes'), (rec.themes || []).join(', ')],
      [t('intl.sdg'), (rec.sdgTargets || []).join(', ')],
      [t('intl.responsible'), (rec.responsibleInstitutions || []).map((i) => nameOf(names, i)).join(', ')],
      [t('intl.measures'), (rec.linkedMeasures || []).map((m) => idOf(m)).join(', ')],
    ]),
    h('h4', null, t('intl.followUp')),
    followUps.length
      ? h(
          'ol',
          { class: 'timeline' },
          followUps.map((f) =>
            h(
              'li',
              null,
              h('span', { class: 'when' }, formatDate(f.asOf)),
              ' ',
              f.respondingInstitution ? nameOf(names, f.respondingInstitution) : t('intl.office'),
              ' ',
              badge(label(f.status), FOLLOW_UP_KIND[f.status]),
              h('p', null, f.text),
            ),
          ),
        )
      : h('p', { class: 'empty' }, t('intl.noFollowUp')),
  );
}

function engagementsTable(engagements) {
  const day = (d) => (d && d.year ? d.year * 10000 + d.month * 100 + d.day : 0);
  const sorted = [...engagements].sort((a, b) => day(b.startDate) - day(a.startDate));
  return table({
    caption: t('intl.engagementsCaption'),
    columns: [
      { label: t('intl.date'), value: (e) => formatDate(e.startDate) },
      { label: t('intl.engagement'), value: (e) => e.title, header: true },
      { label: t('intl.kind'), value: (e) => label(e.kind, 'engagement') },
      { label: t('intl.forum'), value: (e) => e.forum },
      { label: t('intl.partners'), value: (e) => [...(e.partnerStates || []), ...(e.partnerOrganizations || [])].join(', ') },
      { label: t('intl.outcomes'), value: (e) => e.outcomes || '' },
    ],
    rows: sorted,
    empty: t('intl.noEngagements'),
  });
}

export async function render() {
  const [calendar, summary, recs, engagements, names] = await Promise.all([
    settle(get('/v1/coordinator/obligations:calendar')),
    settle(get('/v1/coordinator/externalRecommendations:summary')),
    settle(listAll('/v1/coordinator/externalRecommendations', 'externalRecommendations')),
    settle(listAll('/v1/coordinator/engagements', 'engagements')),
    institutionNames().catch(() => new Map()),
  ]);
  const shown = (r, build) => (r.error ? errorPanel(r.error) : build(r.value));
  return {
    title: t('intl.title'),
    node: h(
      'div',
      { class: 'international' },
      pageTitle(t('intl.title'), t('intl.intro')),
      section(t('intl.calendar'), shown(calendar, calendarTable)),
      section(
        t('intl.recommendations'),
        shown(summary, summaryTable),
        shown(recs, (list) => (list.length ? list.map((r) => recommendationArticle(r, names)) : h('p', { class: 'empty' }, t('intl.noRecommendations')))),
      ),
      section(t('intl.engagements'), shown(engagements, engagementsTable)),
    ),
  };
}
