// The Rapporteur's office: issue recommendations and assess their follow-up; draft reports with a
// Markdown preview and publish them; run the architecture assessment (also the analysts).
import { get, listAll, patch, post, requestId } from '../api.js';
import { badge, button, errorPanel, section, table } from '../components.js';
import { idOf, institutionNames } from '../data.js';
import { h, replace, uniqueId } from '../dom.js';
import { formatTime, label, t } from '../i18n.js';
import { renderMarkdown } from '../markdown.js';
import { recommendationArticle } from '../pages/recommendations.js';
import { ADDRESSEE_KINDS, FORMS, IMPLEMENTATION_STATUSES, PILLARS, PRIORITIES, REPORT_KINDS } from '../vocabulary.js';
import { enumOptions, form, toDate } from './forms.js';

export async function renderRecommendations() {
  const [recs, reports, institutions, names] = await Promise.all([
    listAll('/v1/rapporteur/recommendations', 'recommendations'),
    listAll('/v1/rapporteur/reports', 'reports'),
    listAll('/v1/coordinator/institutions', 'institutions'),
    institutionNames(),
  ]);
  const assess = (rec) =>
    h(
      'div',
      { class: 'assess' },
      h('h4', null, t('recs.assess')),
      form({
        fields: [
          { name: 'status', label: t('recs.followUpStatus'), type: 'select', required: true, options: enumOptions(IMPLEMENTATION_STATUSES), value: rec.followUp?.status },
          { name: 'rationale', label: t('recs.rationale'), type: 'textarea', required: true },
        ],
        submitLabel: t('recs.assessButton'),
        submit: async (v) => {
          const saved = await post(`/v1/rapporteur/${rec.name}:assessFollowUp`, { status: v.status, rationale: v.rationale, etag: rec.etag, requestId: requestId() });
          rec.etag = saved.etag;
          return t('recs.assessed', { status: label(saved.followUp?.status) });
        },
      }),
    );
  return h(
    'div',
    null,
    section(
      t('recs.issue'),
      form({
        prefix: 'recommendation',
        fields: [
          { name: 'recommendationId', label: t('recs.id'), help: t('form.idHelp'), api: 'recommendation_id' },
          { name: 'text', label: t('recs.text'), type: 'textarea', required: true },
          { name: 'addresseeKind', label: t('rec.addressee'), type: 'select', required: true, options: enumOptions(ADDRESSEE_KINDS, 'addressee'), api: 'addressee.kind' },
          { name: 'addresseeInstitution', label: t('recs.addresseeInstitution'), type: 'select', options: institutions.map((i) => [i.name, i.displayName]), api: 'addressee.institution', help: t('recs.addresseeHelp') },
          { name: 'pillar', label: t('rec.pillar'), type: 'select', options: enumOptions(PILLARS) },
          { name: 'forms', label: t('rec.forms'), type: 'checkboxes', options: enumOptions(FORMS), value: [] },
          { name: 'priority', label: t('recs.priority'), type: 'select', required: true, options: enumOptions(PRIORITIES) },
          { name: 'dueDate', label: t('rec.due'), type: 'date', api: 'due_date' },
          { name: 'issuingReport', label: t('rec.report'), type: 'select', options: reports.map((r) => [r.name, r.title]), api: 'issuing_report' },
        ],
        submitLabel: t('recs.issueButton'),
        submit: async (v) => {
          const created = await post(
            '/v1/rapporteur/recommendations',
            {
              text: v.text,
              addressee: { kind: v.addresseeKind, institution: v.addresseeKind === 'KIND_INSTITUTION' ? v.addresseeInstitution : undefined },
              pillar: v.pillar || undefined,
              forms: v.forms,
              priority: v.priority,
              dueDate: toDate(v.dueDate),
              issuingReport: v.issuingReport || undefined,
            },
            { recommendationId: v.recommendationId, requestId: requestId() },
          );
          return t('form.createdName', { name: created.text.slice(0, 60), id: created.name });
        },
      }),
    ),
    section(t('recs.all'), recs.length ? recs.map((r) => recommendationArticle(r, names, assess(r))) : h('p', { class: 'empty' }, t('rec.none'))),
  );
}

// A Markdown editor with a live, sanitized preview.
function markdownEditor(initial) {
  return (id, describedBy) => {
    const area = h('textarea', { id, rows: '14', 'aria-describedby': describedBy });
    area.value = initial || '';
    const preview = h('div', { class: 'markdown preview', 'aria-live': 'off' });
    const update = () => replace(preview, renderMarkdown(area.value, 3));
    area.addEventListener('input', update);
    update();
    return {
      node: h('div', { class: 'field markdown-editor' }, h('label', { for: id }, t('reports.content')), area, h('h3', null, t('reports.preview')), preview),
      read: () => area.value,
      focusTarget: area,
    };
  };
}

