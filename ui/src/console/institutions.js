// Co-ordinator's office: the stakeholder registry (register, edit, archive) and the mandate.
import { get, listAll, patch, post, requestId } from '../api.js';
import { badge, button, errorPanel, section, table } from '../components.js';
import { idOf } from '../data.js';
import { h, replace } from '../dom.js';
import { label, t } from '../i18n.js';
import { FORMS, GOVERNMENT_LEVELS, INSTITUTION_KINDS, SECTORS } from '../vocabulary.js';
import { enumOptions, form, fromDate, toDate } from './forms.js';

function institutionFields(current, all) {
  return [
    current ? null : { name: 'institutionId', label: t('inst.id'), help: t('form.idHelp'), api: 'institution_id' },
    { name: 'displayName', label: t('inst.displayName'), required: true, value: current?.displayName },
    { name: 'sector', label: t('inst.sector'), type: 'select', options: enumOptions(SECTORS), required: true, value: current?.sector },
    { name: 'kind', label: t('inst.kind'), type: 'select', options: enumOptions(INSTITUTION_KINDS), required: true, value: current?.kind },
    {
      name: 'parent',
      label: t('inst.parent'),
      type: 'select',
      options: all.filter((i) => i.name !== current?.name).map((i) => [i.name, i.displayName]),
      value: current?.parent,
    },
    { name: 'region', label: t('inst.region'), help: t('inst.regionHelp'), value: current?.region },
    { name: 'contactEmail', label: t('inst.contactEmail'), type: 'email', value: current?.contactEmail, help: t('inst.contactHelp') },
  ];
}

const body = (v) => ({ displayName: v.displayName, sector: v.sector, kind: v.kind, parent: v.parent, region: v.region, contactEmail: v.contactEmail });

async function editView(id) {
  const [current, all] = await Promise.all([get(`/v1/coordinator/institutions/${encodeURIComponent(id)}`), listAll('/v1/coordinator/institutions', 'institutions', { showArchived: true })]);
  let etag = current.etag;
  return h(
    'div',
    null,
    h('p', null, h('a', { href: '#/console/institutions' }, t('inst.back'))),
    section(
      t('inst.edit', { name: current.displayName }),
      form({
        prefix: 'institution',
        fields: institutionFields(current, all),
        submitLabel: t('form.save'),
        submit: async (v) => {
          const saved = await patch(`/v1/coordinator/${current.name}`, { ...body(v), etag });
          etag = saved.etag;
          return t('form.savedName', { name: saved.displayName });
        },
      }),
      current.state === 'STATE_ARCHIVED'
        ? h('p', null, badge(label('STATE_ARCHIVED', 'institution'), 'neutral'))
        : button(
            t('inst.archive'),
            async () => {
              await post(`/v1/coordinator/${current.name}:archive`, { etag, requestId: requestId() });
              window.location.hash = '#/console/institutions';
            },
            { kind: 'secondary' },
          ),
    ),
  );
}

export async function render(params) {
  if (params[0]) return editView(params[0]);
  const all = await listAll('/v1/coordinator/institutions', 'institutions', { showArchived: true });
  const list = h('div', null);
  replace(
    list,
    table({
      caption: t('inst.caption'),
      columns: [
        { label: t('inst.displayName'), value: (i) => h('a', { href: `#/console/institutions/${idOf(i.name)}` }, i.displayName), header: true },
        { label: t('inst.sector'), value: (i) => label(i.sector) },
        { label: t('inst.kind'), value: (i) => label(i.kind) },
        { label: t('inst.state'), value: (i) => label(i.state, 'institution') },
        { label: t('inst.contactEmail'), value: (i) => i.contactEmail || '' },
      ],
      rows: all,
      empty: t('inst.none'),
    }),
  );
  return h(
    'div',
    null,
    section(
      t('inst.register'),
      form({
        prefix: 'institution',
        fields: institutionFields(null, all),
        submitLabel: t('inst.registerButton'),
        submit: async (v) => {
          const created = await post('/v1/coordinator/institutions', { ...body(v) }, { institutionId: v.institutionId, requestId: requestId() });
          all.push(created);
          return t('form.createdName', { name: created.displayName, id: created.name });
        },
      }),
    ),
    section(t('inst.registry'), list),
  );
}

export async function renderMandate() {
  let current;
  try {
    current = await get('/v1/coordinator/mandate');
  } catch (err) {
    if (err.code !== 5) return errorPanel(err);
    current = { name: 'mandate' };
  }
  const institutions = await listAll('/v1/coordinator/institutions', 'institutions');
  let etag = current.etag;
  return section(
    t('mandate.editTitle'),
    form({
      prefix: 'mandate',
      fields: [
        { name: 'holderTitle', label: t('mandate.holder'), required: true, value: current.holderTitle },
        { name: 'institution', label: t('mandate.institution'), type: 'select', options: institutions.map((i) => [i.name, i.displayName]), required: true, value: current.institution },
        { name: 'governmentLevel', label: t('mandate.level'), type: 'select', options: enumOptions(GOVERNMENT_LEVELS), required: true, value: current.governmentLevel },
        { name: 'formsInScope', label: t('mandate.formsInScope'), type: 'checkboxes', options: enumOptions(FORMS), value: current.formsInScope || [] },
        { name: 'legalBasis', label: t('mandate.legalBasis'), type: 'textarea', value: current.legalBasis },
        { name: 'appointedOn', label: t('mandate.appointedOn'), type: 'date', value: fromDate(current.appointedOn) },
      ],
      submitLabel: t('form.save'),
      submit: async (v) => {
        const saved = await patch('/v1/coordinator/mandate', {
          holderTitle: v.holderTitle,
          institution: v.institution,
          governmentLevel: v.governmentLevel,
          formsInScope: v.formsInScope,
          legalBasis: v.legalBasis,
          appointedOn: toDate(v.appointedOn),
          etag,
        });
        etag = saved.etag;
        return t('form.saved');
      },
    }),
  );
}
