// The public portal against the real suite with the demo data: every page shows what the API
// returns, charts are drawn, the report's SHA-256 verifies in the browser, the statistics explorer
// downloads what it shows, French works, 375 px works, and the home page is quick.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { BUILD, canvasIsDrawn, launchBrowser, openPage, screenshot, startSuite, visit, waitReady } from './harness.mjs';

let suite;
let browser;

before(async () => {
  suite = await startSuite();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await suite?.stop();
});

const en = (n) => new Intl.NumberFormat('en-GB').format(n);
const pct = (n) => `${Math.round(n)}%`;

async function mainText(page) {
  return page.locator('main').innerText();
}

// A table row (tr) whose header cell is `text`.
function row(page, scope, text) {
  return page.locator(`${scope} tr`).filter({ has: page.locator('th', { hasText: text }) }).first();
}

test('home: the mandate, the Commission by seat, the Rapporteur and the latest assessment', async () => {
  const { page, record, context } = await openPage(browser);
  await visit(page, suite.url, '#/');
  const text = await mainText(page);
  const mandate = await suite.api.get('/v1/coordinator/mandate');
  const office = await suite.api.get(`/v1/coordinator/${mandate.institution}`);
  assert.ok(text.includes(mandate.holderTitle));
  assert.ok(text.includes(office.displayName));
  assert.ok(text.includes("Head of government's office"));

  const members = (await suite.api.get('/v1/commission/members?pageSize=100')).members;
  const bySeat = {};
  for (const m of members) bySeat[m.seat] = (bySeat[m.seat] || 0) + 1;
  const seatLabels = { SEAT_GOVERNMENT: 'Government', SEAT_CIVIL_SOCIETY: 'Civil society', SEAT_SURVIVOR_LEADER: 'Survivor leader', SEAT_PRIVATE_SECTOR: 'Private sector' };
  for (const [seat, count] of Object.entries(bySeat)) {
    const r = row(page, '.home', seatLabels[seat]);
    assert.equal((await r.locator('td').first().innerText()).trim(), String(count), seat);
  }
  const pseudonymous = members.find((m) => m.pseudonymous);
  assert.ok(pseudonymous, 'the demo data seats a survivor leader under a pseudonym');
  assert.ok(text.includes(`${pseudonymous.representative} (pseudonym)`));

  const [assessment] = (await suite.api.get('/v1/rapporteur/assessments?pageSize=1')).assessments;
  const rapporteur = await suite.api.get(`/v1/coordinator/${assessment.rapporteurInstitution}`);
  assert.ok(text.includes(rapporteur.displayName), 'the Rapporteur is named');
  const statusLabel = { CRITERION_STATUS_MET: 'Met', CRITERION_STATUS_PARTIALLY_MET: 'Partially met', CRITERION_STATUS_NOT_MET: 'Not met', CRITERION_STATUS_UNKNOWN: 'Unknown' };
  for (const r of assessment.results) {
    const item = page.locator(`[data-criterion="${r.criterion}"]`);
    assert.equal((await item.locator('.badge').innerText()).trim(), statusLabel[r.status]);
    for (const e of r.evidence) assert.ok((await item.innerText()).includes(e), e);
  }
  assert.deepEqual(record.errors, []);
  await screenshot(page, 'home');
  await context.close();
});

