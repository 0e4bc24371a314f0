// Browser tests' world: the four real binaries on free loopback ports with the demo data set
// loaded (scripts/seed_demo.py through the gateway), and Debian's chromium driven by
// playwright-core. Everything lives in a temporary directory; nothing waits by sleeping.
//
// Environment: THB_BUILD_DIR (the build tree with the binaries and ui/), set by ctest.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

export const ROOT = new URL('../../..', import.meta.url).pathname;
export const BUILD = process.env.THB_BUILD_DIR || join(ROOT, 'build/dev');
export const SCREENSHOTS = join(BUILD, 'ui-screenshots');

const base64Url = (data) => Buffer.from(data).toString('base64url');

// An HS256 token for the development key, as `thbctl token` mints them.
export function mintToken(key, { sub, roles, institution, ttlSeconds = 3600 }) {
  const header = base64Url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const claims = { sub, roles, exp: Math.floor(Date.now() / 1000) + ttlSeconds };
  if (institution) claims.institution = institution;
  const payload = base64Url(JSON.stringify(claims));
  const signature = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

// Starts `binary` and resolves with its "listening" log line.
function startProcess(name, binary, args, logDir) {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    const err = createInterface({ input: child.stderr });
    const onLine = (line) => {
      lines.push(line);
      if (lines.length > 5000) lines.shift();
      if (!line.startsWith('{')) return;
      try {
        const json = JSON.parse(line);
        if (json.msg === 'listening') resolve({ child, address: json.address, lines, name });
      } catch {
        // not a log line
      }
    };
    rl.on('line', onLine);
    err.on('line', onLine);
    child.on('exit', (code) => {
      writeFileSync(join(logDir, `${name}.log`), lines.join('\n'));
      reject(new Error(`${name} exited (${code}) before listening:\n${lines.join('\n')}`));
    });
  });
}

// The suite with the demo data. Options: devSignIn (the gateway's --ui_dev_sign_in), tokenFlags
// (how services verify tokens; default the HS256 development key), gatewayFlags, seed (default
// true).
export async function startSuite(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'thb-ui-'));
  const key = base64Url(Buffer.from(Array.from({ length: 48 }, () => Math.floor(Math.random() * 256))));
  const keyFile = join(dir, 'hs256.key');
  writeFileSync(keyFile, key, { mode: 0o600 });
  const tokenFlags = options.tokenFlags || [`--jwt_hs256_key_file=${keyFile}`];
  const bin = (p) => join(BUILD, p);
  const processes = [];
  const stop = async () => {
    for (const p of processes.reverse()) {
      if (p.child.exitCode === null) {
        const exited = new Promise((resolve) => p.child.once('exit', resolve));
        p.child.kill('SIGTERM');
        await exited;
      }
    }
    if (!process.env.THB_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const common = (name) => [...tokenFlags, '--listen=127.0.0.1:0', '--admin_listen=127.0.0.1:0', `--db=${join(dir, `${name}.db`)}`];
    const coordinator = await startProcess('coordinator', bin('services/coordinator/thb-coordinator'), common('coordinator'), dir);
    processes.push(coordinator);
    const commission = await startProcess('commission', bin('services/commission/thb-commission'), [...common('commission'), `--coordinator_target=${coordinator.address}`], dir);
    processes.push(commission);
    const rapporteur = await startProcess(
      'rapporteur',
      bin('services/rapporteur/thb-rapporteur'),
      [...common('rapporteur'), `--coordinator_target=${coordinator.address}`, `--commission_target=${commission.address}`, '--rapporteur_institution=institutions/ombudsperson', '--statistics_country=XVD', ...(options.rapporteurFlags || [])],
      dir,
    );
    processes.push(rapporteur);
    const gateway = await startProcess(
      'gateway',
      bin('gateway/thb-gateway'),
      [
        '--listen=127.0.0.1:0',
        `--coordinator_target=${coordinator.address}`,
        `--commission_target=${commission.address}`,
        `--rapporteur_target=${rapporteur.address}`,
        `--ui_dir=${join(BUILD, 'webui')}`,
        ...(options.devSignIn ? ['--ui_dev_sign_in'] : []),
        ...(options.gatewayFlags || []),
      ],
      dir,
    );
    processes.push(gateway);
    const url = `http://${gateway.address}`;
    if (options.seed !== false) {
      const seeded = spawnSync('/usr/bin/python3', [join(ROOT, 'scripts/seed_demo.py'), '--gateway', url, '--key', keyFile, '--thbctl', bin('tools/thbctl/thbctl'), '--data', join(ROOT, 'demo/fictional-state.json')], { encoding: 'utf8' });
      if (seeded.status !== 0) throw new Error(`seeding failed:\n${seeded.stdout}\n${seeded.stderr}`);
    }
    const token = (claims) => mintToken(key, claims);
    return { url, dir, key, keyFile, token, stop, api: apiClient(url) };
  } catch (error) {
    await stop();
    throw error;
  }
}

