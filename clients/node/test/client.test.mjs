// @thbsuite/client against the real suite (clients/testing/with_suite.py starts it): the README's
// example, the loader options, paging, structured errors, the TypeScript declarations and a
// change feed that survives a broken connection.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bearer, call, grpc, loadContracts, loaderOptions, pages, ThbError, watchChanges } from '../index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..', '..');
const env = process.env;

function token(roles, institution) {
  const args = ['token', `--key_file=${env.THB_KEY_FILE}`, `--roles=${roles}`];
  if (institution) args.push(`--institution=${institution}`);
  const out = spawnSync(env.THBCTL, args, { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout.trim();
}

const thb = loadContracts();
const insecure = grpc.credentials.createInsecure();
const coordinatorAt = (target) => new thb.thb.coordinator.v1.CoordinatorService(target, insecure);
const office = () => bearer(token('coordinator_office'));
const newId = (prefix) => `${prefix}-${Math.random().toString(16).slice(2, 10)}`;
const institution = (id, sector = 'SECTOR_HEALTH') => ({ institutionId: id, institution: { displayName: id, sector, kind: 'INSTITUTION_KIND_GOVERNMENT' } });

test('the README shows examples/quickstart.mjs verbatim, and it runs (twice: request ids make it a retry)', () => {
  const example = readFileSync(join(HERE, '..', 'examples', 'quickstart.mjs'), 'utf8');
  assert.ok(readFileSync(join(ROOT, 'README.md'), 'utf8').includes(example), 'README.md must show examples/quickstart.mjs verbatim');
  const runEnv = { ...env, THB_OFFICE_TOKEN: token('coordinator_office'), THB_POLICE_TOKEN: token('reporting_institution', 'institutions/border-police-node') };
  for (let i = 0; i < 2; ++i) {
    const out = spawnSync(process.execPath, [join(HERE, '..', 'examples', 'quickstart.mjs')], { env: runEnv, encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const lines = out.stdout.split('\n');
    assert.ok(lines.includes('created institutions/border-police-node'), out.stdout);
    assert.ok(lines.includes('institution institutions/border-police-node'), out.stdout);
    assert.ok(lines.some((l) => /^submitted statisticsSubmissions\/\S+ version 1$/.test(l)), out.stdout);
    assert.ok(lines.includes('violation institution.display_name - is required'), out.stdout);
    assert.ok(lines.includes('refused RESOURCE_NOT_FOUND institutions/nobody'), out.stdout);
  }
});

test('the loader gives int64 as strings and enums as names', async () => {
  assert.equal(loaderOptions().longs, String);
  assert.equal(loaderOptions().enums, String);
  const client = coordinatorAt(env.THB_COORDINATOR);
  const id = newId('loader');
  const made = await call(client, 'CreateInstitution', institution(id), { metadata: office() });
  assert.equal(made.sector, 'SECTOR_HEALTH');
  assert.equal(typeof made.createTime.seconds, 'string');
  client.close();
});

test('pages yields every item once; a token under another filter is refused on page_token', async () => {
  const client = coordinatorAt(env.THB_COORDINATOR);
  const md = office();
  const made = [];
  for (let i = 0; i < 5; ++i) made.push((await call(client, 'CreateInstitution', institution(newId('paged'), 'SECTOR_ACADEMIA'), { metadata: md })).name);
  const seen = [];
  for await (const i of pages(client, 'ListInstitutions', { pageSize: 2, sector: 'SECTOR_ACADEMIA' })) seen.push(i.name);
  assert.equal(new Set(seen).size, seen.length);
  for (const name of made) assert.ok(seen.includes(name), name);
  const first = await call(client, 'ListInstitutions', { pageSize: 1, sector: 'SECTOR_ACADEMIA' });
  await assert.rejects(call(client, 'ListInstitutions', { pageSize: 1, sector: 'SECTOR_HEALTH', pageToken: first.nextPageToken }), (err) => {
    assert.ok(err instanceof ThbError);
    assert.equal(err.codeName, 'INVALID_ARGUMENT');
    assert.deepEqual(err.fieldViolations.map((v) => v.field), ['page_token']);
    return true;
  });
  client.close();
});

test('refusals decode: precondition failures, reason, resource info, a missing token', async () => {
  const commission = new thb.thb.commission.v1.CommissionService(env.THB_COMMISSION, insecure);
  await assert.rejects(
    call(commission, 'CreateMember', { member: { institution: 'institutions/not-registered', seat: 'SEAT_CIVIL_SOCIETY', role: 'MEMBER_ROLE_MEMBER' } }, { metadata: bearer(token('commission_secretariat')) }),
    (err) => {
      assert.equal(err.codeName, 'FAILED_PRECONDITION');
      assert.equal(err.reason, 'INSTITUTION_NOT_REGISTERED');
      assert.equal(err.errorInfo.domain, 'thb-suite');
      assert.deepEqual(err.preconditionFailures.map((p) => [p.type, p.subject]), [['REFERENCE', 'institutions/not-registered']]);
      return true;
    },
  );
  commission.close();
  const client = coordinatorAt(env.THB_COORDINATOR);
  await assert.rejects(call(client, 'GetInstitution', { name: 'institutions/ghost' }), (err) => {
    assert.equal(err.resourceInfo.resourceType, 'thb.coordinator.v1.Institution');
    return true;
  });
  await assert.rejects(call(client, 'CreateInstitution', institution(newId('anonymous'))), (err) => err.reason === 'TOKEN_REQUIRED' && err.codeName === 'UNAUTHENTICATED');
  assert.throws(() => bearer('abc\r\nx-evil: 1'));
  client.close();
});

test('watchChanges resumes after a broken connection without losing or repeating events', async () => {
  // A proxy in front of the coordinator whose connections the test cuts.
  const sockets = new Set();
  const [host, port] = [env.THB_COORDINATOR.split(':')[0], Number(env.THB_COORDINATOR.split(':')[1])];
  const proxy = createServer((client) => {
    const upstream = createConnection({ host, port });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const viaProxy = coordinatorAt(`127.0.0.1:${proxy.address().port}`);
  const direct = coordinatorAt(env.THB_COORDINATOR);
  const md = office();
  const changes = await call(direct, 'ListChanges', { afterSequence: '0', pageSize: 1000 }, { metadata: md });
  const after = changes.events.reduce((m, e) => (BigInt(e.sequence) > m ? BigInt(e.sequence) : m), 0n);
  const reconnects = [];
  const feed = watchChanges(viaProxy, { afterSequence: after.toString(), metadata: md, initialBackoffMs: 50, maxBackoffMs: 200, onReconnect: (e) => reconnects.push(e) });
  const ids = [newId('watched'), newId('watched'), newId('watched'), newId('watched')];
  await call(direct, 'CreateInstitution', institution(ids[0]), { metadata: md });
  await call(direct, 'CreateInstitution', institution(ids[1]), { metadata: md });
  const got = [(await feed.next()).value, (await feed.next()).value];
  for (const s of sockets) s.destroy(); // the stream breaks; two changes happen while it is down
  await call(direct, 'CreateInstitution', institution(ids[2]), { metadata: md });
  await call(direct, 'CreateInstitution', institution(ids[3]), { metadata: md });
  got.push((await feed.next()).value, (await feed.next()).value);
  await feed.return();
  assert.ok(reconnects.length > 0, 'the stream never broke: the test proves nothing');
  assert.deepEqual(got.map((e) => e.resource), ids.map((id) => `institutions/${id}`));
  const sequences = got.map((e) => BigInt(e.sequence));
  for (let i = 1; i < sequences.length; ++i) assert.ok(sequences[i] > sequences[i - 1]);
  viaProxy.close();
  direct.close();
  proxy.close();
});

test('the TypeScript declarations compile against their use', () => {
  const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
  const out = spawnSync(tsc, ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', join(HERE, 'types.ts')], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stdout + out.stderr);
});