test('plan: measures, progress, funding and coverage as the public report gives them', async () => {
  const { page, record, context } = await openPage(browser);
  await visit(page, suite.url, '#/plan');
  const plans = (await suite.api.get('/v1/coordinator/plans')).plans.filter((p) => p.state === 'STATE_ADOPTED');
  const report = await suite.api.get(`/v1/coordinator/${plans[0].name}:publicReport`);
  assert.equal((await page.locator('h1').innerText()).trim(), report.title);
  const overdue = new Set(report.progress.overdueMeasures);
  assert.ok(overdue.size > 0 && report.measures.length > 10);
  for (const m of report.measures) {
    const r = row(page, '.plan', m.title);
    const cells = await r.locator('td').allInnerTexts();
    const rowText = cells.join(' | ');
    assert.ok(rowText.includes(m.leadInstitutionName), `${m.title}: lead`);
    assert.ok(rowText.includes(pct(m.progressPercent || 0)), `${m.title}: progress ${rowText}`);
    assert.equal(rowText.includes('Overdue'), overdue.has(m.name), `${m.title}: overdue flag`);
    const due = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(m.dueDate.year, m.dueDate.month - 1, m.dueDate.day)));
    assert.ok(rowText.includes(due), `${m.title}: due ${due} in ${rowText}`);
    assert.ok(m.startDate, 'the public report gives the start date');
    assert.equal(await r.locator('progress').getAttribute('value'), String(m.progressPercent || 0));
  }
  // Coverage heat map: every cell is the API's count, or marked as a gap.
  for (const c of report.coverage.cells) {
    const cell = page.locator(`td[data-form="${c.form}"][data-pillar="${c.pillar}"]`);
    const shown = (await cell.innerText()).trim();
    if (c.measureCount) assert.equal(shown, en(c.measureCount));
    else {
      assert.equal(shown, 'gap');
      assert.match(await cell.getAttribute('class'), /heat-gap/);
    }
  }
  const text = await mainText(page);
  assert.ok(text.includes(`€${en(Number(report.funding.total.allocated.units))}`));
  // Each chart is drawn and its table carries the same figures.
  const canvases = page.locator('canvas[data-chart]');
  assert.equal(await canvases.count(), 4);
  for (let i = 0; i < 4; i += 1) assert.ok(await canvasIsDrawn(canvases.nth(i)), `chart ${i} is blank`);
  const pillarTable = page.locator('figure', { hasText: 'Allocated and spent per pillar' }).locator('table');
  for (const p of report.funding.byPillar) {
    const label = { PILLAR_PREVENTION: 'Prevention', PILLAR_PROTECTION: 'Protection', PILLAR_PROSECUTION: 'Prosecution', PILLAR_PARTNERSHIP: 'Partnership' }[p.pillar];
    const cells = await pillarTable.locator('tr').filter({ has: page.locator('th', { hasText: label }) }).locator('td').allTextContents();
    assert.deepEqual(cells, [`€${en(Number(p.allocated.units || 0))}`, `€${en(Number(p.spent?.units || 0))}`]);
  }
  assert.deepEqual(record.errors, []);
  await screenshot(page, 'plan');
  await context.close();
});

test('commission: members, meetings with only the public minutes, cadence, answered submissions', async () => {
  const { page, record, context } = await openPage(browser);
  await visit(page, suite.url, '#/commission');
  const meetings = (await suite.api.get('/v1/commission/meetings?pageSize=100')).meetings.filter((m) => m.state === 'STATE_HELD');
  assert.ok(meetings.length >= 2);
  for (const m of meetings) {
    const article = page.locator(`[data-meeting="${m.name}"]`);
    const text = await article.innerText();
    assert.ok(text.includes(m.title));
    if (m.minutes) assert.ok(text.includes(m.minutes), `${m.name}: public minutes shown`);
    else assert.ok(text.includes('have not been made public'), `${m.name}: says the minutes are not public`);
    assert.ok(text.includes(`${m.votingPresent} of ${m.votingTotal} voting members present`));
  }
  const cadence = await suite.api.get('/v1/commission/commission:cadence');
  const gapCells = await page.locator('figure', { hasText: 'Days between plenaries' }).locator('tbody tr td:first-of-type').allTextContents();
  assert.deepEqual(gapCells, cadence.gaps.map((g) => en(g.days)));
  assert.ok(await canvasIsDrawn(page.locator('canvas[data-chart]').first()));
  // The public sees the answered submissions with their answers (the demo answers some).
  const [consultation] = (await suite.api.get('/v1/commission/consultations')).consultations;
  const answered = (await suite.api.get(`/v1/commission/${consultation.name}/submissions`)).submissions || [];
  const shown = page.locator(`[data-consultation="${consultation.name}"] tbody tr`);
  assert.equal(await shown.count(), answered.length);
  for (const s of answered) {
    const text = await page.locator(`[data-consultation="${consultation.name}"]`).innerText();
    assert.ok(text.includes(s.text.trim().split('\n')[0]));
    if (s.responseReason) assert.ok(text.includes(s.responseReason));
  }
  assert.deepEqual(record.errors, []);
  await screenshot(page, 'commission');
  await context.close();
});

