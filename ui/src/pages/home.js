// Home: the State's anti-trafficking architecture at a glance — the Co-ordinator's mandate, the
// Commission by seat, the Rapporteur, and the latest assessment against the brief's five
// recommendations.
import { get, listAll } from '../api.js';
import { badge, errorPanel, facts, pageTitle, section, table } from '../components.js';
import { institutionNames, nameOf, settle } from '../data.js';
import { h } from '../dom.js';
import { formatDate, formatNumber, formatTime, label, t } from '../i18n.js';

const CRITERION_KIND = {
  CRITERION_STATUS_MET: 'good',
  CRITERION_STATUS_PARTIALLY_MET: 'warn',
  CRITERION_STATUS_NOT_MET: 'bad',
  CRITERION_STATUS_UNKNOWN: 'neutral',
};

const SEAT_ORDER = [
  'SEAT_GOVERNMENT',
  'SEAT_CIVIL_SOCIETY',
  'SEAT_SURVIVOR_LEADER',
  'SEAT_PRIVATE_SECTOR',
  'SEAT_INTERNATIONAL_ORGANIZATION',
  'SEAT_OBSERVER',
];

export function memberName(member, names) {
  const institution = nameOf(names, member.institution);
  if (!member.representative) return institution;
  const who = member.pseudonymous ? t('commission.pseudonym', { name: member.representative }) : member.representative;
  return `${who} — ${institution}`;
}

function coordinatorPanel(mandate, names) {
  if (mandate.error) return section(t('home.coordinator'), notRecorded(mandate.error));
  const m = mandate.value;
  return section(
    t('home.coordinator'),
    facts([
      [t('mandate.holder'), m.holderTitle],
      [t('mandate.institution'), nameOf(names, m.institution)],
      [t('mandate.level'), m.governmentLevel ? label(m.governmentLevel) : ''],
      [t('mandate.appointedOn'), formatDate(m.appointedOn)],
      [t('mandate.legalBasis'), m.legalBasis],
      [
        t('mandate.formsInScope'),
        m.formsInScope?.length
          ? h('ul', { class: 'inline-list' }, m.formsInScope.map((f) => h('li', null, label(f))))
          : t('common.none'),
      ],
    ]),
  );
}

function commissionPanel(commission, members, names) {
  if (commission.error) return section(t('home.commission'), notRecorded(commission.error));
  const c = commission.value;
  const bySeat = new Map();
  for (const m of members.value || []) {
    if (!bySeat.has(m.seat)) bySeat.set(m.seat, []);
    bySeat.get(m.seat).push(m);
  }
  const seats = [...bySeat.keys()].sort((a, b) => SEAT_ORDER.indexOf(a) - SEAT_ORDER.indexOf(b));
  return section(
    t('home.commission'),
    facts([
      [t('commission.name'), c.displayName],
      [t('commission.chair'), nameOf(names, c.chairInstitution)],
      [t('commission.cadence'), c.meetingCadenceDays ? t('commission.cadenceDays', { days: c.meetingCadenceDays }) : ''],
    ]),
    members.error
      ? errorPanel(members.error)
      : table({
          caption: t('home.compositionBySeat'),
          columns: [
            { label: t('commission.seat'), value: (s) => label(s), header: true },
            { label: t('commission.memberCount'), value: (s) => formatNumber(bySeat.get(s).length), numeric: true },
            { label: t('commission.members'), value: (s) => h('ul', { class: 'plain' }, bySeat.get(s).map((m) => h('li', null, memberName(m, names), m.role === 'MEMBER_ROLE_MEMBER' ? '' : ` (${label(m.role)})`))) },
          ],
          rows: seats,
          empty: t('commission.noMembers'),
        }),
  );
}

function rapporteurPanel(latest, reports, recommendations, names) {
  const institution = latest?.rapporteurInstitution;
  const published = (reports.value || []).filter((r) => r.state === 'STATE_PUBLISHED');
  return section(
    t('home.rapporteur'),
    facts([
      [t('rapporteur.institution'), institution ? nameOf(names, institution) : t('common.notRecorded')],
      [t('rapporteur.publishedReports'), formatNumber(published.length)],
      [t('rapporteur.recommendations'), recommendations.error ? '' : formatNumber(recommendations.value.length)],
    ]),
    h('p', null, h('a', { href: '#/reports' }, t('home.readReports')), ' · ', h('a', { href: '#/recommendations' }, t('home.seeRecommendations'))),
  );
}

function scorecard(assessments) {
  if (assessments.error) return section(t('home.assessment'), errorPanel(assessments.error));
  const latest = assessments.value[0];
  if (!latest) return section(t('home.assessment'), h('p', { class: 'empty' }, t('home.noAssessment')));
  return section(
    t('home.assessment'),
    h('p', null, t('home.assessedOn', { time: formatTime(latest.createTime) })),
    h(
      'ol',
      { class: 'scorecard' },
      (latest.results || []).map((r) =>
        h(
          'li',
          { class: `criterion criterion-${CRITERION_KIND[r.status] || 'neutral'}`, 'data-criterion': r.criterion },
          h('h3', null, label(r.criterion)),
          badge(label(r.status), CRITERION_KIND[r.status] || 'neutral'),
          h('h4', { class: 'visually-hidden' }, t('home.evidence')),
          h('ul', { class: 'evidence' }, (r.evidence || []).map((e) => h('li', null, e))),
        ),
      ),
    ),
  );
}

function notRecorded(error) {
  return error?.code === 5 ? h('p', { class: 'empty' }, t('common.notRecorded')) : errorPanel(error);
}

export async function render() {
  const [names, mandate, commission, members, assessments, reports, recommendations] = await Promise.all([
    institutionNames().catch(() => new Map()),
    settle(get('/v1/coordinator/mandate')),
    settle(get('/v1/commission/commission')),
    settle(listAll('/v1/commission/members', 'members')),
    settle(get('/v1/rapporteur/assessments', { pageSize: 1 }).then((r) => r.assessments || [])),
    settle(listAll('/v1/rapporteur/reports', 'reports')),
    settle(listAll('/v1/rapporteur/recommendations', 'recommendations')),
  ]);
  return {
    title: t('home.title'),
    node: h(
      'div',
      { class: 'home' },
      pageTitle(t('home.title'), t('home.intro')),
      h('div', { class: 'grid-2' }, coordinatorPanel(mandate, names), rapporteurPanel(assessments.value?.[0], reports, recommendations, names)),
      commissionPanel(commission, members, names),
      scorecard(assessments),
    ),
  };
}
