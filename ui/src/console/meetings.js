// Commission secretariat: schedule meetings of the Commission or its bodies, record their outcome
// (attendance, minutes and whether they are public, decisions with their action items; the
// service computes the quorum), or cancel them.
import { get, listAll, post, requestId } from '../api.js';
import { badge, button, errorPanel, facts, section, table } from '../components.js';
import { idOf, institutionNames, nameOf } from '../data.js';
import { h, replace, uniqueId } from '../dom.js';
import { formatTime, label, t } from '../i18n.js';
import { memberName } from '../pages/home.js';
import { form, toDate } from './forms.js';

// A datetime-local value ("2026-03-01T09:30") as an RFC 3339 UTC timestamp.
function toTimestamp(value) {
  if (!value) return undefined;
  const d = new Date(`${value}:00Z`);
  return Number.isNaN(d.getTime()) ? value : d.toISOString().replace('.000Z', 'Z');
}

// Decisions, each with an optional action item: a growing list of small fieldsets.
function decisionsEditor(institutions) {
  return (id) => {
    const list = h('div', { class: 'decisions', id });
    const rows = [];
    const add = () => {
      const n = rows.length + 1;
      const ids = { text: uniqueId('dec'), action: uniqueId('act'), who: uniqueId('who'), due: uniqueId('due') };
      const text = h('textarea', { id: ids.text, rows: '2' });
      const action = h('input', { id: ids.action, type: 'text' });
      const who = h('select', { id: ids.who }, h('option', { value: '' }, t('common.notSet')), institutions.map((i) => h('option', { value: i.name }, i.displayName)));
      const due = h('input', { id: ids.due, type: 'date' });
      rows.push({ text, action, who, due });
      list.append(
        h(
          'fieldset',
          { class: 'decision' },
          h('legend', null, t('meetings.decisionN', { n })),
          h('div', { class: 'field' }, h('label', { for: ids.text }, t('meetings.decisionText')), text),
          h('div', { class: 'field' }, h('label', { for: ids.action }, t('meetings.actionItem')), action),
          h('div', { class: 'field-row' }, h('div', { class: 'field' }, h('label', { for: ids.who }, t('meetings.assignee')), who), h('div', { class: 'field' }, h('label', { for: ids.due }, t('meetings.actionDue')), due)),
        ),
      );
      text.focus();
    };
    const node = h('div', { class: 'field' }, h('p', { class: 'label' }, t('meeting.decisions')), list, h('button', { type: 'button', class: 'button button-secondary', onclick: add }, t('meetings.addDecision')));
    return {
      node,
      read: () =>
        rows
          .filter((r) => r.text.value.trim())
          .map((r) => ({
            text: r.text.value.trim(),
            actionItems: r.action.value.trim() ? [{ description: r.action.value.trim(), assigneeInstitution: r.who.value || undefined, dueDate: toDate(r.due.value) }] : [],
          })),
    };
  };
}