test('reports: the published Markdown rendered, version history, and the SHA-256 verified here', async () => {
  const { page, record, context } = await openPage(browser);
  await visit(page, suite.url, '#/reports');
  const reports = (await suite.api.get('/v1/rapporteur/reports')).reports;
  const published = reports.find((r) => r.state === 'STATE_PUBLISHED');
  await page.getByRole('link', { name: published.title }).click();
  await waitReady(page, '#/reports');
  await page.locator('.markdown h3').first().waitFor();
  assert.equal(await page.locator('.markdown h3').first().innerText(), published.content.match(/^# (.*)$/m)[1]);
  assert.ok((await page.locator('.markdown li').count()) >= 2, 'the Markdown list is rendered as a list');
  assert.equal(await page.locator('[data-sha256]').innerText(), published.contentSha256);
  assert.ok((await page.locator('.history').innerText()).includes(`v${published.version}`));
  await page.getByRole('button', { name: 'Verify the SHA-256' }).click();
  await page.locator('.verify-result .badge').waitFor();
  assert.equal(await page.locator('.verify-result .badge').innerText(), 'Verified: the content matches');
  assert.equal(await page.locator('[data-computed]').getAttribute('data-computed'), published.contentSha256);
  assert.deepEqual(record.errors, []);
  await screenshot(page, 'report');
  await context.close();
});

test('recommendations: addressee, priority, the responses and the follow-up timeline', async () => {
  const { page, record, context } = await openPage(browser);
  await visit(page, suite.url, '#/recommendations');
  const recs = (await suite.api.get('/v1/rapporteur/recommendations?pageSize=100')).recommendations;
  for (const rec of recs) {
    const article = page.locator(`[data-recommendation="${rec.name}"]`);
    const text = await article.innerText();
    assert.ok(text.includes(rec.text));
    assert.ok(text.includes({ PRIORITY_HIGH: 'High priority', PRIORITY_MEDIUM: 'Medium priority', PRIORITY_LOW: 'Low priority' }[rec.priority]));
    assert.equal(await article.locator('.timeline > li').count(), (rec.history || []).length);
    for (const e of rec.history || []) {
      if (e.response?.plannedActions) assert.ok(text.includes(e.response.plannedActions));
      if (e.assessment?.rationale) assert.ok(text.includes(e.assessment.rationale));
    }
  }
  assert.deepEqual(record.errors, []);
  await screenshot(page, 'recommendations');
  await context.close();
});

test('international: the reports due, overdue first; the follow-up of monitoring bodies\' recommendations; the engagements', async () => {
  const { page, record, context } = await openPage(browser);
  await visit(page, suite.url, '#/international');
  const calendar = await suite.api.get('/v1/coordinator/obligations:calendar');
  const rows = await page.locator('main section').first().locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.children[0].textContent));
  assert.deepEqual(rows, calendar.entries.map((e) => e.monitoringBody));
  const overdue = calendar.entries.find((e) => e.overdue);
  assert.ok(overdue, 'the demo has an overdue report');
  assert.ok((await page.locator('main').innerText()).includes(`${-overdue.daysUntilDue} days overdue`));
  const recs = (await suite.api.get('/v1/coordinator/externalRecommendations?pageSize=100')).externalRecommendations;
  assert.ok(recs.length >= 5);
  for (const rec of recs) {
    const article = page.locator(`[data-external-recommendation="${rec.name}"]`);
    const text = await article.innerText();
    assert.ok(text.includes(rec.text));
    assert.equal(await article.locator('.timeline > li').count(), (rec.followUps || []).length);
    for (const f of rec.followUps || []) assert.ok(text.includes(f.text));
  }
  const engagements = (await suite.api.get('/v1/coordinator/engagements?pageSize=100')).engagements;
  for (const e of engagements) assert.ok((await page.locator('main').innerText()).includes(e.title));
  assert.deepEqual(record.errors, []);
  await screenshot(page, 'international');
  await context.close();
});

