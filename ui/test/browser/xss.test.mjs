// Hostile content from the API never runs in the portal: a measure title, an institution's name,
// meeting minutes and decisions, a recommendation, a member's pseudonym and a report's Markdown
// carrying <img onerror>, <script>, <svg onload> and javascript: links render as text or as
// sanitized HTML. Checked twice: with the page's CSP switched off (the rendering alone must be
// safe) and with it on.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, startSuite, visit, waitReady } from './harness.mjs';

const PAYLOAD =
  '<img src=x onerror="window.__xss=(window.__xss||0)+1"><script>window.__xss=99</script><svg onload="window.__xss=7"></svg>';
const MARKDOWN = `# Findings ${PAYLOAD}

A paragraph with ${PAYLOAD} inline and a [harmless-looking link](javascript:window.__xss=5) and
<a href="javascript:window.__xss=6">another</a> and <iframe src="javascript:window.__xss=8"></iframe>
<form action="javascript:window.__xss=9"><button>send</button></form>

<img src="https://tracker.example/pixel.png" alt="a remote pixel"> <h2 id="app">clobber</h2> <a id="section-1" name="main">x</a>
`;

let suite;
let browser;

before(async () => {
  suite = await startSuite();
  browser = await launchBrowser();
  const office = suite.token({ sub: 'office', roles: ['coordinator_office'] });
  const secretariat = suite.token({ sub: 'secretariat', roles: ['commission_secretariat'] });
  const rapporteur = suite.token({ sub: 'rapporteur', roles: ['rapporteur_office'] });
  const { api } = suite;
  await api.post('/v1/coordinator/institutions?institutionId=hostile', { displayName: `Hostile ${PAYLOAD}`, sector: 'SECTOR_CIVIL_SOCIETY', kind: 'INSTITUTION_KIND_CIVIL_SOCIETY' }, office);
  await api.post('/v1/coordinator/plans?planId=hostile', { title: `Plan ${PAYLOAD}`, description: PAYLOAD, periodStart: { year: 2026, month: 1, day: 1 }, periodEnd: { year: 2028, month: 12, day: 31 }, currencyCode: 'EUR' }, office);
  await api.post('/v1/coordinator/plans/hostile/objectives?objectiveId=o', { title: `Objective ${PAYLOAD}`, pillar: 'PILLAR_PREVENTION' }, office);
  await api.post('/v1/coordinator/plans/hostile/measures?measureId=m', {
    objective: 'plans/hostile/objectives/o', title: `Measure ${PAYLOAD}`, pillar: 'PILLAR_PREVENTION', forms: ['FORM_OF_EXPLOITATION_FORCED_LABOUR'],
    leadInstitution: 'institutions/hostile', startDate: { year: 2026, month: 1, day: 1 }, dueDate: { year: 2026, month: 12, day: 31 }, weight: 1,
    budget: { allocated: { currencyCode: 'EUR', units: '1000' }, fundingSource: `Source ${PAYLOAD}` },
  }, office);
  await api.post('/v1/coordinator/plans/hostile:adopt', { adoptedOn: { year: 2026, month: 1, day: 2 } }, office);
  await api.post('/v1/commission/meetings?meetingId=hostile', { title: `Meeting ${PAYLOAD}`, startTime: '2026-02-01T09:00:00Z', location: PAYLOAD, agenda: [{ title: `Item ${PAYLOAD}` }] }, secretariat);
  const members = (await api.get('/v1/commission/members?pageSize=100', secretariat)).members;
  await api.post('/v1/commission/meetings/hostile:recordOutcome', { attendance: members.map((m) => ({ member: m.name, present: true })), minutes: `Minutes ${PAYLOAD}`, minutesPublic: true, decisions: [{ text: `Decision ${PAYLOAD}` }] }, secretariat);
  await api.post('/v1/rapporteur/recommendations?recommendationId=hostile', { text: `Recommendation ${PAYLOAD}`, addressee: { kind: 'KIND_COORDINATOR' }, pillar: 'PILLAR_PREVENTION', priority: 'PRIORITY_LOW', dueDate: { year: 2027, month: 1, day: 1 } }, rapporteur);
  await api.post('/v1/rapporteur/reports?reportId=hostile', { kind: 'KIND_THEMATIC', title: `Report ${PAYLOAD}`, year: 2026, content: MARKDOWN }, rapporteur);
  await api.post('/v1/rapporteur/reports/hostile:publish', {}, rapporteur);
});
after(async () => {
  await browser?.close();
  await suite?.stop();
});

async function assertNothingRan(page, where) {
  assert.equal(await page.evaluate(() => window.__xss), undefined, `${where}: a payload ran`);
  const live = await page.evaluate(() => {
    const main = document.querySelector('main');
    return {
      scripts: main.querySelectorAll('script, iframe, object, embed, form').length,
      handlers: [...main.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
      jsLinks: [...main.querySelectorAll('[href], [src], [action]')].filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') || el.getAttribute('src') || el.getAttribute('action') || '')).length,
    };
  });
  assert.deepEqual(live, { scripts: 0, handlers: 0, jsLinks: 0 }, where);
}

for (const bypassCSP of [true, false]) {
  test(`hostile content renders as text or sanitized HTML (CSP ${bypassCSP ? 'off' : 'on'})`, async () => {
    const { page, context } = await openPage(browser, { bypassCSP });
    let dialogs = 0;
    page.on('dialog', async (d) => {
      dialogs += 1;
      await d.dismiss();
    });
    for (const hash of ['#/plan/hostile', '#/commission', '#/recommendations', '#/reports', '#/reports/hostile', '#/']) {
      await visit(page, suite.url, hash);
      await assertNothingRan(page, hash);
    }
    // Text fields show the payload as text, literally.
    await visit(page, suite.url, '#/plan/hostile');
    assert.ok((await page.locator('h1').innerText()).includes('<img src=x onerror='));
    assert.ok((await page.locator('main').innerText()).includes(`Hostile ${PAYLOAD}`));
    await visit(page, suite.url, '#/commission');
    assert.ok((await page.locator('main').innerText()).includes(`Minutes ${PAYLOAD}`));
    // The report's Markdown is rendered (a heading, a paragraph) with the dangerous parts gone;
    // clicking its links runs nothing.
    await visit(page, suite.url, '#/reports/hostile');
    assert.ok((await page.locator('.markdown h3').first().innerText()).startsWith('Findings'));
    // No image (a remote one tracks readers), no id or name shadowing the page's own.
    assert.equal(await page.locator('.markdown img').count(), 0);
    assert.ok((await page.locator('.markdown').innerText()).includes('a remote pixel'));
    assert.equal(await page.locator('.markdown [id], .markdown [name]').count(), 0);
    assert.equal(await page.locator('#app').count(), 1);
    for (const link of await page.locator('.markdown a').all()) await link.click({ force: true });
    await waitReady(page, '#/reports');
    await assertNothingRan(page, 'after clicking the report links');
    assert.equal(dialogs, 0);
    await context.close();
  });
}
