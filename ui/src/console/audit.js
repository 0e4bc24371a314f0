// Every service's audit log, a page at a time (filter by resource), and its hash chain verified
// by the service on demand.
import { get, post } from '../api.js';
import { badge, button, errorPanel, table } from '../components.js';
import { h, replace, uniqueId } from '../dom.js';
import { formatNumber, formatTime, label, t } from '../i18n.js';
import { hasRole } from '../auth.js';

// Which roles read which service's log (the services' policy tables).
export const AUDIT_LOGS = [
  { service: 'coordinator', roles: ['coordinator_office', 'rapporteur_office'] },
  { service: 'commission', roles: ['commission_secretariat', 'rapporteur_office'] },
  { service: 'rapporteur', roles: ['rapporteur_office'] },
];

function logPanel(service) {
  const resourceId = uniqueId('resource');
  const resource = h('input', { id: resourceId, type: 'text', name: 'resource', autocomplete: 'off', placeholder: 'institutions/…' });
  const list = h('div', { class: 'audit-list' });
  const verdict = h('div', { class: 'audit-verdict', role: 'status' });
  let tokens = [''];

  const load = async (pageToken) => {
    try {
      const page = await get(`/v1/${service}/auditEvents`, { pageSize: 50, pageToken, resource: resource.value.trim() });
      const events = page.auditEvents || [];
      replace(
        list,
        table({
          caption: t('audit.caption', { service: t(`service.${service}`) }),
          columns: [
            { label: t('audit.sequence'), value: (e) => formatNumber(e.sequence), numeric: true, header: true },
            { label: t('audit.time'), value: (e) => formatTime(e.time) },
            { label: t('audit.actor'), value: (e) => `${e.actor || ''}${e.role ? ` (${e.role})` : ''}` },
            { label: t('audit.method'), value: (e) => String(e.method || '').split('/').pop() },
            { label: t('audit.resource'), value: (e) => e.resource || '' },
            { label: t('audit.hash'), value: (e) => h('code', { class: 'hash short' }, String(e.hash || '').slice(0, 16)) },
          ],
          rows: events,
          empty: t('audit.none'),
        }),
        h(
          'div',
          { class: 'pager' },
          tokens.length > 1 ? button(t('common.previous'), async () => { tokens.pop(); await load(tokens[tokens.length - 1]); }, { kind: 'secondary' }) : null,
          page.nextPageToken ? button(t('common.next'), async () => { tokens.push(page.nextPageToken); await load(page.nextPageToken); }, { kind: 'secondary' }) : null,
        ),
      );
    } catch (err) {
      replace(list, errorPanel(err));
    }
  };

  const verify = async () => {
    try {
      const r = await post(`/v1/${service}/auditEvents:verify`, {});
      replace(
        verdict,
        r.intact ? badge(t('audit.intact'), 'good') : badge(t('audit.broken'), 'bad'),
        ' ',
        t('audit.checked', { count: formatNumber(r.eventsChecked || 0), head: formatNumber(r.headSequence || 0) }),
        r.intact ? null : h('p', null, label(r.problem), ' — ', t('audit.firstBroken', { sequence: formatNumber(r.firstBrokenSequence || 0) }), ' ', r.detail || ''),
      );
    } catch (err) {
      replace(verdict, errorPanel(err));
    }
  };

  load('');
  return h(
    'section',
    { class: 'panel audit', 'data-service': service, 'aria-labelledby': `${resourceId}-h` },
    h('h2', { id: `${resourceId}-h` }, t(`service.${service}`)),
    h(
      'form',
      { class: 'inline-form', onsubmit: (e) => { e.preventDefault(); tokens = ['']; load(''); } },
      h('label', { for: resourceId }, t('audit.filterResource')),
      resource,
      h('button', { type: 'submit', class: 'button button-secondary' }, t('audit.filter')),
    ),
    h('div', { class: 'verify' }, button(t('audit.verify'), verify), ' ', verdict),
    list,
  );
}

export async function render() {
  const logs = AUDIT_LOGS.filter((l) => l.roles.some((r) => hasRole(r)));
  return h('div', null, h('p', null, t('audit.intro')), logs.map((l) => logPanel(l.service)));
}
