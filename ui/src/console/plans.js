// Co-ordinator's office: National Action Plans — create and edit plans, objectives and measures,
// and run the lifecycle (consultation, adoption, closing). After adoption every structural change
// carries a revision reason, which the coordinator records as a plan revision.
import { get, listAll, patch, post, requestId } from '../api.js';
import { badge, button, errorPanel, facts, section, table } from '../components.js';
import { idOf } from '../data.js';
import { h, replace, uniqueId } from '../dom.js';
import { formatDate, formatMoney, label, t } from '../i18n.js';
import { FORMS, PILLARS } from '../vocabulary.js';
import { enumOptions, form, fromDate, toDate } from './forms.js';

// "1234.5" in `currency` -> google.type.Money; undefined for an empty string.
export function money(text, currency) {
  const s = String(text ?? '').trim().replace(',', '.');
  if (!s) return undefined;
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(s);
  if (!m) return { currencyCode: currency, units: 'NaN' }; // the service names the field
  return { currencyCode: currency, units: m[1], nanos: m[2] ? Number(m[2].padEnd(9, '0')) : 0 };
}
const moneyText = (m) => (m ? `${m.units || 0}${m.nanos ? `.${String(m.nanos).padStart(9, '0').replace(/0+$/, '')}` : ''}` : '');

// Indicators as lines "name; unit; baseline; target".
function parseIndicators(text) {
  return String(text || '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [name, unit, baseline, target] = line.split(';').map((x) => x.trim());
      return { name, unit, baseline: Number(baseline || 0), target: Number(target || 0) };
    });
}
const indicatorText = (list) => (list || []).map((i) => `${i.name}; ${i.unit || ''}; ${i.baseline || 0}; ${i.target || 0}`).join('\n');

const STATE_KIND = { STATE_DRAFT: 'neutral', STATE_IN_CONSULTATION: 'warn', STATE_ADOPTED: 'good', STATE_CLOSED: 'neutral' };

function planFields(plan) {
  return [
    plan ? null : { name: 'planId', label: t('plans.id'), help: t('form.idHelp'), api: 'plan_id' },
    { name: 'title', label: t('plans.titleField'), required: true, value: plan?.title },
    { name: 'description', label: t('plans.description'), type: 'textarea', value: plan?.description },
    { name: 'periodStart', label: t('plans.periodStart'), type: 'date', required: true, value: fromDate(plan?.periodStart) },
    { name: 'periodEnd', label: t('plans.periodEnd'), type: 'date', required: true, value: fromDate(plan?.periodEnd) },
    { name: 'currencyCode', label: t('plans.currency'), value: plan?.currencyCode || 'EUR', required: true, attrs: { maxlength: '3', size: '4' } },
    { name: 'internalNotes', label: t('plans.internalNotes'), type: 'textarea', value: plan?.internalNotes, help: t('plans.internalNotesHelp') },
  ];
}
const planBody = (v) => ({ title: v.title, description: v.description, periodStart: toDate(v.periodStart), periodEnd: toDate(v.periodEnd), currencyCode: v.currencyCode.trim().toUpperCase(), internalNotes: v.internalNotes });

