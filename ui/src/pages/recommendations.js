// The Rapporteur's recommendations: addressee, priority, the addressee's response and the
// follow-up timeline (every response and assessment, in order).
import { listAll } from '../api.js';
import { badge, facts, pageTitle, section } from '../components.js';
import { idOf, institutionNames, nameOf } from '../data.js';
import { h } from '../dom.js';
import { formatDate, formatTime, label, t } from '../i18n.js';

const PRIORITY_KIND = { PRIORITY_HIGH: 'bad', PRIORITY_MEDIUM: 'warn', PRIORITY_LOW: 'neutral' };
export const FOLLOW_UP_KIND = {
  IMPLEMENTATION_STATUS_NOT_STARTED: 'neutral',
  IMPLEMENTATION_STATUS_PARTIALLY_IMPLEMENTED: 'warn',
  IMPLEMENTATION_STATUS_IMPLEMENTED: 'good',
  IMPLEMENTATION_STATUS_NOT_IMPLEMENTED: 'bad',
};

export function addresseeName(addressee, names) {
  if (!addressee) return '';
  if (addressee.kind === 'KIND_INSTITUTION') return nameOf(names, addressee.institution);
  return label(addressee.kind, 'addressee');
}

function timeline(rec) {
  const events = rec.history || [];
  if (!events.length) return h('p', { class: 'empty' }, t('rec.noFollowUp'));
  return h(
    'ol',
    { class: 'timeline' },
    events.map((e) =>
      e.response
        ? h(
            'li',
            null,
            h('span', { class: 'when' }, formatTime(e.response.respondTime)),
            ' ',
            t('rec.responded', { who: e.response.respondedBy || '' }),
            ' ',
            badge(label(e.response.position), 'neutral'),
            e.response.plannedActions ? h('p', null, e.response.plannedActions) : null,
            e.response.linkedMeasure ? h('p', null, t('rec.linkedMeasure', { measure: idOf(e.response.linkedMeasure) })) : null,
          )
        : h(
            'li',
            null,
            h('span', { class: 'when' }, formatTime(e.assessment?.assessTime)),
            ' ',
            t('rec.assessed'),
            ' ',
            badge(label(e.assessment?.status), FOLLOW_UP_KIND[e.assessment?.status]),
            e.assessment?.rationale ? h('p', null, e.assessment.rationale) : null,
          ),
    ),
  );
}

export function recommendationArticle(rec, names, extra) {
  return h(
    'article',
    { class: 'recommendation', 'data-recommendation': rec.name },
    h('h3', null, rec.text),
    h('p', null, badge(label(rec.priority), PRIORITY_KIND[rec.priority]), ' ', rec.followUp ? badge(label(rec.followUp.status), FOLLOW_UP_KIND[rec.followUp.status]) : badge(t('rec.notAssessed'), 'neutral'), rec.overdue ? [' ', badge(t('rec.overdue'), 'bad')] : null),
    facts([
      [t('rec.addressee'), addresseeName(rec.addressee, names)],
      [t('rec.pillar'), rec.pillar ? label(rec.pillar) : ''],
      [t('rec.forms'), (rec.forms || []).map((f) => label(f)).join(', ')],
      [t('rec.due'), formatDate(rec.dueDate)],
      [t('rec.report'), rec.issuingReport ? h('a', { href: `#/reports/${idOf(rec.issuingReport)}` }, idOf(rec.issuingReport)) : ''],
      [t('rec.response'), rec.response ? label(rec.response.position) : t('rec.noResponse')],
    ]),
    h('h4', null, t('rec.timeline')),
    timeline(rec),
    extra || null,
  );
}

export async function render() {
  const [recs, names] = await Promise.all([listAll('/v1/rapporteur/recommendations', 'recommendations'), institutionNames().catch(() => new Map())]);
  return {
    title: t('rec.title'),
    node: h(
      'div',
      { class: 'recommendations' },
      pageTitle(t('rec.title'), t('rec.intro')),
      section(t('rec.list'), recs.length ? recs.map((r) => recommendationArticle(r, names)) : h('p', { class: 'empty' }, t('rec.none'))),
    ),
  };
}
