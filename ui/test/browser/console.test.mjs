// The staff console, end to end, each flow as its role, checked against the API afterwards:
// the office (institutions, mandate, a plan from draft to adoption and a revision), a lead
// institution's progress report, the secretariat (meeting outcome, consultation and answers), a
// member's submission, the Rapporteur's office (CSV upload with its errors, recommendations,
// reports, assessment), the audit logs; what each role is offered; one whole flow by keyboard.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { go, launchBrowser, openPage, screenshot, signIn, startSuite, waitReady } from './harness.mjs';

let suite;
let browser;
const OFFICE = { sub: 'coordinator-office', roles: ['coordinator_office'] };
const SECRETARIAT = { sub: 'commission-secretariat', roles: ['commission_secretariat'] };
const RAPPORTEUR = { sub: 'rapporteur-office', roles: ['rapporteur_office'] };
let officeToken;

before(async () => {
  suite = await startSuite({ devSignIn: true });
  browser = await launchBrowser();
  officeToken = suite.token(OFFICE);
});
after(async () => {
  await browser?.close();
  await suite?.stop();
});

async function consoleNav(page) {
  return (await page.locator('.console-nav a, main nav a').allInnerTexts()).map((s) => s.trim());
}

async function submitAndWait(form, buttonName) {
  await form.getByRole('button', { name: buttonName }).click();
  await form.locator('.form-status .form-ok, .form-status .error, .form-status .field-error').first().waitFor();
  return (await form.locator('.form-status').innerText()).trim();
}

test('each role is offered only its own tasks; without a session the console asks to sign in', async () => {
  const { page, context } = await openPage(browser);
  await page.goto(`${suite.url}/#/console`);
  await waitReady(page, '#/console');
  assert.ok((await page.locator('main').innerText()).includes('Sign in with the development link'));
  const cases = [
    [OFFICE, ['Institutions', 'Mandate', 'Action Plans', 'International role and published reports', 'Progress reports', 'Audit logs']],
    [SECRETARIAT, ['Meetings', 'Consultations', 'Audit logs']],
    [{ sub: 'ngo', roles: ['civil_society'], institution: 'institutions/safe-harbour' }, ['Consultations']],
    [{ sub: 'police', roles: ['reporting_institution'], institution: 'institutions/national-police' }, ['Recommendations from monitoring bodies', 'Progress reports', 'Statistics upload']],
    [RAPPORTEUR, ['Statistics upload', 'Recommendations', 'Reports', 'Assessment', 'Audit logs']],
    [{ sub: 'analyst', roles: ['rapporteur_analyst'] }, ['Assessment']],
  ];
  for (const [claims, expected] of cases) {
    const fresh = await context.newPage();
    await signIn(fresh, suite, claims);
    assert.deepEqual(await consoleNav(fresh), expected, claims.roles.join());
    await fresh.close();
  }
  await context.close();
});

test('office: register and edit an institution, edit the mandate', async () => {
  const { page, record, context } = await openPage(browser);
  await signIn(page, suite, OFFICE, '#/console/institutions');
  const register = page.locator('form').first();
  await register.getByLabel('Identifier').fill('anti-slavery-ngo');
  await register.getByLabel('Name').fill('Anti-Slavery Network (fictional)');
  await register.getByLabel('Sector').selectOption('SECTOR_CIVIL_SOCIETY');
  await register.getByLabel('Kind').selectOption('INSTITUTION_KIND_CIVIL_SOCIETY');
  await register.getByLabel('Contact e-mail').fill('office@asn.example');
  assert.match(await submitAndWait(register, 'Register'), /Created: Anti-Slavery Network/);
  const created = await suite.api.get('/v1/coordinator/institutions/anti-slavery-ngo', officeToken);
  assert.equal(created.contactEmail, 'office@asn.example');

  // A bad e-mail: the service's field violation appears at the field.
  await register.getByLabel('Identifier').fill('second-ngo');
  await register.getByLabel('Contact e-mail').fill('not an address');
  assert.match(await submitAndWait(register, 'Register'), /refused/);
  assert.equal(await register.getByLabel('Contact e-mail').getAttribute('aria-invalid'), 'true');
  await assert.rejects(suite.api.get('/v1/coordinator/institutions/second-ngo', officeToken));

  await go(page, '#/console/institutions/anti-slavery-ngo');
  const edit = page.locator('form').first();
  await edit.getByLabel('Name').fill('Anti-Slavery Network of Valdoria (fictional)');
  assert.match(await submitAndWait(edit, 'Save'), /Saved/);
  assert.equal((await suite.api.get('/v1/coordinator/institutions/anti-slavery-ngo')).displayName, 'Anti-Slavery Network of Valdoria (fictional)');

  await go(page, '#/console/mandate');
  const mandate = page.locator('form').first();
  await mandate.getByLabel('Mandate holder').fill('National Co-ordinator against Trafficking');
  await mandate.getByLabel('Illegal adoption').uncheck();
  assert.match(await submitAndWait(mandate, 'Save'), /Saved/);
  const m = await suite.api.get('/v1/coordinator/mandate');
  assert.equal(m.holderTitle, 'National Co-ordinator against Trafficking');
  assert.ok(!m.formsInScope.includes('FORM_OF_EXPLOITATION_ILLEGAL_ADOPTION'));
  assert.deepEqual(record.errors.filter((e) => !e.includes('status of 400')), []);
  await screenshot(page, 'console-mandate');
  await context.close();
});