// A small API client for the tests' own set-up and assertions (never through the page).
export function apiClient(url) {
  const call = async (method, path, { token, body } = {}) => {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const json = text ? JSON.parse(text) : {};
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
    return json;
  };
  return {
    get: (path, token) => call('GET', path, { token }),
    post: (path, body, token) => call('POST', path, { body, token }),
    patch: (path, body, token) => call('PATCH', path, { body, token }),
    raw: (path, init) => fetch(url + path, init),
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.THB_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

// A fresh context (empty cache, no storage) and page; collects console errors, page errors and
// every API response's body, for the privacy checks.
export async function openPage(browser, { width = 1280, height = 900, locale = 'en-GB', bypassCSP = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale, acceptDownloads: true, bypassCSP });
  const page = await context.newPage();
  const record = { errors: [], responses: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') record.errors.push(m.text());
  });
  page.on('pageerror', (e) => record.errors.push(`pageerror: ${e.message}`));
  page.on('response', async (res) => {
    const u = new URL(res.url());
    if (!u.pathname.startsWith('/v1/')) return;
    try {
      record.responses.push({ url: u.pathname + u.search, status: res.status(), body: await res.text() });
    } catch {
      // the page navigated away before the body arrived
    }
  });
  return { context, page, record };
}

// Navigates to `hash` (e.g. "#/plan") and waits until that page has rendered.
export async function visit(page, url, hash = '#/') {
  await page.goto(`${url}/${hash}`);
  return waitReady(page, hash);
}

export async function waitReady(page, hash) {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] || 'home';
  await page.waitForSelector(`main[data-ready="${name}"]`, { timeout: 20000 });
}

// Signs the page in with a development token for `claims` (the gateway runs with
// --ui_dev_sign_in) and waits for the console.
export async function signIn(page, suite, claims, hash = '#/console') {
  await page.goto(`${suite.url}/#dev-token=${suite.token(claims)}`);
  await waitReady(page, '#/console');
  if (hash !== '#/console') {
    await page.evaluate((h) => { window.location.hash = h; }, hash);
    await waitReady(page, hash);
  }
}

// Goes to `hash` in the same page (the session stays) and waits for it to render.
export async function go(page, hash) {
  if ((await page.evaluate(() => window.location.hash)) === hash) return waitReady(page, hash);
  await page.evaluate(() => document.querySelector('main').removeAttribute('data-ready'));
  await page.evaluate((h) => { window.location.hash = h; }, hash);
  await waitReady(page, hash);
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

// Whether a canvas has anything drawn on it (not all transparent or white).
export async function canvasIsDrawn(locator) {
  return locator.evaluate((canvas) => {
    const ctx = canvas.getContext('2d');
    if (!canvas.width || !canvas.height) return false;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) inked += 1;
    }
    return inked > 50;
  });
}

// Runs axe-core in the page; the violations of WCAG 2.1 A and AA.
const axeSource = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
export async function axeViolations(page) {
  // Evaluated by the browser's debugging protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}
