// Consultations. The secretariat opens them on a plan draft and answers every submission (the
// answer publishes it); civil-society and survivor-leader members make submissions while one is
// open (the service checks the member's seat).
import { listAll, post, requestId } from '../api.js';
import { badge, section } from '../components.js';
import { idOf, institutionNames } from '../data.js';
import { h } from '../dom.js';
import { formatDate, label, t } from '../i18n.js';
import { memberName } from '../pages/home.js';
import { RESPONSE_OUTCOMES } from '../vocabulary.js';
import { enumOptions, form, toDate } from './forms.js';

const OUTCOME_KIND = { RESPONSE_OUTCOME_ACCEPTED: 'good', RESPONSE_OUTCOME_PARTIALLY_ACCEPTED: 'warn', RESPONSE_OUTCOME_NOT_ACCEPTED: 'bad' };

function answerForm(submission) {
  return form({
    fields: [
      { name: 'outcome', label: t('consult.outcome'), type: 'select', required: true, options: enumOptions(RESPONSE_OUTCOMES) },
      { name: 'reason', label: t('consult.reason'), type: 'textarea', help: t('consult.reasonHelp') },
    ],
    submitLabel: t('consult.answer'),
    submit: async (v) => {
      await post(`/v1/commission/${submission.name}:respond`, { outcome: v.outcome, reason: v.reason, etag: submission.etag, requestId: requestId() });
      return t('consult.answered');
    },
  });
}

async function secretariatView(consultations) {
  const [plans, members, names] = await Promise.all([listAll('/v1/coordinator/plans', 'plans'), listAll('/v1/commission/members', 'members'), institutionNames()]);
  const byMember = new Map(members.map((m) => [m.name, m]));
  const draftPlans = plans.filter((p) => p.state === 'STATE_DRAFT' || p.state === 'STATE_IN_CONSULTATION');
  const blocks = [];
  for (const c of consultations) {
    const submissions = await listAll(`/v1/commission/${c.name}/submissions`, 'submissions');
    blocks.push(
      h(
        'article',
        { class: 'consultation', 'data-consultation': c.name },
        h('h3', null, c.title),
        h('p', null, `${formatDate(c.openDate)} – ${formatDate(c.closeDate)} `, c.open ? badge(t('consultation.open'), 'good') : badge(t('consultation.closed'), 'neutral')),
        submissions.length
          ? submissions.map((s) =>
              h(
                'div',
                { class: 'submission', 'data-submission': s.name },
                h('h4', null, byMember.has(s.member) ? memberName(byMember.get(s.member), names) : s.member, s.sectionReference ? ` — ${s.sectionReference}` : ''),
                h('p', { class: 'prose' }, s.text),
                s.outcome ? h('p', null, badge(label(s.outcome), OUTCOME_KIND[s.outcome]), ' ', s.responseReason || '') : answerForm(s),
              ),
            )
          : h('p', { class: 'empty' }, t('consult.noSubmissions')),
      ),
    );
  }
  return h(
    'div',
    null,
    section(
      t('consult.open'),
      draftPlans.length
        ? form({
            prefix: 'consultation',
            fields: [
              { name: 'consultationId', label: t('consult.id'), help: t('form.idHelp'), api: 'consultation_id' },
              { name: 'plan', label: t('consult.plan'), type: 'select', required: true, options: draftPlans.map((p) => [p.name, `${p.title} (${label(p.state, 'plan')})`]) },
              { name: 'title', label: t('consult.titleField'), required: true },
              { name: 'description', label: t('plans.description'), type: 'textarea' },
              { name: 'openDate', label: t('consult.openDate'), type: 'date', required: true, api: 'open_date' },
              { name: 'closeDate', label: t('consult.closeDate'), type: 'date', required: true, api: 'close_date' },
            ],
            submitLabel: t('consult.openButton'),
            submit: async (v) => {
              const created = await post('/v1/commission/consultations', { plan: v.plan, title: v.title, description: v.description, openDate: toDate(v.openDate), closeDate: toDate(v.closeDate) }, { consultationId: v.consultationId, requestId: requestId() });
              return t('form.createdName', { name: created.title, id: created.name });
            },
          })
        : h('p', { class: 'empty' }, t('consult.noDraftPlans')),
    ),
    section(t('consult.answerTitle'), blocks.length ? blocks : h('p', { class: 'empty' }, t('commission.noConsultations'))),
  );
}

function memberView(consultations) {
  const open = consultations.filter((c) => c.open);
  return section(
    t('consult.submitTitle'),
    open.length
      ? open.map((c) =>
          h(
            'article',
            { class: 'consultation', 'data-consultation': c.name },
            h('h3', null, c.title),
            c.description ? h('p', null, c.description) : null,
            h('p', null, t('consult.until', { date: formatDate(c.closeDate) })),
            form({
              prefix: 'submission',
              fields: [
                { name: 'sectionReference', label: t('consultation.section'), help: t('consult.sectionHelp') },
                { name: 'text', label: t('consultation.text'), type: 'textarea', required: true },
              ],
              submitLabel: t('consult.submit'),
              submit: async (v) => {
                const created = await post(`/v1/commission/${c.name}/submissions`, { sectionReference: v.sectionReference, text: v.text }, { requestId: requestId() });
                return t('consult.submitted', { id: idOf(created.name) });
              },
            }),
          ),
        )
      : h('p', { class: 'empty' }, t('consult.noneOpen')),
  );
}

export async function render(params, { session }) {
  const consultations = await listAll('/v1/commission/consultations', 'consultations');
  if (session.roles.includes('commission_secretariat')) return secretariatView(consultations);
  return memberView(consultations);
}