test('office: record an engagement, prepare and publish a progress report; an institution answers its recommendation', async () => {
  const { page, record, context } = await openPage(browser);
  await signIn(page, suite, OFFICE, '#/console/international');
  const engagement = page.locator('form').first();
  await engagement.getByLabel('Identifier').fill('console-forum');
  await engagement.getByLabel('Title').fill('Regional co-ordinators meeting (fictional)');
  await engagement.getByLabel('Kind').selectOption('KIND_COORDINATORS_MEETING');
  await engagement.getByLabel('Forum or body').fill('Regional network');
  await engagement.getByLabel('First day').fill('2026-03-02');
  await engagement.getByLabel('Partner States').fill('AUT, Slovenia');
  assert.match(await submitAndWait(engagement, 'Record the engagement'), /refused/);  // not a code
  assert.equal(await engagement.getByLabel('Partner States').getAttribute('aria-invalid'), 'true');
  await engagement.getByLabel('Partner States').fill('AUT, SVN');
  assert.match(await submitAndWait(engagement, 'Record the engagement'), /Saved/);
  assert.deepEqual((await suite.api.get('/v1/coordinator/engagements/console-forum')).partnerStates, ['AUT', 'SVN']);

  const publication = page.locator('form').last();
  await publication.getByLabel('Title').fill('Progress report, first half (fictional)');
  await publication.getByLabel('First day').fill('2025-01-01');
  await publication.getByLabel('Last day').fill('2025-06-30');
  assert.match(await submitAndWait(publication, 'Prepare the report'), /prepared as a draft/);
  const drafts = (await suite.api.get('/v1/coordinator/plans/nap-2025-2027/progressPublications', officeToken)).progressPublications.filter((p) => p.state === 'STATE_DRAFT');
  assert.equal(drafts.length, 1);
  await assert.rejects(suite.api.get(`/v1/coordinator/${drafts[0].name}`));  // the public does not see a draft

  // The labour inspectorate answers the recommendation it is responsible for.
  const inspectorate = await context.newPage();
  await signIn(inspectorate, suite, { sub: 'inspector', roles: ['reporting_institution'], institution: 'institutions/labour-inspectorate' }, '#/console/followup');
  const article = inspectorate.locator('[data-external-recommendation="externalRecommendations/greta-identification"]');
  await article.getByLabel('Status').selectOption('FOLLOW_UP_STATUS_PARTIALLY_IMPLEMENTED');
  await article.getByLabel('What was done or decided').fill('Indicators added to every inspection checklist.');
  assert.match(await submitAndWait(article.locator('form'), 'Record the response'), /Response recorded/);
  const rec = await suite.api.get('/v1/coordinator/externalRecommendations/greta-identification');
  assert.equal(rec.status, 'FOLLOW_UP_STATUS_PARTIALLY_IMPLEMENTED');
  assert.equal(rec.followUps.at(-1).respondingInstitution, 'institutions/labour-inspectorate');
  assert.equal(await inspectorate.locator('[data-external-recommendation]').count(), 1);  // only its own
  assert.deepEqual(record.errors.filter((e) => !e.includes('status of 400')), []);
  await screenshot(page, 'console-international');
  await context.close();
});

