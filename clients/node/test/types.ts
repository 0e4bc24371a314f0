// Compiled with tsc --noEmit --strict by the tests: the declarations describe the helpers as an
// integrator's TypeScript uses them (and a misuse below would not compile).
import { bearer, call, grpc, loadContracts, loaderOptions, pages, ThbError, watchChanges } from '../index.js';

interface Institution {
  name: string;
  displayName: string;
}

export async function example(target: string, token: string): Promise<string[]> {
  const thb = loadContracts();
  const v1 = (thb.thb as grpc.GrpcObject).coordinator as grpc.GrpcObject;
  const Service = (v1.v1 as grpc.GrpcObject).CoordinatorService as grpc.ServiceClientConstructor;
  const client = new Service(target, grpc.credentials.createInsecure());
  const names: string[] = [];
  for await (const i of pages<Institution>(client, 'ListInstitutions', { pageSize: 10 }, { metadata: bearer(token) })) {
    names.push(i.displayName);
  }
  try {
    await call<Institution>(client, 'GetInstitution', { name: 'institutions/x' });
  } catch (e) {
    if (e instanceof ThbError && e.reason === 'RESOURCE_NOT_FOUND') names.push(e.resourceInfo?.resourceName ?? '');
    if (e instanceof ThbError) for (const v of e.fieldViolations) names.push(v.field);
  }
  for await (const event of watchChanges(client, { afterSequence: '0', initialBackoffMs: 10 })) {
    names.push(event.sequence);
    break;
  }
  const longs: unknown = loaderOptions().longs;
  names.push(String(longs === String));
  return names;
}