async function meetingView(id) {
  const [meeting, members, names, institutions] = await Promise.all([
    get(`/v1/commission/meetings/${encodeURIComponent(id)}`),
    listAll('/v1/commission/members', 'members'),
    institutionNames(),
    listAll('/v1/coordinator/institutions', 'institutions'),
  ]);
  const back = h('p', null, h('a', { href: '#/console/meetings' }, t('meetings.back')));
  const summary = facts([
    [t('meeting.when'), formatTime(meeting.startTime)],
    [t('meeting.where'), meeting.location],
    [t('meeting.state'), label(meeting.state, 'meeting')],
    [t('meeting.quorum'), meeting.state === 'STATE_HELD' ? badge(meeting.quorumMet ? t('meeting.quorumMet') : t('meeting.quorumNotMet'), meeting.quorumMet ? 'good' : 'bad') : ''],
    [t('meeting.attendance'), meeting.state === 'STATE_HELD' ? t('meeting.votingPresent', { present: meeting.votingPresent || 0, total: meeting.votingTotal || 0 }) : ''],
  ]);
  if (meeting.state !== 'STATE_SCHEDULED') {
    return h(
      'div',
      null,
      back,
      section(
        meeting.title,
        summary,
        meeting.minutes ? [h('h3', null, t('meeting.minutes')), h('p', { class: 'prose' }, meeting.minutes), h('p', null, meeting.minutesPublic ? t('meetings.minutesArePublic') : t('meetings.minutesArePrivate'))] : null,
        meeting.decisions?.length ? [h('h3', null, t('meeting.decisions')), h('ol', null, meeting.decisions.map((d) => h('li', null, d.text, (d.actionItems || []).map((a) => h('p', null, `→ ${a.description} — ${nameOf(names, a.assigneeInstitution)}`)))))] : null,
      ),
    );
  }
  let etag = meeting.etag;
  const cancelId = uniqueId('cancel');
  const cancelReason = h('input', { id: cancelId, type: 'text' });
  const cancelStatus = h('div', { role: 'status' });
  return h(
    'div',
    null,
    back,
    section(meeting.title, summary),
    section(
      t('meetings.recordOutcome'),
      form({
        fields: [
          { name: 'present', label: t('meetings.present'), type: 'checkboxes', options: members.map((m) => [m.name, memberName(m, names)]), value: [] },
          { name: 'minutes', label: t('meeting.minutes'), type: 'textarea' },
          { name: 'minutesPublic', label: t('meetings.publishMinutes'), type: 'checkbox', api: 'minutes_public' },
          { name: 'decisions', label: t('meeting.decisions'), type: 'custom', build: decisionsEditor(institutions) },
        ],
        submitLabel: t('meetings.saveOutcome'),
        submit: async (v) => {
          const held = await post(`/v1/commission/${meeting.name}:recordOutcome`, {
            attendance: members.map((m) => ({ member: m.name, present: v.present.includes(m.name) })),
            minutes: v.minutes,
            minutesPublic: v.minutesPublic,
            decisions: v.decisions,
            etag,
            requestId: requestId(),
          });
          etag = held.etag;
          return t('meetings.outcomeSaved', { quorum: held.quorumMet ? t('meeting.quorumMet') : t('meeting.quorumNotMet'), present: held.votingPresent || 0, total: held.votingTotal || 0 });
        },
      }),
    ),
    section(
      t('meetings.cancel'),
      h(
        'div',
        { class: 'inline-form' },
        h('label', { for: cancelId }, t('meetings.cancelReason')),
        cancelReason,
        button(
          t('meetings.cancelButton'),
          async () => {
            try {
              await post(`/v1/commission/${meeting.name}:cancel`, { reason: cancelReason.value, etag, requestId: requestId() });
              window.location.hash = '#/console/meetings';
            } catch (err) {
              replace(cancelStatus, errorPanel(err));
            }
          },
          { kind: 'secondary' },
        ),
      ),
      cancelStatus,
    ),
  );
}

export async function render(params) {
  if (params[0]) return meetingView(params[0]);
  const [meetings, bodies] = await Promise.all([listAll('/v1/commission/meetings', 'meetings'), listAll('/v1/commission/bodies', 'bodies')]);
  meetings.sort((a, b) => String(b.startTime).localeCompare(String(a.startTime)));
  return h(
    'div',
    null,
    section(
      t('meetings.schedule'),
      form({
        prefix: 'meeting',
        fields: [
          { name: 'meetingId', label: t('meetings.id'), help: t('form.idHelp'), api: 'meeting_id' },
          { name: 'title', label: t('meetings.titleField'), required: true },
          { name: 'body', label: t('meetings.body'), type: 'select', options: bodies.map((b) => [b.name, b.displayName]), help: t('meetings.bodyHelp') },
          { name: 'startTime', label: t('meetings.start'), type: 'datetime', required: true, api: 'start_time' },
          { name: 'location', label: t('meeting.where') },
          { name: 'agenda', label: t('meeting.agenda'), type: 'textarea', help: t('meetings.agendaHelp') },
        ],
        submitLabel: t('meetings.scheduleButton'),
        submit: async (v) => {
          const created = await post(
            '/v1/commission/meetings',
            {
              title: v.title,
              body: v.body || undefined,
              startTime: toTimestamp(v.startTime),
              location: v.location,
              agenda: v.agenda.split('\n').map((l) => l.trim()).filter(Boolean).map((title) => ({ title })),
            },
            { meetingId: v.meetingId, requestId: requestId() },
          );
          window.location.hash = `#/console/meetings/${idOf(created.name)}`;
        },
      }),
    ),
    section(
      t('meetings.all'),
      table({
        caption: t('meetings.caption'),
        columns: [
          { label: t('meetings.titleField'), value: (m) => h('a', { href: `#/console/meetings/${idOf(m.name)}` }, m.title), header: true },
          { label: t('meeting.when'), value: (m) => formatTime(m.startTime) },
          { label: t('meeting.state'), value: (m) => label(m.state, 'meeting') },
        ],
        rows: meetings,
        empty: t('commission.noMeetings'),
      }),
    ),
  );
}
