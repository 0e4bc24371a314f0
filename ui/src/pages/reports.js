// The Rapporteur's published reports: the list, and each report rendered from its Markdown with
// its version history and its SHA-256, which anyone can recompute here from the published fields.
import { get, listAll } from '../api.js';
import { badge, button, facts, pageTitle, section, table } from '../components.js';
import { idOf } from '../data.js';
import { h, replace } from '../dom.js';
import { formatTime, label, t } from '../i18n.js';
import { renderMarkdown } from '../markdown.js';

const normalize = (text) => String(text || '').replace(/\r\n?/g, '\n');

// The canonical content the service hashes (services/rapporteur/reports.h):
//   "thb-report-v1\n" kind "\n" title "\n" year "\n" supersedes "\n" "\n" content
export function canonicalContent(report) {
  return `thb-report-v1\n${report.kind || 'KIND_UNSPECIFIED'}\n${normalize(report.title)}\n${report.year || 0}\n${report.supersedes || ''}\n\n${normalize(report.content)}`;
}

export async function sha256Hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function verifier(report) {
  const result = h('span', { class: 'verify-result', role: 'status' });
  const run = async () => {
    if (!crypto.subtle) {
      replace(result, badge(t('report.verifyNeedsHttps'), 'warn'));
      return;
    }
    const computed = await sha256Hex(canonicalContent(report));
    const ok = computed === report.contentSha256;
    replace(result, badge(ok ? t('report.verified') : t('report.mismatch'), ok ? 'good' : 'bad'), ' ', h('code', { class: 'hash', 'data-computed': computed }, computed));
  };
  return h('div', { class: 'verify' }, button(t('report.verify'), run, { kind: 'secondary' }), ' ', result);
}

// The reports a chain of `supersedes` links joins to `report`, oldest first.
function history(report, all) {
  const byName = new Map(all.map((r) => [r.name, r]));
  const successor = new Map(all.filter((r) => r.supersedes).map((r) => [r.supersedes, r]));
  let first = report;
  const seen = new Set([first.name]);
  while (first.supersedes && byName.has(first.supersedes) && !seen.has(first.supersedes)) {
    first = byName.get(first.supersedes);
    seen.add(first.name);
  }
  const chain = [first];
  while (successor.has(chain[chain.length - 1].name) && chain.length < 100) {
    chain.push(successor.get(chain[chain.length - 1].name));
  }
  return chain;
}

function reportList(reports) {
  return table({
    caption: t('reports.caption'),
    columns: [
      { label: t('report.title'), value: (r) => h('a', { href: `#/reports/${idOf(r.name)}` }, r.title), header: true },
      { label: t('report.kind'), value: (r) => label(r.kind, 'report') },
      { label: t('report.year'), value: (r) => String(r.year || '') },
      { label: t('report.version'), value: (r) => String(r.version || '') },
      { label: t('report.state'), value: (r) => badge(label(r.state, 'reportState'), r.state === 'STATE_PUBLISHED' ? 'good' : 'neutral') },
      { label: t('report.published'), value: (r) => formatTime(r.publishTime) },
    ],
    rows: reports,
    empty: t('reports.none'),
  });
}

export async function render(params) {
  const reports = await listAll('/v1/rapporteur/reports', 'reports');
  const visible = reports.filter((r) => r.state !== 'STATE_DRAFT');
  if (!params[0]) {
    return { title: t('reports.title'), node: h('div', null, pageTitle(t('reports.title'), t('reports.intro')), section(t('reports.list'), reportList(visible))) };
  }
  const report = await get(`/v1/rapporteur/reports/${encodeURIComponent(params[0])}`);
  const chain = history(report, visible);
  return {
    title: report.title,
    node: h(
      'div',
      { class: 'report' },
      pageTitle(report.title),
      h('p', null, h('a', { href: '#/reports' }, t('reports.back'))),
      section(
        t('report.about'),
        facts([
          [t('report.kind'), label(report.kind, 'report')],
          [t('report.year'), String(report.year || '')],
          [t('report.state'), label(report.state, 'reportState')],
          [t('report.version'), String(report.version || '')],
          [t('report.published'), formatTime(report.publishTime)],
          [t('report.sha256'), h('code', { class: 'hash', 'data-sha256': report.contentSha256 }, report.contentSha256)],
        ]),
        verifier(report),
      ),
      section(t('report.content'), h('div', { class: 'markdown' }, renderMarkdown(report.content, 3))),
      section(
        t('report.history'),
        h(
          'ol',
          { class: 'history' },
          chain.map((r) =>
            h('li', null, r.name === report.name ? h('strong', { 'aria-current': 'page' }, `v${r.version} — ${r.title}`) : h('a', { href: `#/reports/${idOf(r.name)}` }, `v${r.version} — ${r.title}`), ` (${label(r.state, 'reportState')}, ${formatTime(r.publishTime)})`),
          ),
        ),
      ),
    ),
  };
}