test('office: a plan from draft through consultation to adoption, then a revision with its reason', async () => {
  const { page, context } = await openPage(browser);
  await signIn(page, suite, OFFICE, '#/console/plans');
  const create = page.locator('form').first();
  await create.getByLabel('Identifier').fill('nap-2028');
  await create.getByLabel('Title').fill('National Action Plan 2028-2030');
  await create.getByLabel('Period starts').fill('2028-01-01');
  await create.getByLabel('Period ends').fill('2030-12-31');
  await create.getByRole('button', { name: 'Create the plan' }).click();
  await page.waitForURL(/#\/console\/plans\/nap-2028$/);
  await waitReady(page, '#/console');
  await page.locator('form', { hasText: 'Objective identifier' }).waitFor();
  // A plan without measures cannot be adopted: the refusal's reason (ErrorInfo) is shown in the
  // reader's language, the service's own message after it.
  await page.getByRole('button', { name: 'Adopt' }).click();
  const refusal = page.locator('.lifecycle-status .error');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /Add measures before adopting the plan\.\s+plan plans\/nap-2028 has no measures/);

  const objective = page.locator('form', { hasText: 'Objective identifier' });
  await objective.getByLabel('Objective identifier').fill('protect');
  await objective.getByRole('textbox', { name: 'Objective', exact: true }).fill('Protect every victim');
  await objective.getByLabel('Pillar').selectOption('PILLAR_PROTECTION');
  await objective.getByRole('button', { name: 'Add the objective' }).click();
  await page.locator('table', { hasText: 'Protect every victim' }).waitFor();
  // Edit it (a draft plan: no revision reason needed), then come back to the plan.
  await page.getByRole('link', { name: 'Protect every victim' }).click();
  const objectiveEdit = page.locator('form', { hasText: 'Pillar' });
  await objectiveEdit.getByRole('textbox', { name: 'Objective', exact: true }).fill('Protect and assist every victim');
  assert.match(await submitAndWait(objectiveEdit, 'Save'), /Saved: Protect and assist every victim/);
  assert.equal((await suite.api.get('/v1/coordinator/plans/nap-2028/objectives/protect', officeToken)).title, 'Protect and assist every victim');
  await page.getByRole('link', { name: /Back to National Action Plan 2028/ }).click();
  await page.locator('form', { hasText: 'Measure identifier' }).waitFor();

  const measure = page.locator('form', { hasText: 'Measure identifier' });
  await measure.getByLabel('Measure identifier').fill('shelters');
  await measure.getByRole('textbox', { name: 'Title', exact: true }).fill('Shelters in every region');
  await measure.getByLabel('Pillar').selectOption('PILLAR_PROTECTION');
  await measure.getByLabel('Forced labour').check();
  await measure.getByLabel('Lead institution').selectOption('institutions/safe-harbour');
  await measure.getByLabel('Start').fill('2028-01-01');
  await measure.getByLabel('Due').fill('2029-06-30');
  await measure.getByLabel('Budget allocated').fill('250000.50');
  await measure.getByLabel('Indicators').fill('beds; beds; 0; 40');
  await measure.getByRole('button', { name: 'Add the measure' }).click();
  await page.getByRole('link', { name: 'Shelters in every region' }).waitFor();
  const stored = await suite.api.get('/v1/coordinator/plans/nap-2028/measures/shelters', officeToken);
  assert.equal(stored.budget.allocated.units, '250000');
  assert.equal(stored.budget.allocated.nanos, 500000000);
  assert.deepEqual(stored.indicators.map((i) => [i.name, i.target]), [['beds', 40]]);

  await page.getByRole('button', { name: 'Submit for consultation' }).click();
  await page.locator('.lifecycle .badge', { hasText: 'In consultation' }).waitFor();
  await page.locator('.lifecycle').getByLabel('Adopted on').fill('2027-12-15');
  await page.getByRole('button', { name: 'Adopt' }).click();
  await page.locator('.lifecycle .badge', { hasText: 'Adopted' }).waitFor();
  assert.equal((await suite.api.get('/v1/coordinator/plans/nap-2028')).state, 'STATE_ADOPTED');

  // After adoption: a structural change without a reason is refused, with one it is a revision.
  await page.getByRole('link', { name: 'Shelters in every region' }).click();
  await waitReady(page, '#/console');
  const edit = page.locator('form', { hasText: 'Budget allocated' });
  await edit.getByLabel('Due').fill('2029-12-31');
  assert.match(await submitAndWait(edit, 'Save'), /refused/);
  await page.getByLabel('Reason for this revision').fill('Procurement of two sites takes longer');
  assert.match(await submitAndWait(edit, 'Save'), /Saved/);
  const revisions = await suite.api.get('/v1/coordinator/plans/nap-2028/revisions');
  assert.ok(JSON.stringify(revisions).includes('Procurement of two sites takes longer'));
  assert.equal((await suite.api.get('/v1/coordinator/plans/nap-2028/measures/shelters')).dueDate.month, 12);
  await screenshot(page, 'console-measure');
  await context.close();
});

