// The Commission in public: members by seat, meetings held with the minutes and decisions made
// public, the cadence of plenaries, and consultations with every answered submission.
import { get, listAll } from '../api.js';
import { badge, errorPanel, facts, pageTitle, section, table } from '../components.js';
import { chartFigure } from '../charts.js';
import { institutionNames, nameOf, settle } from '../data.js';
import { h } from '../dom.js';
import { formatDate, formatNumber, formatPercent, formatTime, label, t } from '../i18n.js';
import { memberName } from './home.js';

const OUTCOME_KIND = {
  RESPONSE_OUTCOME_ACCEPTED: 'good',
  RESPONSE_OUTCOME_PARTIALLY_ACCEPTED: 'warn',
  RESPONSE_OUTCOME_NOT_ACCEPTED: 'bad',
};

function membersSection(members, names) {
  return section(
    t('commission.members'),
    members.error
      ? errorPanel(members.error)
      : table({
          caption: t('commission.membersCaption'),
          columns: [
            { label: t('commission.member'), value: (m) => memberName(m, names), header: true },
            { label: t('commission.seat'), value: (m) => label(m.seat) },
            { label: t('commission.role'), value: (m) => label(m.role) },
            { label: t('commission.voting'), value: (m) => (m.voting ? t('common.yes') : t('common.no')) },
            { label: t('commission.term'), value: (m) => [formatDate(m.termStart), m.termEnd ? ` – ${formatDate(m.termEnd)}` : ''] },
          ],
          rows: members.value,
          empty: t('commission.noMembers'),
        }),
  );
}

function meetingArticle(m, names, bodies) {
  const present = (m.attendance || []).filter((a) => a.present).length;
  return h(
    'article',
    { class: 'meeting', 'data-meeting': m.name },
    h('h3', null, m.title),
    facts([
      [t('meeting.when'), formatTime(m.startTime)],
      [t('meeting.where'), m.location],
      [t('meeting.body'), m.body ? bodies.get(m.body) || m.body : t('meeting.plenary')],
      [t('meeting.state'), label(m.state, 'meeting')],
      [t('meeting.attendance'), m.attendance?.length ? t('meeting.presentOf', { present, total: m.attendance.length }) : ''],
      [
        t('meeting.quorum'),
        m.state === 'STATE_HELD'
          ? [badge(m.quorumMet ? t('meeting.quorumMet') : t('meeting.quorumNotMet'), m.quorumMet ? 'good' : 'bad'), ' ', t('meeting.votingPresent', { present: m.votingPresent || 0, total: m.votingTotal || 0 })]
          : '',
      ],
    ]),
    m.agenda?.length ? [h('h4', null, t('meeting.agenda')), h('ol', null, m.agenda.map((a) => h('li', null, a.title)))] : null,
    m.minutes ? [h('h4', null, t('meeting.minutes')), h('p', { class: 'prose' }, m.minutes)] : m.state === 'STATE_HELD' ? h('p', { class: 'empty' }, t('meeting.minutesNotPublic')) : null,
    m.decisions?.length
      ? [
          h('h4', null, t('meeting.decisions')),
          h('ol', null, m.decisions.map((d) => h('li', null, d.text, d.actionItems?.length ? h('ul', null, d.actionItems.map((a) => h('li', null, a.title, a.assigneeInstitution ? ` — ${nameOf(names, a.assigneeInstitution)}` : ''))) : null))),
        ]
      : null,
    m.cancelReason ? h('p', null, t('meeting.cancelled', { reason: m.cancelReason })) : null,
  );
}