function reportFields(report, published) {
  return [
    report ? null : { name: 'reportId', label: t('reports.id'), help: t('form.idHelp'), api: 'report_id' },
    { name: 'title', label: t('report.title'), required: true, value: report?.title },
    { name: 'kind', label: t('report.kind'), type: 'select', required: true, options: enumOptions(REPORT_KINDS, 'report'), value: report?.kind },
    { name: 'year', label: t('report.year'), type: 'number', value: String(report?.year || new Date().getUTCFullYear()) },
    { name: 'supersedes', label: t('reports.supersedes'), type: 'select', options: published.map((r) => [r.name, `${r.title} (v${r.version})`]), value: report?.supersedes, help: t('reports.supersedesHelp') },
    { name: 'content', label: t('reports.content'), type: 'custom', build: markdownEditor(report?.content) },
  ];
}
const reportBody = (v) => ({ title: v.title, kind: v.kind, year: Number(v.year) || 0, supersedes: v.supersedes || undefined, content: v.content });

export async function renderReports(params) {
  const reports = await listAll('/v1/rapporteur/reports', 'reports');
  const published = reports.filter((r) => r.state === 'STATE_PUBLISHED');
  if (params[0]) {
    const report = await get(`/v1/rapporteur/reports/${encodeURIComponent(params[0])}`);
    let etag = report.etag;
    const publishStatus = h('div', { role: 'status' });
    return h(
      'div',
      null,
      h('p', null, h('a', { href: '#/console/reports' }, t('reports.backDrafts'))),
      section(
        t('reports.editDraft', { title: report.title }),
        report.state !== 'STATE_DRAFT'
          ? h('p', null, t('reports.notDraft', { state: label(report.state, 'reportState') }), ' ', h('a', { href: `#/reports/${idOf(report.name)}` }, t('reports.readPublished')))
          : [
              form({
                prefix: 'report',
                fields: reportFields(report, published),
                submitLabel: t('reports.saveDraft'),
                submit: async (v) => {
                  const saved = await patch(`/v1/rapporteur/${report.name}`, { ...reportBody(v), etag });
                  etag = saved.etag;
                  return t('form.saved');
                },
              }),
              h('h3', null, t('reports.publishTitle')),
              h('p', null, t('reports.publishHelp')),
              button(t('reports.publish'), async () => {
                try {
                  const done = await post(`/v1/rapporteur/${report.name}:publish`, { etag, requestId: requestId() });
                  replace(publishStatus, h('p', { class: 'form-ok' }, t('reports.published', { version: done.version, sha: done.contentSha256 })), ' ', h('a', { href: `#/reports/${idOf(done.name)}` }, t('reports.readPublished')));
                } catch (err) {
                  replace(publishStatus, errorPanel(err));
                }
              }),
              publishStatus,
            ],
      ),
    );
  }
  const drafts = reports.filter((r) => r.state === 'STATE_DRAFT');
  return h(
    'div',
    null,
    section(
      t('reports.drafts'),
      table({
        caption: t('reports.draftsCaption'),
        columns: [
          { label: t('report.title'), value: (r) => h('a', { href: `#/console/reports/${idOf(r.name)}` }, r.title), header: true },
          { label: t('report.kind'), value: (r) => label(r.kind, 'report') },
          { label: t('report.year'), value: (r) => String(r.year || '') },
        ],
        rows: drafts,
        empty: t('reports.noDrafts'),
      }),
    ),
    section(
      t('reports.newDraft'),
      form({
        prefix: 'report',
        fields: reportFields(null, published),
        submitLabel: t('reports.createDraft'),
        submit: async (v) => {
          const created = await post('/v1/rapporteur/reports', reportBody(v), { reportId: v.reportId, requestId: requestId() });
          window.location.hash = `#/console/reports/${idOf(created.name)}`;
        },
      }),
    ),
  );
}

export async function renderAssessment() {
  const plans = (await listAll('/v1/coordinator/plans', 'plans')).filter((p) => p.state === 'STATE_ADOPTED');
  const result = h('div', { class: 'assessment-result', 'aria-live': 'polite' });
  const planId = uniqueId('plan');
  const plan = h('select', { id: planId }, h('option', { value: '' }, t('assess.latestPlan')), plans.map((p) => h('option', { value: p.name }, p.title)));
  const KIND = { CRITERION_STATUS_MET: 'good', CRITERION_STATUS_PARTIALLY_MET: 'warn', CRITERION_STATUS_NOT_MET: 'bad', CRITERION_STATUS_UNKNOWN: 'neutral' };
  return section(
    t('assess.title'),
    h('p', null, t('assess.intro')),
    h('div', { class: 'field' }, h('label', { for: planId }, t('assess.plan')), plan),
    button(t('assess.run'), async () => {
      try {
        const a = await post('/v1/rapporteur/assessments:run', { plan: plan.value || undefined, requestId: requestId() });
        replace(
          result,
          h('p', null, t('assess.done', { time: formatTime(a.createTime), name: a.name })),
          h('ol', { class: 'scorecard' }, (a.results || []).map((r) => h('li', { class: `criterion criterion-${KIND[r.status]}`, 'data-criterion': r.criterion }, h('h3', null, label(r.criterion)), badge(label(r.status), KIND[r.status]), h('ul', { class: 'evidence' }, (r.evidence || []).map((e) => h('li', null, e)))))),
        );
      } catch (err) {
        replace(result, errorPanel(err));
      }
    }),
    result,
  );
}