test('lead institution: sees only its own measures and reports progress on one', async () => {
  const { page, context } = await openPage(browser);
  const who = { sub: 'labour-inspectorate-focal-point', roles: ['reporting_institution'], institution: 'institutions/labour-inspectorate' };
  await signIn(page, suite, who, '#/console/progress');
  const own = (await suite.api.get('/v1/coordinator/plans/nap-2025-2027/measures?pageSize=100')).measures.filter((m) => m.leadInstitution === who.institution);
  assert.ok(own.length >= 1);
  assert.equal(await page.locator('[data-measure]').count(), own.length);
  const target = own[0];
  const block = page.locator(`[data-measure="${target.name}"]`);
  await block.locator('summary').click();
  await block.getByLabel('Progress (%)').fill('72');
  await block.getByLabel('Status').selectOption('MEASURE_STATUS_IN_PROGRESS');
  await block.getByLabel('What happened').fill('Two more joint operations in the north.');
  assert.match(await submitAndWait(block, 'Submit the progress report'), /recorded/);
  const after_ = await suite.api.get(`/v1/coordinator/${target.name}`);
  assert.equal(after_.progressPercent, 72);
  await context.close();
});

test('secretariat: schedule a meeting and record its outcome; answer a submission', async () => {
  const { page, context } = await openPage(browser);
  await signIn(page, suite, SECRETARIAT, '#/console/meetings');
  const schedule = page.locator('form').first();
  await schedule.getByLabel('Meeting identifier').fill('plenary-2026-1');
  await schedule.getByLabel('Title').fill('Plenary meeting 1/2026');
  await schedule.getByLabel('Starts (UTC)').fill('2026-01-20T09:30');
  await schedule.getByLabel('Where').fill('Government House');
  await schedule.getByLabel('Agenda').fill('Progress of the plan\nBudget 2026');
  await schedule.getByRole('button', { name: 'Schedule' }).click();
  await page.waitForURL(/meetings\/plenary-2026-1$/);
  await page.locator('form', { hasText: 'Members present' }).waitFor();
  const outcome = page.locator('form', { hasText: 'Members present' });
  const members = (await suite.api.get('/v1/commission/members?pageSize=100')).members;
  const voting = members.filter((m) => m.voting);
  for (const m of voting) await outcome.locator(`input[value="${m.name}"]`).check();
  await outcome.getByRole('textbox', { name: 'Minutes' }).fill('The Commission reviewed the plan.');
  await outcome.getByLabel('Make the minutes and decisions public').check();
  await outcome.getByRole('button', { name: 'Add a decision' }).click();
  await outcome.getByLabel('Decision', { exact: true }).fill('Ask the ministry for a budget report.');
  await outcome.getByLabel('Action item (optional)').fill('Budget report to the Commission');
  await outcome.getByLabel('Assigned to').selectOption('institutions/ministry-labour');
  await outcome.getByLabel('Due', { exact: true }).fill('2026-03-31');
  assert.match(await submitAndWait(outcome, 'Record the outcome'), /Quorum met/);
  const held = await suite.api.get('/v1/commission/meetings/plenary-2026-1');
  assert.equal(held.state, 'STATE_HELD');
  assert.equal(held.minutes, 'The Commission reviewed the plan.');
  assert.equal(held.decisions[0].actionItems[0].assigneeInstitution, 'institutions/ministry-labour');
  assert.equal(held.agenda.length, 2);

  await go(page, '#/console/consultations');
  const pending = page.locator('[data-submission="consultations/nap-draft/submissions/non-punishment-fines"]');
  await pending.getByLabel('Answer').selectOption('RESPONSE_OUTCOME_NOT_ACCEPTED');
  assert.match(await submitAndWait(pending, 'Send the answer'), /refused/); // a reason is required
  await pending.getByLabel('Reasons').fill('Administrative fines are outside the plan; referred to the Ministry of the Interior.');
  assert.match(await submitAndWait(pending, 'Send the answer'), /now public/);
  const publicView = (await suite.api.get('/v1/commission/consultations/nap-draft/submissions')).submissions.map((s) => s.name);
  assert.ok(publicView.includes('consultations/nap-draft/submissions/non-punishment-fines'));
  await screenshot(page, 'console-consultations');
  await context.close();
});