function measureFields(measure, objectives, institutions) {
  return [
    measure ? null : { name: 'measureId', label: t('measure.id'), help: t('form.idHelp'), api: 'measure_id' },
    { name: 'title', label: t('measure.title'), required: true, value: measure?.title },
    { name: 'objective', label: t('measure.objective'), type: 'select', required: true, options: objectives.map((o) => [o.name, o.title]), value: measure?.objective },
    { name: 'pillar', label: t('measure.pillar'), type: 'select', required: true, options: enumOptions(PILLARS), value: measure?.pillar },
    { name: 'forms', label: t('measure.forms'), type: 'checkboxes', options: enumOptions(FORMS), value: measure?.forms || [] },
    { name: 'leadInstitution', label: t('measure.lead'), type: 'select', required: true, options: institutions.map((i) => [i.name, i.displayName]), value: measure?.leadInstitution },
    { name: 'partnerInstitutions', label: t('measure.partners'), type: 'checkboxes', options: institutions.map((i) => [i.name, i.displayName]), value: measure?.partnerInstitutions || [] },
    { name: 'startDate', label: t('measure.start'), type: 'date', value: fromDate(measure?.startDate) },
    { name: 'dueDate', label: t('measure.due'), type: 'date', value: fromDate(measure?.dueDate) },
    { name: 'weight', label: t('measure.weight'), type: 'number', value: String(measure?.weight ?? 1), attrs: { min: '0', step: 'any' } },
    { name: 'allocated', label: t('measure.allocated'), value: moneyText(measure?.budget?.allocated), api: 'budget.allocated', attrs: { inputmode: 'decimal' } },
    { name: 'fundingSource', label: t('measure.fundingSource'), value: measure?.budget?.fundingSource, api: 'budget.funding_source' },
    { name: 'indicators', label: t('measure.indicators'), type: 'textarea', help: t('measure.indicatorsHelp'), value: indicatorText(measure?.indicators) },
    { name: 'description', label: t('measure.description'), type: 'textarea', value: measure?.description },
    { name: 'internalNotes', label: t('plans.internalNotes'), type: 'textarea', value: measure?.internalNotes, help: t('plans.internalNotesHelp') },
  ];
}
function measureBody(v, currency, current) {
  const budget = { allocated: money(v.allocated, currency), fundingSource: v.fundingSource };
  if (current?.budget?.spent) budget.spent = current.budget.spent;
  return {
    title: v.title,
    objective: v.objective,
    pillar: v.pillar,
    forms: v.forms,
    leadInstitution: v.leadInstitution,
    partnerInstitutions: v.partnerInstitutions,
    startDate: toDate(v.startDate),
    dueDate: toDate(v.dueDate),
    weight: Number(v.weight || 0),
    budget,
    indicators: parseIndicators(v.indicators).map((i) => ({ ...i, current: (current?.indicators || []).find((c) => c.name === i.name)?.current || 0 })),
    description: v.description,
    internalNotes: v.internalNotes,
  };
}

// After adoption, a revision reason goes with every structural change.
function revisionInput(plan) {
  if (plan.state !== 'STATE_ADOPTED') return { node: null, value: () => undefined };
  const id = uniqueId('revision');
  const input = h('input', { id, type: 'text', name: 'revisionReason', 'aria-describedby': `${id}-help` });
  return {
    node: h('div', { class: 'field revision' }, h('label', { for: id }, t('plans.revisionReason')), input, h('p', { id: `${id}-help`, class: 'help' }, t('plans.revisionHelp'))),
    value: () => input.value.trim() || undefined,
  };
}

function lifecycle(plan, refresh) {
  const out = h('div', { class: 'lifecycle' });
  const adoptId = uniqueId('adopted');
  const adoptedOn = h('input', { id: adoptId, type: 'date', value: new Date().toISOString().slice(0, 10) });
  const act = (verb, body) => async () => {
    try {
      await post(`/v1/coordinator/${plan.name}:${verb}`, { etag: plan.etag, requestId: requestId(), ...body });
      await refresh();
    } catch (err) {
      replace(out.querySelector('.lifecycle-status'), errorPanel(err));
    }
  };
  replace(
    out,
    h('p', null, t('plans.stateNow'), ' ', badge(label(plan.state, 'plan'), STATE_KIND[plan.state])),
    plan.state === 'STATE_DRAFT' ? button(t('plans.submitForConsultation'), act('submitForConsultation', {})) : null,
    plan.state === 'STATE_DRAFT' || plan.state === 'STATE_IN_CONSULTATION'
      ? h('div', { class: 'inline-form' }, h('label', { for: adoptId }, t('plans.adoptedOn')), adoptedOn, button(t('plans.adopt'), async () => act('adopt', { adoptedOn: toDate(adoptedOn.value) })()))
      : null,
    plan.state === 'STATE_ADOPTED' ? button(t('plans.close'), act('close', {}), { kind: 'secondary' }) : null,
    h('div', { class: 'lifecycle-status', role: 'status' }),
  );
  return out;
}