test('progress reports: the published report with its narratives and hash; drafts never shown', async () => {
  const { page, record, context } = await openPage(browser);
  await visit(page, suite.url, '#/progress');
  const published = await suite.api.get('/v1/coordinator/plans/nap-2025-2027/progressPublications/progress-year-1');
  const article = page.locator(`[data-publication="${published.name}"]`);
  const text = await article.innerText();
  assert.ok(text.includes(published.title));
  assert.ok(text.includes(published.contentSha256));
  assert.equal(await article.locator('.timeline > li').count(), published.narratives.length);
  for (const n of published.narratives) assert.ok(text.includes(n.narrative));
  assert.deepEqual(record.errors, []);
  await screenshot(page, 'progress');
  await context.close();
});

test('statistics: the chart and table are the query the API answers; CSV and GLOTIP downloads', async () => {
  const { page, record, context } = await openPage(browser);
  await visit(page, suite.url, '#/statistics');
  await page.locator('.stats-output[data-ready]').waitFor();
  const year = new Date().getUTCFullYear();
  const request = { indicators: ['STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED'], fromYear: year - 5, toYear: year, groupBy: ['DIMENSION_YEAR', 'DIMENSION_SEX'], includeRates: false };
  const result = await suite.api.post('/v1/rapporteur/statistics:query', request);
  const rows = await page.locator('.stats-result > .table-scroll tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  const sexLabel = { SEX_FEMALE: 'Female', SEX_MALE: 'Male', SEX_OTHER: 'Other', SEX_UNKNOWN: 'Unknown' };
  assert.deepEqual(rows, result.cells.map((c) => [String(c.year), sexLabel[c.sex], c.suppressed ? 'suppressed' : en(Number(c.count))]));
  assert.equal(await page.locator('[data-total]').innerText(), result.totalSuppressed ? 'suppressed' : en(Number(result.total)));
  assert.ok(await canvasIsDrawn(page.locator('.stats-result canvas')));

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download this result (CSV)' }).click()]);
  const csvText = readFileSync(await csv.path(), 'utf8');
  const lines = csvText.trim().split('\r\n');
  assert.equal(lines[0], 'indicator,year,sex,count');
  assert.equal(lines.length, result.cells.length + 2);
  assert.equal(lines[1], `STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED,${result.cells[0].year},${result.cells[0].sex},${result.cells[0].suppressed ? 'suppressed' : result.cells[0].count}`);

  const [glotip] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /GLOTIP/ }).click()]);
  const exported = await suite.api.get(`/v1/rapporteur/statistics:export?format=EXPORT_FORMAT_GLOTIP_CSV&fromYear=${year - 5}&toYear=${year}`);
  assert.equal(readFileSync(await glotip.path(), 'utf8'), exported.content);

  // Rates per 100,000 from the population table.
  await page.getByLabel('Rates per 100,000 inhabitants').check();
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await page.locator('th', { hasText: 'Rate per 100,000' }).waitFor();
  const withRates = await suite.api.post('/v1/rapporteur/statistics:query', { ...request, includeRates: true });
  const firstRate = withRates.cells.find((c) => c.ratePer100k !== undefined);
  const rateCells = await page.locator('.stats-result > .table-scroll tbody tr td:last-child').allTextContents();
  assert.ok(rateCells.includes(new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(firstRate.ratePer100k)));
  assert.deepEqual(record.errors, []);
  await screenshot(page, 'statistics');
  await context.close();
});

