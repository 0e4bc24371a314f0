// The Co-ordinator's office: the international role (record an engagement, a reporting
// obligation and a recommendation from a monitoring body; respond to a recommendation) and the
// published progress reports (prepare one for a period, then publish it). Responsible
// institutions respond to their recommendations from the same form (the service checks that the
// recommendation is theirs).
import { listAll, post, requestId } from '../api.js';
import { badge, button, section, table } from '../components.js';
import { institutionNames, nameOf } from '../data.js';
import { h } from '../dom.js';
import { formatDate, label, t } from '../i18n.js';
import { ENGAGEMENT_KINDS, FOLLOW_UP_STATUSES, MONITORING_BODY_KINDS, PILLARS } from '../vocabulary.js';
import { enumOptions, form, toDate } from './forms.js';

const list = (text) =>
  String(text || '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

function engagementForm(institutions) {
  return form({
    prefix: 'engagement',
    fields: [
      { name: 'engagementId', label: t('intlc.id'), help: t('form.idHelp'), api: 'engagement_id' },
      { name: 'title', label: t('intlc.title'), required: true },
      { name: 'kind', label: t('intl.kind'), type: 'select', required: true, options: enumOptions(ENGAGEMENT_KINDS, 'engagement') },
      { name: 'forum', label: t('intl.forum'), required: true },
      { name: 'startDate', label: t('intlc.start'), type: 'date', required: true },
      { name: 'endDate', label: t('intlc.end'), type: 'date' },
      { name: 'partnerStates', label: t('intlc.partnerStates'), help: t('intlc.partnerStatesHelp') },
      { name: 'partnerOrganizations', label: t('intlc.partnerOrganizations'), help: t('intlc.listHelp') },
      { name: 'institutions', label: t('intlc.institutions'), type: 'checkboxes', options: institutions },
      { name: 'outcomes', label: t('intl.outcomes'), type: 'textarea' },
      { name: 'internalNotes', label: t('intlc.internalNotes'), type: 'textarea', help: t('intlc.internalHelp') },
    ],
    submitLabel: t('intlc.recordEngagement'),
    submit: async (v) => {
      const saved = await post('/v1/coordinator/engagements', {
        title: v.title,
        kind: v.kind,
        forum: v.forum,
        startDate: toDate(v.startDate),
        endDate: toDate(v.endDate),
        partnerStates: list(v.partnerStates),
        partnerOrganizations: list(v.partnerOrganizations),
        institutions: v.institutions,
        outcomes: v.outcomes,
        internalNotes: v.internalNotes,
      }, { engagementId: v.engagementId, requestId: requestId() });
      return t('form.savedName', { name: saved.title });
    },
  });
}

function obligationForm(institutions) {
  return form({
    prefix: 'obligation',
    fields: [
      { name: 'obligationId', label: t('intlc.id'), help: t('form.idHelp'), api: 'obligation_id' },
      { name: 'title', label: t('intlc.title'), required: true },
      { name: 'monitoringBody', label: t('intl.body'), required: true },
      { name: 'bodyKind', label: t('intlc.bodyKind'), type: 'select', required: true, options: enumOptions(MONITORING_BODY_KINDS) },
      { name: 'instrument', label: t('intlc.instrument') },
      { name: 'cycleMonths', label: t('intlc.cycleMonths'), type: 'number', help: t('intlc.cycleHelp'), value: '48' },
      { name: 'nextDueDate', label: t('intlc.nextDue'), type: 'date', required: true },
      { name: 'leadInstitution', label: t('intlc.lead'), type: 'select', options: institutions },
    ],
    submitLabel: t('intlc.recordObligation'),
    submit: async (v) => {
      const saved = await post('/v1/coordinator/obligations', {
        title: v.title,
        monitoringBody: v.monitoringBody,
        bodyKind: v.bodyKind,
        instrument: v.instrument,
        cycleMonths: Number(v.cycleMonths || 0),
        nextDueDate: toDate(v.nextDueDate),
        leadInstitution: v.leadInstitution || undefined,
      }, { obligationId: v.obligationId, requestId: requestId() });
      return t('form.savedName', { name: saved.title });
    },
  });
}

function recommendationForm(institutions, obligations) {
  return form({
    prefix: 'external_recommendation',
    fields: [
      { name: 'source', label: t('intl.source'), required: true },
      { name: 'sourceKind', label: t('intlc.bodyKind'), type: 'select', required: true, options: enumOptions(MONITORING_BODY_KINDS) },
      { name: 'obligation', label: t('intl.obligation'), type: 'select', options: obligations.map((o) => [o.name, o.title]) },
      { name: 'reference', label: t('intlc.reference') },
      { name: 'issuedOn', label: t('intl.issued'), type: 'date', required: true },
      { name: 'text', label: t('intlc.text'), type: 'textarea', required: true },
      { name: 'themes', label: t('intl.themes'), help: t('intlc.listHelp') },
      { name: 'pillar', label: t('intl.pillar'), type: 'select', required: true, options: enumOptions(PILLARS) },
      { name: 'responsibleInstitutions', label: t('intl.responsible'), type: 'checkboxes', options: institutions },
      { name: 'sdgTargets', label: t('intl.sdg'), help: t('intlc.sdgHelp') },
    ],
    submitLabel: t('intlc.recordRecommendation'),
    submit: async (v) => {
      await post('/v1/coordinator/externalRecommendations', {
        source: v.source,
        sourceKind: v.sourceKind,
        obligation: v.obligation || undefined,
        reference: v.reference,
        issuedOn: toDate(v.issuedOn),
        text: v.text,
        themes: list(v.themes),
        pillar: v.pillar,
        responsibleInstitutions: v.responsibleInstitutions,
        sdgTargets: list(v.sdgTargets),
      }, { requestId: requestId() });
      return t('intlc.recorded');
    },
  });
}

function respondForm(rec) {
  return form({
    prefix: 'follow_up',
    fields: [
      { name: 'status', label: t('intl.status'), type: 'select', required: true, options: enumOptions(FOLLOW_UP_STATUSES) },
      { name: 'text', label: t('intlc.response'), type: 'textarea', required: true },
      { name: 'linkedMeasures', label: t('intl.measures'), help: t('intlc.measuresHelp') },
      { name: 'internalNote', label: t('intlc.internalNote'), type: 'textarea', help: t('intlc.internalHelp') },
    ],
    submitLabel: t('intlc.respond'),
    submit: async (v) => {
      await post(`/v1/coordinator/${rec.name}:respond`, {
        followUp: { status: v.status, text: v.text, linkedMeasures: list(v.linkedMeasures), internalNote: v.internalNote },
        etag: rec.etag,
        requestId: requestId(),
      });
      return t('intlc.responded');
    },
  });
}

// The recommendations the caller may answer: all for the office, its own for an institution.
async function respondView(session) {
  const [recs, names] = await Promise.all([listAll('/v1/coordinator/externalRecommendations', 'externalRecommendations'), institutionNames()]);
  const office = session?.roles?.includes('coordinator_office');
  const mine = office ? recs : recs.filter((r) => (r.responsibleInstitutions || []).includes(session?.institution));
  return section(
    t('intlc.respondTitle'),
    mine.length
      ? mine.map((r) =>
          h(
            'article',
            { class: 'recommendation', 'data-external-recommendation': r.name },
            h('h3', null, r.text),
            h('p', null, `${r.source}${r.reference ? `, ${r.reference}` : ''} — `, badge(label(r.status), 'neutral')),
            h('p', null, (r.responsibleInstitutions || []).map((i) => nameOf(names, i)).join(', ')),
            respondForm(r),
          ),
        )
      : h('p', { class: 'empty' }, t('intlc.nothingToAnswer')),
  );
}

async function publicationsView() {
  const plans = (await listAll('/v1/coordinator/plans', 'plans')).filter((p) => p.state === 'STATE_ADOPTED' || p.state === 'STATE_CLOSED');
  const all = (await Promise.all(plans.map((p) => listAll(`/v1/coordinator/${p.name}/progressPublications`, 'progressPublications')))).flat();
  return section(
    t('intlc.publications'),
    table({
      caption: t('intlc.publicationsCaption'),
      columns: [
        { label: t('intlc.title'), value: (p) => p.title, header: true },
        { label: t('pub.period'), value: (p) => `${formatDate(p.periodStart)} – ${formatDate(p.periodEnd)}` },
        {
          label: t('intl.status'),
          value: (p) =>
            p.state === 'STATE_PUBLISHED'
              ? badge(label(p.state, 'publication'), 'good')
              : button(t('intlc.publish'), async () => {
                  await post(`/v1/coordinator/${p.name}:publish`, { etag: p.etag, requestId: requestId() });
                  window.location.reload();
                }),
        },
      ],
      rows: all,
      empty: t('pub.none'),
    }),
    form({
      prefix: 'progress_publication',
      fields: [
        { name: 'plan', label: t('pub.plan'), type: 'select', required: true, options: plans.map((p) => [p.name, p.title]), api: 'parent' },
        { name: 'title', label: t('intlc.title'), required: true },
        { name: 'periodStart', label: t('intlc.start'), type: 'date', required: true },
        { name: 'periodEnd', label: t('intlc.end'), type: 'date', required: true },
        { name: 'summary', label: t('intlc.summary'), type: 'textarea', help: t('intlc.summaryHelp') },
      ],
      submitLabel: t('intlc.prepare'),
      submit: async (v) => {
        const saved = await post(`/v1/coordinator/${v.plan}/progressPublications`, {
          title: v.title,
          periodStart: toDate(v.periodStart),
          periodEnd: toDate(v.periodEnd),
          summary: v.summary,
        }, { requestId: requestId() });
        return t('intlc.prepared', { name: saved.title });
      },
    }),
  );
}

export async function render(params, { session } = {}) {
  const [all, obligations] = await Promise.all([listAll('/v1/coordinator/institutions', 'institutions'), listAll('/v1/coordinator/obligations', 'obligations')]);
  const institutions = all.map((i) => [i.name, i.displayName]);
  return h(
    'div',
    null,
    section(t('intlc.engagement'), engagementForm(institutions)),
    section(t('intlc.obligation'), obligationForm(institutions)),
    section(t('intlc.recommendation'), recommendationForm(institutions, obligations)),
    await respondView(session),
    await publicationsView(),
  );
}

export async function renderResponses(params, { session } = {}) {
  return h('div', null, await respondView(session));
}
