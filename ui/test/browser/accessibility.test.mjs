// WCAG 2.1 AA: axe-core finds no violation (tags wcag2a, wcag2aa, wcag21a, wcag21aa) on any page,
// public or console, in English and French; charts carry a text alternative and a table.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { axeViolations, go, launchBrowser, openPage, signIn, startSuite, visit } from './harness.mjs';

let suite;
let browser;

before(async () => {
  suite = await startSuite({ devSignIn: true });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await suite?.stop();
});

const PUBLIC = ['#/', '#/plan', '#/commission', '#/reports', '#/reports/annual-2025', '#/recommendations', '#/international', '#/progress', '#/statistics'];

for (const locale of ['en', 'fr']) {
  test(`every public page passes axe (${locale})`, async () => {
    const { page, context } = await openPage(browser, { locale: locale === 'fr' ? 'fr-FR' : 'en-GB' });
    for (const hash of PUBLIC) {
      await visit(page, suite.url, hash);
      if (hash === '#/statistics') await page.locator('.stats-output[data-ready]').waitFor();
      // Open the chart tables too, so what they hold is checked as well.
      for (const d of await page.locator('details').all()) await d.evaluate((el) => { el.open = true; });
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `${hash} (${locale}): ${JSON.stringify(violations, null, 1)}`);
      assert.equal(await page.locator('html').getAttribute('lang'), locale);
    }
    await context.close();
  });
}

test('every chart has a text alternative and its figures as a table', async () => {
  const { page, context } = await openPage(browser);
  for (const hash of ['#/plan', '#/commission', '#/statistics']) {
    await visit(page, suite.url, hash);
    if (hash === '#/statistics') await page.locator('.stats-output[data-ready]').waitFor();
    const charts = page.locator('figure.chart');
    assert.ok((await charts.count()) > 0, hash);
    for (const chart of await charts.all()) {
      assert.match(await chart.locator('canvas').getAttribute('aria-label'), /table below/);
      assert.equal(await chart.locator('canvas').getAttribute('role'), 'img');
      assert.ok((await chart.locator('table tbody tr').count()) > 0);
    }
  }
  await context.close();
});

test('every console page passes axe, for every role that uses it', async () => {
  const pages = [
    [{ sub: 'office', roles: ['coordinator_office'] }, ['#/console', '#/console/institutions', '#/console/institutions/office-pm', '#/console/mandate', '#/console/plans', '#/console/plans/nap-2025-2027', '#/console/plans/nap-2025-2027/measures/shelter-places', '#/console/progress', '#/console/audit']],
    [{ sub: 'secretariat', roles: ['commission_secretariat'] }, ['#/console/meetings', '#/console/meetings/plenary-2025-1', '#/console/consultations']],
    [{ sub: 'member', roles: ['commission_member'], institution: 'institutions/safe-harbour' }, ['#/console/consultations']],
    [{ sub: 'rapporteur', roles: ['rapporteur_office'] }, ['#/console/statistics', '#/console/recommendations', '#/console/reports', '#/console/assessment']],
  ];
  for (const [claims, hashes] of pages) {
    const { page, context } = await openPage(browser);
    await signIn(page, suite, claims);
    for (const hash of hashes) {
      await go(page, hash);
      for (const d of await page.locator('details').all()) await d.evaluate((el) => { el.open = true; });
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `${hash} as ${claims.roles}: ${JSON.stringify(violations, null, 1)}`);
    }
    await context.close();
  }
});

test('a scheduled meeting and the form errors pass axe too', async () => {
  const { page, context } = await openPage(browser);
  await signIn(page, suite, { sub: 'secretariat', roles: ['commission_secretariat'] }, '#/console/meetings');
  // A form showing its errors (required fields left empty).
  await page.getByRole('button', { name: 'Schedule' }).click();
  await page.locator('.form-status .field-error').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await context.close();
});