test('French: the pages in French, dates and numbers in the French locale', async () => {
  const { page, record, context } = await openPage(browser);
  await visit(page, suite.url, '#/plan');
  await page.getByLabel('Language').selectOption('fr');
  await waitReady(page, '#/plan');
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  const text = await mainText(page);
  assert.ok(text.includes('Couverture des formes d’exploitation'));
  assert.ok(text.includes('Exploitation sexuelle'));
  const report = await suite.api.get('/v1/coordinator/plans/nap-2025-2027:publicReport');
  const allocated = new Intl.NumberFormat('fr', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(Number(report.funding.total.allocated.units));
  assert.ok(text.includes(allocated), `French money ${allocated}`);
  assert.ok(text.includes('1 janv. 2025') || text.includes('1 janv. 2025'), 'French dates');
  // The choice is remembered for the next page.
  await page.getByRole('link', { name: 'Statistiques' }).click();
  await waitReady(page, '#/statistics');
  assert.ok((await mainText(page)).includes('Explorateur de statistiques'));
  assert.deepEqual(record.errors, []);
  await screenshot(page, 'plan-fr');
  await context.close();
});

test('375 px wide: every public page fits without scrolling sideways', async () => {
  const { page, record, context } = await openPage(browser, { width: 375, height: 800 });
  for (const hash of ['#/', '#/plan', '#/commission', '#/reports', '#/recommendations', '#/statistics']) {
    await visit(page, suite.url, hash);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${hash} is ${overflow}px wider than the screen`);
    await screenshot(page, `mobile-${hash.replace(/[#/]/g, '') || 'home'}`);
  }
  assert.deepEqual(record.errors, []);
  await context.close();
});

test('fast and self-contained: home interactive < 1 s cold; every asset from the gateway; JS+CSS ≤ 350 KB gzip', async () => {
  const { page, context } = await openPage(browser);
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  const start = Date.now();
  await visit(page, suite.url, '#/');
  const readyMs = Date.now() - start;
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return { domInteractive: nav.domInteractive, domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd };
  });
  assert.ok(timing.domInteractive < 1000, `domInteractive ${timing.domInteractive} ms`);
  assert.ok(readyMs < 3000, `home rendered with its data in ${readyMs} ms`);
  for (const u of requested) assert.ok(u.startsWith(suite.url), `request outside the gateway: ${u}`);

  const index = await suite.api.raw('/');
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const csp = index.headers.get('content-security-policy');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const html = await index.text();
  let gz = 0;
  for (const [, path] of html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)) {
    const res = await suite.api.raw(path, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    gz += gzipSync(Buffer.from(await res.arrayBuffer())).length;
  }
  assert.ok(gz > 10000 && gz <= 350 * 1024, `JS+CSS are ${gz} bytes gzip`);
  writeFileSync(join(BUILD, 'ui-timing.json'), JSON.stringify({ ...timing, readyMs, gzipBytes: gz }, null, 2));
  await context.close();
});

test('bad links: a malformed escape or an unknown plan says so, and the next link works', async () => {
  const { page, record, context } = await openPage(browser);
  await visit(page, suite.url, '#/reports/%');
  assert.ok((await page.locator('main [role="alert"]').innerText()).length > 0);
  await visit(page, suite.url, '#/plan/%E0%A4%A');
  assert.ok((await page.locator('main [role="alert"]').innerText()).includes('no published plan'));
  await visit(page, suite.url, '#/plan/does-not-exist');
  assert.ok((await page.locator('main [role="alert"]').innerText()).includes('no published plan does-not-exist'));
  await page.getByRole('link', { name: 'Commission', exact: true }).click();
  await waitReady(page, '#/commission');
  assert.ok((await page.locator('h1').innerText()).length > 0);
  assert.deepEqual(record.errors.filter((e) => !/status of 40[04]/.test(e)), []); // the refused links
  await context.close();
});

test('statistics: citizenship is shown by its name (and country), never as an object', async () => {
  const { page, record, context } = await openPage(browser);
  await visit(page, suite.url, '#/statistics');
  await page.locator('.stats-output[data-ready]').waitFor();
  await page.getByLabel('Sex').uncheck();
  await page.getByLabel('Citizenship').check();
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await page.locator('.stats-result > .table-scroll thead th', { hasText: 'Citizenship' }).waitFor();
  const text = await page.locator('.stats-result').innerText();
  assert.ok(!text.includes('[object Object]'), text);
  assert.ok(/National|Other country|Unknown citizenship/.test(text));
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download this result (CSV)' }).click()]);
  const body = readFileSync(await csv.path(), 'utf8');
  assert.ok(!body.includes('[object Object]'));
  assert.match(body, /CITIZENSHIP_STATUS_/);
  assert.deepEqual(record.errors, []);
  await context.close();
});
