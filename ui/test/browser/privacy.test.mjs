// What a public visitor must never see, checked in the page (the whole DOM, attributes included)
// and in every API response the page received: draft plans, plans in consultation, internal
// notes, contact e-mails, a survivor leader's legal name, non-public minutes and decisions,
// unpublished reports, unanswered submissions, and suppressed statistics as numbers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, startSuite, visit } from './harness.mjs';

let suite;
let browser;
const SECRETS = [];

before(async () => {
  suite = await startSuite();
  browser = await launchBrowser();
  const office = suite.token({ sub: 'office', roles: ['coordinator_office'] });
  const secretariat = suite.token({ sub: 'secretariat', roles: ['commission_secretariat'] });
  const rapporteur = suite.token({ sub: 'rapporteur', roles: ['rapporteur_office'] });
  const ngo = suite.token({ sub: 'ngo', roles: ['commission_member'], institution: 'institutions/safe-harbour' });
  const { api } = suite;
  // A draft plan and a plan in consultation, each with a measure.
  for (const [id, marker] of [['secret-draft', 'DRAFTPLAN-q7x'], ['in-consultation', 'CONSULTPLAN-q7x']]) {
    await api.post(`/v1/coordinator/plans?planId=${id}`, { title: `${marker} title`, description: `${marker} description`, periodStart: { year: 2028, month: 1, day: 1 }, periodEnd: { year: 2030, month: 12, day: 31 }, currencyCode: 'EUR', internalNotes: `${marker} notes` }, office);
    await api.post(`/v1/coordinator/plans/${id}/objectives?objectiveId=o`, { title: `${marker} objective`, pillar: 'PILLAR_PROTECTION' }, office);
    await api.post(`/v1/coordinator/plans/${id}/measures?measureId=m`, { objective: `plans/${id}/objectives/o`, title: `${marker} measure`, pillar: 'PILLAR_PROTECTION', forms: ['FORM_OF_EXPLOITATION_FORCED_LABOUR'], leadInstitution: 'institutions/ministry-labour', startDate: { year: 2028, month: 1, day: 1 }, dueDate: { year: 2028, month: 12, day: 31 }, weight: 1 }, office);
    SECRETS.push(marker);
  }
  await api.post('/v1/coordinator/plans/in-consultation:submitForConsultation', {}, office);
  // A report never published, a meeting whose minutes and decisions stay private, an unanswered
  // submission.
  await api.post('/v1/rapporteur/reports?reportId=unpublished', { kind: 'KIND_THEMATIC', title: 'DRAFTREPORT-q7x', year: 2026, content: 'DRAFTREPORTBODY-q7x' }, rapporteur);
  SECRETS.push('DRAFTREPORT-q7x', 'DRAFTREPORTBODY-q7x');
  await api.post('/v1/commission/meetings?meetingId=closed-door', { title: 'Closed-door plenary', startTime: '2026-01-10T09:00:00Z', location: 'Government House' }, secretariat);
  const members = (await api.get('/v1/commission/members?pageSize=100', secretariat)).members;
  await api.post('/v1/commission/meetings/closed-door:recordOutcome', {
    attendance: members.map((m) => ({ member: m.name, present: true })),
    minutes: 'PRIVATEMINUTES-q7x',
    minutesPublic: false,
    decisions: [{ text: 'PRIVATEDECISION-q7x' }],
  }, secretariat);
  SECRETS.push('PRIVATEMINUTES-q7x', 'PRIVATEDECISION-q7x');
  // The international role and the reports on results: internal notes and drafts stay with the
  // office (the demo data sets such notes too; these markers are unique).
  await api.post('/v1/coordinator/engagements?engagementId=secret-talks', { title: 'Talks', kind: 'KIND_BILATERAL_MEETING', forum: 'Bilateral', startDate: { year: 2026, month: 1, day: 5 }, internalNotes: 'ENGAGEMENTNOTE-q7x' }, office);
  const rec = await api.post('/v1/coordinator/externalRecommendations?externalRecommendationId=secret-rec', { source: 'GRETA', sourceKind: 'MONITORING_BODY_KIND_REGIONAL', issuedOn: { year: 2025, month: 6, day: 1 }, text: 'Identify victims.', pillar: 'PILLAR_PROTECTION' }, office);
  await api.post(`/v1/coordinator/${rec.name}:respond`, { followUp: { text: 'Working on it.', status: 'FOLLOW_UP_STATUS_IN_PROGRESS', internalNote: 'FOLLOWUPNOTE-q7x' } }, office);
  await api.post('/v1/coordinator/policyDocuments?policyDocumentId=secret-sop', { title: 'DRAFTSOP-q7x', kind: 'KIND_GUIDELINE', ownerInstitution: 'institutions/office-pm' }, office);
  await api.post('/v1/coordinator/budgetLines?budgetLineId=secret-line', { year: 2026, title: 'Line', fundingSource: 'State budget', requestingInstitution: 'institutions/office-pm', requested: { currencyCode: 'EUR', units: '1000' }, pillar: 'PILLAR_PREVENTION', internalNotes: 'BUDGETNOTE-q7x' }, office);
  await api.post('/v1/coordinator/plans/nap-2025-2027/progressPublications?progressPublicationId=secret-draft-report', { title: 'DRAFTPROGRESS-q7x', periodStart: { year: 2025, month: 1, day: 1 }, periodEnd: { year: 2025, month: 12, day: 31 } }, office);
  SECRETS.push('ENGAGEMENTNOTE-q7x', 'FOLLOWUPNOTE-q7x', 'DRAFTSOP-q7x', 'BUDGETNOTE-q7x', 'DRAFTPROGRESS-q7x');
  await api.post('/v1/commission/consultations/nap-draft/submissions?submissionId=unanswered', { sectionReference: 'x', text: 'UNANSWERED-q7x' }, ngo);
  SECRETS.push('UNANSWERED-q7x');
  // What the demo data itself holds that the public must not see.
  SECRETS.push('Amira Kestrel', 'budget line 7.3', 'campaign moved to autumn', 'Minutes of plenary 3/2025', 'valdoria.example');
});
after(async () => {
  await browser?.close();
  await suite?.stop();
});

