// The portal's shell: header, navigation, language switch, sign-in, and a hash router that
// renders one page at a time into <main>. Each page is a module whose render(params) returns
// {title, node}; when it is in place, <main data-ready="route"> says so (tests wait on it).
import { beginSignIn, currentSession, initAuth, onExpired, onSessionChange, signOut } from './auth.js';
import { drawCharts } from './charts.js';
import { errorPanel, loading } from './components.js';
import { announce, h, replace } from './dom.js';
import { currentLanguage, initLanguage, languages, setLanguage, t } from './i18n.js';
import * as home from './pages/home.js';
import * as plan from './pages/plan.js';
import * as commission from './pages/commission.js';
import * as reports from './pages/reports.js';
import * as recommendations from './pages/recommendations.js';
import * as international from './pages/international.js';
import * as progressReports from './pages/progress.js';
import * as statistics from './pages/statistics.js';
import * as console_ from './console/console.js';

const PUBLIC_PAGES = [
  ['', 'nav.home', home],
  ['plan', 'nav.plan', plan],
  ['commission', 'nav.commission', commission],
  ['reports', 'nav.reports', reports],
  ['recommendations', 'nav.recommendations', recommendations],
  ['international', 'nav.international', international],
  ['progress', 'nav.progress', progressReports],
  ['statistics', 'nav.statistics', statistics],
];

let config = { oidc: null, devSignIn: false };
let notice = '';
let renderCount = 0;
const app = document.getElementById('app');
const status = h('div', { class: 'visually-hidden', 'aria-live': 'polite', role: 'status' });
const main = h('main', { id: 'main', tabindex: '-1' });

// A malformed escape ("#/reports/%") stays as it is written instead of throwing.
function decodePart(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function parseRoute() {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const [path] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodePart);
  return { name: parts[0] || '', params: parts.slice(1) };
}

function signInControls() {
  const session = currentSession();
  if (session) {
    return h(
      'div',
      { class: 'account' },
      h('span', { class: 'who' }, t('auth.signedInAs', { name: session.subject })),
      ' ',
      h('button', { type: 'button', class: 'button button-link', onclick: () => { signOut(); window.location.hash = '#/'; } }, t('auth.signOut')),
    );
  }
  if (!config.oidc) return null;
  return h(
    'div',
    { class: 'account' },
    h(
      'button',
      {
        type: 'button',
        class: 'button button-secondary',
        onclick: async () => {
          try {
            await beginSignIn(config, '#/console');
          } catch (err) {
            announce(status, err.message);
            replace(main, errorPanel(err));
          }
        },
      },
      t('auth.signIn'),
    ),
  );
}

function header(route) {
  const langId = 'language-select';
  const select = h(
    'select',
    { id: langId, onchange: (e) => { setLanguage(e.target.value); renderShell(); } },
    languages.map((l) => h('option', { value: l.code, selected: l.code === currentLanguage(), lang: l.code }, l.name)),
  );
  const links = PUBLIC_PAGES.map(([name, key]) => [name, t(key)]);
  if (currentSession()) links.push(['console', t('nav.console')]);
  return h(
    'header',
    { class: 'site-header' },
    h(
      'div',
      { class: 'header-top' },
      h('a', { href: '#/', class: 'brand' }, h('span', { class: 'brand-name' }, t('site.title')), h('span', { class: 'brand-tagline' }, t('site.tagline'))),
      h('div', { class: 'tools' }, h('label', { for: langId, class: 'lang-label' }, t('nav.language')), select, signInControls()),
    ),
    h(
      'nav',
      { 'aria-label': t('nav.label'), class: 'site-nav' },
      h('ul', null, links.map(([name, text]) => h('li', null, h('a', { href: `#/${name}`, 'aria-current': route.name === name ? 'page' : null }, text)))),
    ),
  );
}

function footer() {
  return h(
    'footer',
    { class: 'site-footer' },
    h('p', null, t('footer.data'), ' ', h('a', { href: '/openapi.json' }, t('footer.api'))),
    h('p', null, t('footer.privacy')),
  );
}

async function renderPage() {
  const route = parseRoute();
  renderCount += 1;
  const mine = renderCount;
  main.removeAttribute('data-ready');
  replace(main, loading());
  const page = route.name === 'console' ? console_ : PUBLIC_PAGES.find(([name]) => name === route.name)?.[2];
  let result;
  try {
    if (!page) throw new Error(t('common.pageNotFound'));
    result = await page.render(route.params, { config, status });
  } catch (err) {
    result = { title: t('common.error'), node: errorPanel(err) };
  }
  if (mine !== renderCount) return; // a later navigation won
  const children = [];
  if (notice) {
    children.push(h('div', { class: 'notice', role: 'status' }, t(notice)));
    notice = '';
  }
  children.push(result.node);
  replace(main, ...children);
  drawCharts(main);
  document.title = `${result.title} — ${t('site.title')}`;
  main.dataset.ready = route.name || 'home';
  // After a navigation (not the first page), focus the new page's heading.
  if (mine > 1) (main.querySelector('h1') || main).focus();
}

function renderShell() {
  const route = parseRoute();
  replace(
    app,
    h('a', { href: '#main', class: 'skip-link', onclick: (e) => { e.preventDefault(); main.focus(); } }, t('nav.skip')),
    header(route),
    main,
    footer(),
    status,
  );
  renderPage();
}

async function boot() {
  initLanguage();
  try {
    const res = await fetch('/ui-config.json', { credentials: 'omit' });
    if (res.ok) config = await res.json();
  } catch {
    // No configuration: the public portal still works, without sign-in.
  }
  try {
    notice = await initAuth(config);
  } catch (err) {
    notice = 'auth.tokenFailed';
  }
  onSessionChange(() => renderShell());
  onExpired(() => {
    notice = 'auth.expired';
  });
  window.addEventListener('hashchange', () => {
    // Only the navigation and the page change; the header's current link follows.
    const route = parseRoute();
    for (const a of app.querySelectorAll('.site-nav a')) {
      if (a.getAttribute('href') === `#/${route.name}`) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    renderPage();
  });
  renderShell();
}

boot();