function cadenceSection(cadence, meetings) {
  if (cadence.error) return section(t('commission.cadenceTitle'), errorPanel(cadence.error));
  const c = cadence.value;
  const titles = new Map(meetings.map((m) => [m.name, m.title]));
  const gaps = c.gaps || [];
  return section(
    t('commission.cadenceTitle'),
    facts([
      [t('commission.cadence'), t('commission.cadenceDays', { days: c.cadenceDays || 0 })],
      [t('commission.plenariesHeld'), formatNumber(c.plenariesHeld || 0)],
      [t('commission.compliance'), formatPercent((c.complianceRatio || 0) * 100)],
      [t('commission.nextDue'), formatDate(c.nextMeetingDue)],
      [t('commission.overdue'), c.overdue ? badge(t('common.yes'), 'bad') : t('common.no')],
    ]),
    gaps.length
      ? chartFigure({
          title: t('commission.gapsChart'),
          labels: gaps.map((g) => `${titles.get(g.fromMeeting) || g.fromMeeting} → ${titles.get(g.toMeeting) || g.toMeeting}`),
          datasets: [
            { label: t('commission.gapDays'), data: gaps.map((g) => g.days || 0) },
            { label: t('commission.requiredCadence'), data: gaps.map(() => c.cadenceDays || 0), type: 'line', pointRadius: 0, borderDash: [6, 4] },
          ],
          yTitle: t('commission.days'),
        })
      : h('p', { class: 'empty' }, t('commission.noGaps')),
  );
}

async function consultationArticle(consultation, names, members) {
  const submissions = await settle(listAll(`/v1/commission/${consultation.name}/submissions`, 'submissions'));
  const memberByName = new Map(members.map((m) => [m.name, m]));
  return h(
    'article',
    { class: 'consultation', 'data-consultation': consultation.name },
    h('h3', null, consultation.title),
    consultation.description ? h('p', null, consultation.description) : null,
    facts([
      [t('consultation.dates'), `${formatDate(consultation.openDate)} – ${formatDate(consultation.closeDate)}`],
      [t('consultation.status'), consultation.open ? badge(t('consultation.open'), 'good') : badge(t('consultation.closed'), 'neutral')],
    ]),
    submissions.error
      ? errorPanel(submissions.error)
      : table({
          caption: t('consultation.submissions', { title: consultation.title }),
          columns: [
            { label: t('consultation.from'), value: (s) => (memberByName.has(s.member) ? memberName(memberByName.get(s.member), names) : s.member), header: true },
            { label: t('consultation.section'), value: (s) => s.sectionReference || '' },
            { label: t('consultation.text'), value: (s) => h('span', { class: 'prose' }, s.text) },
            { label: t('consultation.answer'), value: (s) => (s.outcome ? [badge(label(s.outcome), OUTCOME_KIND[s.outcome]), s.responseReason ? h('p', null, s.responseReason) : null] : t('consultation.unanswered')) },
          ],
          rows: submissions.value,
          empty: t('consultation.noAnswered'),
        }),
  );
}

export async function render() {
  const [names, commission, members, meetings, cadence, consultations, bodies] = await Promise.all([
    institutionNames().catch(() => new Map()),
    settle(get('/v1/commission/commission')),
    settle(listAll('/v1/commission/members', 'members')),
    settle(listAll('/v1/commission/meetings', 'meetings')),
    settle(get('/v1/commission/commission:cadence')),
    settle(listAll('/v1/commission/consultations', 'consultations')),
    listAll('/v1/commission/bodies', 'bodies').then((all) => new Map(all.map((b) => [b.name, b.displayName]))).catch(() => new Map()),
  ]);
  const allMeetings = meetings.value || [];
  const held = allMeetings.filter((m) => m.state === 'STATE_HELD').sort((a, b) => String(b.startTime).localeCompare(String(a.startTime)));
  const memberList = members.value || [];
  const consultationNodes = consultations.error
    ? [errorPanel(consultations.error)]
    : await Promise.all(consultations.value.map((c) => consultationArticle(c, names, memberList)));
  const title = commission.value?.displayName || t('commission.title');
  return {
    title,
    node: h(
      'div',
      { class: 'commission' },
      pageTitle(title, commission.value?.legalBasis),
      membersSection(members, names),
      section(
        t('commission.meetingsHeld'),
        meetings.error ? errorPanel(meetings.error) : held.length ? held.map((m) => meetingArticle(m, names, bodies)) : h('p', { class: 'empty' }, t('commission.noMeetings')),
      ),
      cadenceSection(cadence, allMeetings),
      section(t('commission.consultations'), consultationNodes.length ? consultationNodes : h('p', { class: 'empty' }, t('commission.noConsultations'))),
    ),
  };
}