function assertNoSecret(where, text) {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${where} shows "${s}"`);
}

test('no public page or response carries restricted data, drafts or unpublished work', async () => {
  const { page, record, context } = await openPage(browser);
  const pages = ['#/', '#/plan', '#/plan/secret-draft', '#/plan/in-consultation', '#/commission', '#/reports', '#/recommendations', '#/international', '#/progress', '#/statistics'];
  for (const hash of pages) {
    await visit(page, suite.url, hash);
    assertNoSecret(hash, await page.content());
  }
  // The draft report by its name: not found, nothing of it on the page.
  await visit(page, suite.url, '#/reports/unpublished');
  assert.ok((await page.locator('main [role="alert"]').innerText()).includes('does not exist'));
  assertNoSecret('#/reports/unpublished', await page.content());
  assert.ok(record.responses.length > 20, 'the page made its API calls');
  for (const r of record.responses) assertNoSecret(`response of ${r.url}`, r.body);
  // The secrets are real: the office and the secretariat do see them.
  const office = suite.token({ sub: 'office', roles: ['coordinator_office'] });
  const plans = JSON.stringify(await suite.api.get('/v1/coordinator/plans', office));
  assert.ok(plans.includes('DRAFTPLAN-q7x') && plans.includes('budget line 7.3'));
  await context.close();
});

test('suppressed statistics are never a number: not in the table, the chart data, the CSV or the responses', async () => {
  const { page, record, context } = await openPage(browser);
  await visit(page, suite.url, '#/statistics');
  await page.locator('.stats-output[data-ready]').waitFor();
  await page.getByLabel('Sex').uncheck();
  await page.getByLabel('Form of exploitation').check();
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await page.locator('th', { hasText: 'Form of exploitation' }).first().waitFor();

  const analyst = suite.token({ sub: 'analyst', roles: ['rapporteur_analyst'] });
  const year = new Date().getUTCFullYear();
  const request = { indicators: ['STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED'], fromYear: year - 5, toYear: year, groupBy: ['DIMENSION_YEAR', 'DIMENSION_FORM'] };
  const truth = await suite.api.post('/v1/rapporteur/statistics:query', request, analyst);
  const published = await suite.api.post('/v1/rapporteur/statistics:query', request);
  const suppressed = published.cells.filter((c) => c.suppressed);
  assert.ok(suppressed.length >= 3, 'the demo data has suppressed cells for year × form');

  // The responses the page received: a suppressed cell never carries a count.
  const queries = record.responses.filter((r) => r.url.includes('statistics:query'));
  assert.ok(queries.length >= 2);
  for (const q of queries) {
    for (const c of JSON.parse(q.body).cells || []) if (c.suppressed) assert.equal(c.count, undefined, q.body);
  }
  // The table and the chart's table: "suppressed" where the true count is hidden.
  const rows = await page.locator('.stats-result tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  for (const c of suppressed) {
    const real = truth.cells.find((t) => t.year === c.year && t.form === c.form);
    assert.ok(real && Number(real.count) > 0, 'the analyst sees the real count');
    const shownRows = rows.filter((r) => r[0] === String(c.year) && r.length === 3);
    const shown = shownRows.find((r) => r[2] === 'suppressed' || r[2] === String(real.count));
    assert.ok(shown, `row for ${c.year} ${c.form}`);
    assert.equal(shown[2], 'suppressed');
  }
  const figures = await page.locator('.chart-data tbody td').allTextContents();
  assert.equal(figures.filter((f) => f === 'suppressed').length, suppressed.length, 'the chart table marks the same cells');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download this result (CSV)' }).click()]);
  const csvRows = readFileSync(await csv.path(), 'utf8').trim().split('\r\n').slice(1).map((l) => l.split(','));
  for (const c of suppressed) {
    const line = csvRows.find((r) => r[1] === String(c.year) && r[2] === c.form);
    assert.equal(line[3], 'suppressed', line.join(','));
  }
  await context.close();
});
