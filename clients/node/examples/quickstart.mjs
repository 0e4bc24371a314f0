import { bearer, call, grpc, loadContracts, pages, ThbError } from '@thbsuite/client';

const thb = loadContracts(); // int64 as strings, enums as names, both include paths
const credentials = grpc.credentials.createInsecure();
const coordinator = new thb.thb.coordinator.v1.CoordinatorService(process.env.THB_COORDINATOR, credentials);
const rapporteur = new thb.thb.rapporteur.v1.RapporteurService(process.env.THB_RAPPORTEUR, credentials);
const office = bearer(process.env.THB_OFFICE_TOKEN); // role coordinator_office

// Register an institution. The request id makes a retry safe: it returns the first result.
const police = await call(coordinator, 'CreateInstitution', {
  institutionId: 'border-police-node',
  requestId: 'register-border-police-node',
  institution: { displayName: 'Border Police', sector: 'SECTOR_IMMIGRATION_AND_BORDER', kind: 'INSTITUTION_KIND_GOVERNMENT' },
}, { metadata: office });
console.log('created', police.name);

// Every institution, page after page (each page repeats the request with the next token).
for await (const institution of pages(coordinator, 'ListInstitutions', { pageSize: 2 })) {
  console.log('institution', institution.name);
}

// The police submit last year's statistics, with a token naming their institution.
const year = new Date().getUTCFullYear() - 1;
const submission = await call(rapporteur, 'CreateStatisticsSubmission', {
  requestId: `police-node-${year}`,
  statisticsSubmission: {
    reportingInstitution: police.name,
    period: { year },
    rows: [
      { indicator: 'STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED', count: '42' },
      { indicator: 'STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED', sex: 'SEX_FEMALE', count: '30' },
    ],
  },
}, { metadata: bearer(process.env.THB_POLICE_TOKEN) });
console.log('submitted', submission.name, 'version', submission.version);

// Refusals are structured: act on field violations and reasons, never on the message text.
try {
  await call(coordinator, 'CreateInstitution', { institution: { displayName: '' } }, { metadata: office });
} catch (err) {
  if (!(err instanceof ThbError)) throw err;
  for (const v of err.fieldViolations) console.log('violation', v.field, '-', v.description);
}
try {
  await call(coordinator, 'DeleteInstitution', { name: 'institutions/nobody' }, { metadata: office });
} catch (err) {
  console.log('refused', err.reason, err.resourceInfo.resourceName);
}
coordinator.close();
rapporteur.close();