test('member: a survivor-leader member makes a submission to an open consultation', async () => {
  const { page, context } = await openPage(browser);
  await signIn(page, suite, { sub: 'survivor-voices-delegate', roles: ['commission_member'], institution: 'institutions/survivor-voices' }, '#/console/consultations');
  const block = page.locator('[data-consultation="consultations/nap-draft"]');
  await block.getByLabel('About').fill("Measure 'child-victims'");
  await block.getByLabel('Submission').fill('Guardians need training on trauma.');
  assert.match(await submitAndWait(block, 'Send the submission'), /received/);
  const secretariat = suite.token(SECRETARIAT);
  const all = (await suite.api.get('/v1/commission/consultations/nap-draft/submissions?pageSize=100', secretariat)).submissions;
  assert.ok(all.some((s) => s.text === 'Guardians need training on trauma.' && s.member === 'members/survivor-voices'));
  await context.close();
});

test('rapporteur: CSV upload refuses a bad file row by row and stores nothing, then stores a good one', async () => {
  const { page, context } = await openPage(browser);
  await signIn(page, suite, RAPPORTEUR, '#/console/statistics');
  const count = async () => (await suite.api.get('/v1/rapporteur/statisticsSubmissions?pageSize=1000', suite.token(RAPPORTEUR))).statisticsSubmissions?.length || 0;
  const before_ = await count();
  const bad = join(suite.dir, 'bad.csv');
  writeFileSync(bad, 'indicator,form,sex,age_group,citizenship,region,count\nVICTIMS_IDENTIFIED,FORCED_LABOUR,FEMALE,ADULT,,,12\nVICTIMS_IDENTIFIED,NOT_A_FORM,MALE,,,,7\nSUSPECTS,,,,,,-3\n');
  await page.getByLabel('CSV file').setInputFiles(bad);
  await page.getByLabel('Reporting institution').fill('institutions/national-police');
  await page.getByLabel('Year').fill('2025');
  await page.getByRole('button', { name: 'Check and upload' }).click();
  await page.locator('.upload-problems').waitFor();
  const problems = await page.locator('.upload-problems tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.deepEqual(problems.map((p) => [p[0], p[1]]), [['3', 'form'], ['4', 'count']]);
  assert.equal(await count(), before_, 'nothing was stored');

  // Valid for the browser, refused by the service (a breakdown category twice): the service's
  // row is shown as a line of the file.
  const dup = join(suite.dir, 'dup.csv');
  writeFileSync(dup, 'indicator,form,sex,age_group,citizenship,region,count\nSUSPECTS,,MALE,,,,4\nSUSPECTS,,MALE,,,,5\n');
  await page.getByLabel('CSV file').setInputFiles(dup);
  await page.getByRole('button', { name: 'Check and upload' }).click();
  await page.locator('.upload-problems, .upload-status .error').first().waitFor();
  assert.equal(await count(), before_, 'nothing was stored');

  // A large file shows its progress while it is read; its one bad row, the last, is found by line.
  const big = join(suite.dir, 'big.csv');
  const lines = ['indicator,form,sex,age_group,citizenship,region,count'];
  for (let i = 0; i < 60000; i += 1) lines.push(`VICTIMS_ASSISTED,SEXUAL_EXPLOITATION,FEMALE,ADULT,NATIONAL,XV-${String((i % 90) + 10)},${i % 50}`);
  lines.push('VICTIMS_ASSISTED,,,,,,many');
  writeFileSync(big, `${lines.join('\n')}\n`);
  await page.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const p = document.querySelector('.upload progress');
      if (p && !p.hidden && p.hasAttribute('value')) window.__progress.push(Number(p.value));
    }).observe(document.querySelector('.upload'), { attributes: true, subtree: true, attributeFilter: ['value', 'hidden'] });
  });
  await page.getByLabel('CSV file').setInputFiles(big);
  await page.getByRole('button', { name: 'Check and upload' }).click();
  await page.locator('.upload-problems').waitFor();
  const seen = await page.evaluate(() => window.__progress);
  assert.ok(seen.filter((v) => v > 0 && v < 100).length >= 2, `progress while reading: ${seen.join(',')}`);
  const last = await page.locator('.upload-problems tbody tr').last().locator('th, td').allTextContents();
  assert.deepEqual(last.slice(0, 2), [new Intl.NumberFormat('en-GB').format(60002), 'count']);
  assert.equal(await count(), before_, 'nothing was stored');

  const good = join(suite.dir, 'good.csv');
  writeFileSync(good, 'indicator,form,sex,age_group,citizenship,region,count\nPERSONS_PROSECUTED,,,,,,30\nPERSONS_PROSECUTED,,MALE,,,,20\nPERSONS_PROSECUTED,,FEMALE,,,,10\n');
  await page.getByLabel('Year').fill('2019'); // a year of its own: not a new version of another
  await page.getByLabel('CSV file').setInputFiles(good);
  await page.getByRole('button', { name: 'Check and upload' }).click();
  await page.locator('.upload-status .form-ok').waitFor();
  assert.match(await page.locator('.upload-status').innerText(), /Stored 3 rows/);
  assert.equal(await count(), before_ + 1);
  await context.close();
});