async function measureView(planId, measureId) {
  const [plan, measure, objectives, institutions] = await Promise.all([
    get(`/v1/coordinator/plans/${encodeURIComponent(planId)}`),
    get(`/v1/coordinator/plans/${encodeURIComponent(planId)}/measures/${encodeURIComponent(measureId)}`),
    listAll(`/v1/coordinator/plans/${encodeURIComponent(planId)}/objectives`, 'objectives'),
    listAll('/v1/coordinator/institutions', 'institutions'),
  ]);
  const revision = revisionInput(plan);
  let etag = measure.etag;
  return h(
    'div',
    null,
    h('p', null, h('a', { href: `#/console/plans/${planId}` }, t('plans.backToPlan', { title: plan.title }))),
    section(
      t('measure.edit', { title: measure.title }),
      facts([
        [t('plan.status'), label(measure.status)],
        [t('plan.progress'), `${Math.round(measure.progressPercent || 0)}%`],
        [t('plan.spent'), formatMoney(measure.budget?.spent)],
      ]),
      revision.node,
      form({
        prefix: 'measure',
        fields: measureFields(measure, objectives, institutions),
        submitLabel: t('form.save'),
        submit: async (v) => {
          const saved = await patch(`/v1/coordinator/${measure.name}`, { ...measureBody(v, plan.currencyCode, measure), etag }, { revisionReason: revision.value() });
          etag = saved.etag;
          return t('form.savedName', { name: saved.title });
        },
      }),
    ),
  );
}

async function objectiveView(planId, objectiveId) {
  const [plan, objective] = await Promise.all([
    get(`/v1/coordinator/plans/${encodeURIComponent(planId)}`),
    get(`/v1/coordinator/plans/${encodeURIComponent(planId)}/objectives/${encodeURIComponent(objectiveId)}`),
  ]);
  const revision = revisionInput(plan);
  let etag = objective.etag;
  return h(
    'div',
    null,
    h('p', null, h('a', { href: `#/console/plans/${planId}` }, t('plans.backToPlan', { title: plan.title }))),
    section(
      t('plans.editObjective', { title: objective.title }),
      revision.node,
      form({
        prefix: 'objective',
        fields: [
          { name: 'title', label: t('plans.objectiveTitle'), required: true, value: objective.title },
          { name: 'pillar', label: t('measure.pillar'), type: 'select', required: true, options: enumOptions(PILLARS), value: objective.pillar },
          { name: 'description', label: t('measure.description'), type: 'textarea', value: objective.description },
        ],
        submitLabel: t('form.save'),
        submit: async (v) => {
          const saved = await patch(`/v1/coordinator/${objective.name}`, { title: v.title, pillar: v.pillar, description: v.description, etag }, { revisionReason: revision.value() });
          etag = saved.etag;
          return t('form.savedName', { name: saved.title });
        },
      }),
    ),
  );
}

