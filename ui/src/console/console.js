// The staff console: the actions the signed-in roles may take, one section per task. Only the
// sections a role may use are offered; the services still check every call.
import { currentSession } from '../auth.js';
import { pageTitle, section } from '../components.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { SECTIONS } from './sections.js';

export function sectionsFor(session) {
  if (!session) return [];
  return SECTIONS.filter((s) => s.roles.some((r) => session.roles.includes(r)));
}

export async function render(params, context) {
  const session = currentSession();
  if (!session) {
    return {
      title: t('console.title'),
      node: h('div', null, pageTitle(t('console.title')), h('p', null, context.config.oidc ? t('console.signInFirst') : context.config.devSignIn ? t('console.devSignIn') : t('console.noSignIn'))),
    };
  }
  const available = sectionsFor(session);
  const chosen = available.find((s) => s.id === params[0]);
  const menu = h(
    'nav',
    { 'aria-label': t('console.sections'), class: 'console-nav' },
    h('ul', null, available.map((s) => h('li', null, h('a', { href: `#/console/${s.id}`, 'aria-current': chosen && chosen.id === s.id ? 'page' : null }, t(s.title))))),
  );
  if (!chosen) {
    return {
      title: t('console.title'),
      node: h(
        'div',
        { class: 'console' },
        pageTitle(t('console.title'), t('console.intro', { roles: session.roles.join(', ') || t('common.none') })),
        available.length ? section(t('console.sections'), menu) : h('p', { class: 'empty' }, t('console.nothingForRoles')),
      ),
    };
  }
  const body = await chosen.render(params.slice(1), { ...context, session });
  return {
    title: t(chosen.title),
    node: h('div', { class: 'console console-with-nav' }, menu, h('div', { class: 'console-body' }, pageTitle(t(chosen.title)), body)),
  };
}