test('rapporteur: issue a recommendation and assess it; draft a report with a preview and publish it; run the assessment', async () => {
  const { page, context } = await openPage(browser);
  await signIn(page, suite, RAPPORTEUR, '#/console/recommendations');
  const issue = page.locator('form').first();
  await issue.getByLabel('Identifier').fill('rec-2026-01');
  await issue.getByLabel('Recommendation').fill('Fund shelter places for men.');
  await issue.getByLabel('Addressed to').selectOption('KIND_COORDINATOR');
  await issue.getByLabel('Priority').selectOption('PRIORITY_HIGH');
  await issue.getByLabel('Due').fill('2027-06-30');
  assert.match(await submitAndWait(issue, 'Issue'), /Created/);
  await go(page, '#/console/recommendations/x');
  const article = page.locator('[data-recommendation="recommendations/rec-2026-01"]');
  await article.getByLabel('Implementation').selectOption('IMPLEMENTATION_STATUS_NOT_STARTED');
  await article.getByLabel('Rationale').fill('No budget line yet.');
  assert.match(await submitAndWait(article, 'Record the assessment'), /Not started/);
  assert.equal((await suite.api.get('/v1/rapporteur/recommendations/rec-2026-01')).followUp.status, 'IMPLEMENTATION_STATUS_NOT_STARTED');

  await go(page, '#/console/reports');
  const draft = page.locator('form').first();
  await draft.getByLabel('Identifier').fill('thematic-2026');
  await draft.getByLabel('Title').fill('Forced labour in agriculture (fictional)');
  await draft.getByLabel('Kind').selectOption('KIND_THEMATIC');
  await draft.getByLabel('Content (Markdown)').fill('# Forced labour\n\n- seasonal work\n- debt bondage\n');
  assert.equal(await draft.locator('.preview h3').innerText(), 'Forced labour');
  assert.equal(await draft.locator('.preview li').count(), 2);
  await draft.getByRole('button', { name: 'Save the draft' }).click();
  await page.waitForURL(/console\/reports\/thematic-2026$/);
  await page.getByRole('button', { name: 'Publish the report' }).click();
  await page.locator('.form-ok', { hasText: 'Published as version' }).waitFor();
  const published = await suite.api.get('/v1/rapporteur/reports/thematic-2026');
  assert.equal(published.state, 'STATE_PUBLISHED');
  assert.ok((await page.locator('main').innerText()).includes(published.contentSha256));

  await go(page, '#/console/assessment');
  await page.getByRole('button', { name: 'Run the assessment' }).click();
  await page.locator('.assessment-result .criterion').first().waitFor();
  assert.equal(await page.locator('.assessment-result .criterion').count(), 6);
  await context.close();
});

