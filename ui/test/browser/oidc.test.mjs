// Sign-in with OpenID Connect, end to end: the portal sends the browser to a real (minimal)
// provider with PKCE, takes the code back, exchanges it, and calls the services with the access
// token, which they verify against the provider's JWKS. The token stays in sessionStorage; the
// code leaves the address bar; an answer with a foreign state signs no one in.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, screenshot, startSuite, waitReady } from './harness.mjs';
import { startProvider } from './oidc-provider.mjs';

let provider;
let suite;
let browser;
let dir;

before(async () => {
  provider = await startProvider({ clientId: 'thb-portal', audience: 'thb-suite', user: { sub: 'f3c1-office', name: 'a.officer', roles: ['coordinator_office'] } });
  dir = mkdtempSync(join(tmpdir(), 'thb-oidc-'));
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify(provider.jwks));
  suite = await startSuite({
    seed: false,
    tokenFlags: [`--jwt_jwks_file=${jwksFile}`, `--jwt_issuer=${provider.issuer}`, '--jwt_audience=thb-suite'],
    gatewayFlags: [`--oidc_issuer=${provider.issuer}`, '--oidc_client_id=thb-portal'],
  });
  provider.registered.redirectUri = `${suite.url}/`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await suite?.stop();
  await provider?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('sign in with the provider (code flow + PKCE), then act as the signed-in role', async () => {
  const { page, record, context } = await openPage(browser);
  await page.goto(`${suite.url}/#/`);
  await waitReady(page, '#/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${suite.url}/#/console`);
  await waitReady(page, '#/console');
  assert.ok((await page.locator('header').innerText()).includes('Signed in as a.officer'));
  assert.ok(!page.url().includes('code='), 'the code left the address bar');

  const authorize = provider.log.find((l) => l.path === '/authorize');
  assert.equal(authorize.query.code_challenge_method, 'S256');
  assert.equal(authorize.query.client_id, 'thb-portal');
  assert.ok(authorize.query.state && authorize.query.nonce);
  assert.equal(provider.log.find((l) => l.path === '/token').pkceVerified, true);

  // Where the token is, and where it is not.
  const storage = await page.evaluate(() => ({ session: sessionStorage.getItem('thb.session'), local: JSON.stringify(localStorage), cookie: document.cookie }));
  assert.ok(JSON.parse(storage.session).token.split('.').length === 3);
  assert.ok(!storage.local.includes('eyJ'), `localStorage holds ${storage.local}`);
  assert.equal(storage.cookie, '');

  // The services accept it: register an institution through the console.
  await page.getByRole('link', { name: 'Institutions' }).first().click();
  await waitReady(page, '#/console');
  const form = page.locator('form').first();
  await form.getByLabel('Identifier').fill('oidc-registered');
  await form.getByLabel('Name').fill('Registered after an OIDC sign-in');
  await form.getByLabel('Sector').selectOption('SECTOR_ACADEMIA');
  await form.getByLabel('Kind').selectOption('INSTITUTION_KIND_ACADEMIC');
  await form.getByRole('button', { name: 'Register' }).click();
  await form.locator('.form-status .form-ok').waitFor();
  const created = await suite.api.get('/v1/coordinator/institutions/oidc-registered');
  assert.equal(created.displayName, 'Registered after an OIDC sign-in');
  const audit = provider.log.filter((l) => l.path === '/token').length;
  assert.equal(audit, 1, 'one code exchange');
  assert.deepEqual(record.errors, []);
  await screenshot(page, 'oidc-signed-in');

  // Signing out forgets the token.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await waitReady(page, '#/');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('thb.session')), null);
  await context.close();
});

test('an answer that did not start here (foreign state) signs no one in, and the code is dropped', async () => {
  const { page, context } = await openPage(browser);
  await page.goto(`${suite.url}/?code=stolen-code&state=forged#/`);
  await waitReady(page, '#/console');
  assert.ok((await page.locator('main').innerText()).includes('did not match the request'));
  assert.ok(!page.url().includes('stolen-code'));
  assert.equal(await page.evaluate(() => sessionStorage.getItem('thb.session')), null);
  assert.equal(provider.log.filter((l) => l.path === '/token' && l.query.code === 'stolen-code').length, 0);
  await context.close();
});

test('without --ui_dev_sign_in a development token in the URL is ignored', async () => {
  const { page, context } = await openPage(browser);
  await page.goto(`${suite.url}/#dev-token=${suite.token({ sub: 'x', roles: ['coordinator_office'] })}`);
  await waitReady(page, '#/console');
  assert.ok((await page.locator('main').innerText()).includes('Development sign-in is switched off'));
  assert.equal(await page.evaluate(() => sessionStorage.getItem('thb.session')), null);
  assert.ok(!page.url().includes('dev-token'));
  await context.close();
});

test('the page may reach the provider and nothing else outside the gateway', async () => {
  const res = await suite.api.raw('/');
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, new RegExp(`connect-src 'self' ${provider.issuer.replace(/[.]/g, '\\.')};`));
  const config = await (await suite.api.raw('/ui-config.json')).json();
  assert.deepEqual(config.oidc, { issuer: provider.issuer, clientId: 'thb-portal', redirectUri: '', scope: 'openid' });
  assert.equal(config.devSignIn, false);
});