async function planView(planId) {
  const holder = h('div', null);
  const refresh = async () => {
    const [plan, objectives, measures, institutions] = await Promise.all([
      get(`/v1/coordinator/plans/${encodeURIComponent(planId)}`),
      listAll(`/v1/coordinator/plans/${encodeURIComponent(planId)}/objectives`, 'objectives'),
      listAll(`/v1/coordinator/plans/${encodeURIComponent(planId)}/measures`, 'measures'),
      listAll('/v1/coordinator/institutions', 'institutions'),
    ]);
    const revision = revisionInput(plan);
    let etag = plan.etag;
    replace(
      holder,
      h('p', null, h('a', { href: '#/console/plans' }, t('plans.back'))),
      section(t('plans.lifecycle', { title: plan.title }), lifecycle(plan, refresh)),
      section(
        t('plans.editPlan'),
        form({
          prefix: 'plan',
          fields: planFields(plan),
          submitLabel: t('form.save'),
          submit: async (v) => {
            const saved = await patch(`/v1/coordinator/${plan.name}`, { ...planBody(v), etag });
            etag = saved.etag;
            return t('form.saved');
          },
        }),
      ),
      revision.node ? section(t('plans.revisionTitle'), revision.node) : null,
      section(
        t('plans.objectives'),
        table({
          caption: t('plans.objectivesCaption'),
          columns: [
            { label: t('measure.objective'), value: (o) => h('a', { href: `#/console/plans/${planId}/objectives/${idOf(o.name)}` }, o.title), header: true },
            { label: t('measure.pillar'), value: (o) => label(o.pillar) },
          ],
          rows: objectives,
          empty: t('plans.noObjectives'),
        }),
        h('h3', null, t('plans.addObjective')),
        form({
          prefix: 'objective',
          fields: [
            { name: 'objectiveId', label: t('plans.objectiveId'), help: t('form.idHelp'), api: 'objective_id' },
            { name: 'title', label: t('plans.objectiveTitle'), required: true },
            { name: 'pillar', label: t('measure.pillar'), type: 'select', required: true, options: enumOptions(PILLARS) },
            { name: 'description', label: t('measure.description'), type: 'textarea' },
          ],
          submitLabel: t('plans.addObjectiveButton'),
          submit: async (v) => {
            await post(`/v1/coordinator/${plan.name}/objectives`, { title: v.title, pillar: v.pillar, description: v.description }, { objectiveId: v.objectiveId, revisionReason: revision.value(), requestId: requestId() });
            await refresh();
          },
        }),
      ),
      section(
        t('plans.measures'),
        table({
          caption: t('plans.measuresCaption'),
          columns: [
            { label: t('plan.measure'), value: (m) => h('a', { href: `#/console/plans/${planId}/measures/${idOf(m.name)}` }, m.title), header: true },
            { label: t('plan.status'), value: (m) => label(m.status) },
            { label: t('plan.lead'), value: (m) => institutions.find((i) => i.name === m.leadInstitution)?.displayName || m.leadInstitution },
            { label: t('plan.due'), value: (m) => formatDate(m.dueDate) },
          ],
          rows: measures,
          empty: t('plans.noMeasures'),
        }),
        h('h3', null, t('plans.addMeasure')),
        objectives.length
          ? form({
              prefix: 'measure',
              fields: measureFields(null, objectives, institutions),
              submitLabel: t('plans.addMeasureButton'),
              submit: async (v) => {
                await post(`/v1/coordinator/${plan.name}/measures`, measureBody(v, plan.currencyCode), { measureId: v.measureId, revisionReason: revision.value(), requestId: requestId() });
                await refresh();
              },
            })
          : h('p', { class: 'empty' }, t('plans.objectiveFirst')),
      ),
    );
  };
  await refresh();
  return holder;
}

export async function render(params) {
  if (params[0] && params[1] === 'measures' && params[2]) return measureView(params[0], params[2]);
  if (params[0] && params[1] === 'objectives' && params[2]) return objectiveView(params[0], params[2]);
  if (params[0]) return planView(params[0]);
  const plans = await listAll('/v1/coordinator/plans', 'plans');
  return h(
    'div',
    null,
    section(
      t('plans.all'),
      table({
        caption: t('plans.caption'),
        columns: [
          { label: t('plans.titleField'), value: (p) => h('a', { href: `#/console/plans/${idOf(p.name)}` }, p.title), header: true },
          { label: t('plan.state'), value: (p) => badge(label(p.state, 'plan'), STATE_KIND[p.state]) },
          { label: t('plan.period'), value: (p) => `${formatDate(p.periodStart)} – ${formatDate(p.periodEnd)}` },
        ],
        rows: plans,
        empty: t('plan.none'),
      }),
    ),
    section(
      t('plans.create'),
      form({
        prefix: 'plan',
        fields: planFields(null),
        submitLabel: t('plans.createButton'),
        submit: async (v) => {
          const created = await post('/v1/coordinator/plans', planBody(v), { planId: v.planId, requestId: requestId() });
          window.location.hash = `#/console/plans/${idOf(created.name)}`;
        },
      }),
    ),
  );
}