test('audit: every log the role reads, and its chain verified', async () => {
  const { page, context } = await openPage(browser);
  await signIn(page, suite, RAPPORTEUR, '#/console/audit');
  const panels = page.locator('section.audit');
  assert.deepEqual(await panels.evaluateAll((ps) => ps.map((p) => p.dataset.service)), ['coordinator', 'commission', 'rapporteur']);
  for (const panel of await panels.all()) {
    await panel.locator('tbody tr').first().waitFor();
    await panel.getByRole('button', { name: 'Verify the chain' }).click();
    await panel.locator('.audit-verdict .badge').waitFor();
    assert.equal(await panel.locator('.audit-verdict .badge').innerText(), 'Intact');
  }
  await context.close();
});

test('keyboard only: the secretariat opens a consultation without touching the mouse', async () => {
  const { page, context } = await openPage(browser);
  const office = suite.token(OFFICE);
  await suite.api.post('/v1/coordinator/plans?planId=sop-draft', { title: 'SOP draft plan', periodStart: { year: 2029, month: 1, day: 1 }, periodEnd: { year: 2029, month: 12, day: 31 }, currencyCode: 'EUR' }, office);
  await signIn(page, suite, SECRETARIAT);
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    const lbl = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
    return `${el.tagName}|${(lbl?.textContent || el.textContent || '').trim()}`;
  });
  const tabTo = async (wanted, max = 80) => {
    for (let i = 0; i < max; i += 1) {
      await page.keyboard.press('Tab');
      if ((await focused()).includes(wanted)) return;
    }
    throw new Error(`never reached ${wanted}; last ${await focused()}`);
  };
  await tabTo('A|Consultations');
  await page.keyboard.press('Enter');
  await waitReady(page, '#/console');
  await page.locator('form', { hasText: 'Consultation identifier' }).waitFor();
  await tabTo('Consultation identifier');
  await page.keyboard.type('sop-consultation');
  await tabTo('Plan consulted on');
  await page.keyboard.press('ArrowDown');
  await tabTo('INPUT|Title');
  await page.keyboard.type('Consultation on the SOP draft');
  await tabTo('Opens on');
  await page.keyboard.type('01012026');
  await tabTo('Closes on');
  await page.keyboard.type('12122030'); // the same in day-month and month-day order
  await tabTo('Open the consultation');
  await page.keyboard.press('Enter');
  const form = page.locator('form', { hasText: 'Consultation identifier' });
  await form.locator('.form-status .form-ok, .form-status .error, .form-status .field-error').first().waitFor();
  assert.match(await form.locator('.form-status').innerText(), /Created/);
  const c = await suite.api.get('/v1/commission/consultations/sop-consultation');
  assert.equal(c.title, 'Consultation on the SOP draft');
  assert.equal(c.openDate.year, 2026);
  assert.ok(['plans/sop-draft', 'plans/nap-2028'].includes(c.plan) || c.plan.startsWith('plans/'));
  await context.close();
});

test('375 px wide: console pages fit without scrolling sideways', async () => {
  const { page, context } = await openPage(browser, { width: 375, height: 800 });
  await signIn(page, suite, OFFICE, '#/console/plans/nap-2025-2027');
  for (const hash of ['#/console/plans/nap-2025-2027/measures/shelter-places', '#/console/institutions', '#/console/audit']) {
    await go(page, hash);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${hash} is ${overflow}px wider than the screen`);
  }
  await screenshot(page, 'mobile-console-audit');
  await context.close();
});
