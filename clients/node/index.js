// THB Suite's Node client: the contracts in protos/ loaded with @grpc/proto-loader as the suite
// expects them read, and thin helpers. Versions are pinned in the repository's lockfile.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdirSync, statSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';

const HERE = dirname(fileURLToPath(import.meta.url));

// Where the contracts and the googleapis protos they import are found: the repository's protos/
// and Debian's googleapis copy unless given (or THB_PROTOS_DIR / THB_GOOGLEAPIS_DIR). Elsewhere,
// point googleapisDir at any googleapis checkout (e.g. npm google-proto-files' directory).
export function defaultIncludeDirs() {
  return {
    protosDir: process.env.THB_PROTOS_DIR || join(HERE, '..', '..', 'protos'),
    googleapisDir: process.env.THB_GOOGLEAPIS_DIR || '/usr/share/gocode/src/github.com/gogo/googleapis',
  };
}

// The options the contracts need: int64 as decimal strings (a count or a sequence never loses
// precision as a JS number would, and never arrives as a Long object), enums by name as in the
// JSON API, defaults filled in, oneofs with a virtual field naming the case set, and both include
// paths (the contracts and googleapis).
export function loaderOptions({ protosDir, googleapisDir } = defaultIncludeDirs()) {
  return { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [protosDir, googleapisDir] };
}

function protoFiles(dir, prefix = 'thb') {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    const path = join(prefix, name);
    if (statSync(join(dir, path)).isDirectory()) return protoFiles(dir, path);
    return name.endsWith('.proto') ? [path] : [];
  });
}

// Every contract, loaded: `thb.coordinator.v1.CoordinatorService`, `thb.commission.v1...`,
// `thb.rapporteur.v1.RapporteurService` are client constructors: new Service(target, credentials).
export function loadContracts(dirs = defaultIncludeDirs()) {
  const definition = protoLoader.loadSync(protoFiles(dirs.protosDir), loaderOptions(dirs));
  return grpc.loadPackageDefinition(definition);
}

// The metadata that authenticates a call with `token`; an empty token gives empty metadata.
export function bearer(token) {
  const metadata = new grpc.Metadata();
  if (!token) return metadata;
  if (/[\s]/.test(token)) throw new Error('a bearer token is one line without spaces');
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

let details = null;
function detailTypes() {
  if (!details) {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => join(defaultIncludeDirs().googleapisDir, target);
    root.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto']);
    const type = (name) => root.lookupType(name);
    details = {
      status: type('google.rpc.Status'),
      'type.googleapis.com/google.rpc.BadRequest': type('google.rpc.BadRequest'),
      'type.googleapis.com/google.rpc.PreconditionFailure': type('google.rpc.PreconditionFailure'),
      'type.googleapis.com/google.rpc.ErrorInfo': type('google.rpc.ErrorInfo'),
      'type.googleapis.com/google.rpc.ResourceInfo': type('google.rpc.ResourceInfo'),
    };
  }
  return details;
}

// A failed call with its google.rpc details decoded: fieldViolations (BadRequest),
// preconditionFailures (PreconditionFailure), errorInfo and its `reason` (ErrorInfo: the stable
// reasons are listed in protos/thb/type/v1/errors.proto) and resourceInfo (ResourceInfo).
export class ThbError extends Error {
  constructor(code, message, parts = {}) {
    super(`${grpc.status[code] ?? code}: ${message}`);
    this.name = 'ThbError';
    this.code = code;
    this.codeName = grpc.status[code] ?? String(code);
    this.details = message;
    this.fieldViolations = parts.fieldViolations || [];
    this.preconditionFailures = parts.preconditionFailures || [];
    this.errorInfo = parts.errorInfo || null;
    this.resourceInfo = parts.resourceInfo || null;
  }

  get reason() {
    return this.errorInfo ? this.errorInfo.reason : '';
  }

  // The ThbError of a grpc-js ServiceError (its metadata carries grpc-status-details-bin).
  static fromServiceError(error) {
    const parts = {};
    const raw = error.metadata?.get?.('grpc-status-details-bin') || [];
    for (const bytes of raw) {
      let status;
      try {
        status = detailTypes().status.decode(bytes);
      } catch {
        continue; // a malformed trailer leaves the error without details
      }
      for (const any of status.details || []) {
        const type = detailTypes()[any.type_url ?? any.typeUrl];
        if (!type) continue;
        const d = type.toObject(type.decode(any.value), { defaults: true });
        if (type.name === 'BadRequest') parts.fieldViolations = d.fieldViolations.map((v) => ({ field: v.field, description: v.description }));
        if (type.name === 'PreconditionFailure') parts.preconditionFailures = d.violations.map((v) => ({ type: v.type, subject: v.subject, description: v.description }));
        if (type.name === 'ErrorInfo') parts.errorInfo = { reason: d.reason, domain: d.domain, metadata: d.metadata || {} };
        if (type.name === 'ResourceInfo') parts.resourceInfo = { resourceType: d.resourceType, resourceName: d.resourceName, description: d.description };
      }
    }
    return new ThbError(error.code ?? grpc.status.UNKNOWN, error.details ?? error.message, parts);
  }
}

// Calls unary method `method` of `client` and resolves with the response; a failure rejects with
// a ThbError. Options: metadata (e.g. bearer(token)), deadline (a Date or ms since the epoch).
export function call(client, method, request, { metadata = new grpc.Metadata(), deadline } = {}) {
  if (typeof client[method] !== 'function') throw new TypeError(`no method ${method}`);
  return new Promise((resolve, reject) => {
    client[method](request, metadata, deadline ? { deadline } : {}, (error, response) => {
      if (error) reject(ThbError.fromServiceError(error));
      else resolve(response);
    });
  });
}

// Every item of a List RPC, page after page: `for await (const i of pages(client, 'ListX', req))`.
// Each next page repeats the request with the previous token, as the suite requires. `items`
// names the response's repeated field when it is not the only array in the response.
export async function* pages(client, method, request = {}, { items, ...options } = {}) {
  let pageToken = request.pageToken || '';
  for (;;) {
    const response = await call(client, method, { ...request, pageToken }, options);
    const field = items || Object.keys(response).find((k) => Array.isArray(response[k]));
    if (!field) throw new TypeError(`${method}'s response has no list to page through`);
    yield* response[field];
    if (!response.nextPageToken) return;
    pageToken = response.nextPageToken;
  }
}

const RETRYABLE = new Set([grpc.status.UNAVAILABLE, grpc.status.INTERNAL, grpc.status.UNKNOWN, grpc.status.RESOURCE_EXHAUSTED, grpc.status.ABORTED, grpc.status.DEADLINE_EXCEEDED]);

// A service's change feed (WatchChanges on any of the three clients) after `afterSequence`,
// forever. When the stream breaks it reconnects with exponential backoff, asking for the events
// after the last one it yielded: none is skipped, none repeated. A refusal retrying cannot fix
// (a bad token) throws a ThbError. Sequences are decimal strings (int64).
export async function* watchChanges(client, { afterSequence = '0', metadata = new grpc.Metadata(), initialBackoffMs = 500, maxBackoffMs = 30000, onReconnect } = {}) {
  let last = BigInt(afterSequence);
  let delay = initialBackoffMs;
  for (;;) {
    const stream = client.WatchChanges({ afterSequence: last.toString() }, metadata);
    let error = null;
    try {
      for await (const event of stream) {
        const sequence = BigInt(event.sequence);
        if (sequence <= last) continue; // delivered before the reconnect
        last = sequence;
        delay = initialBackoffMs;
        yield event;
      }
    } catch (e) {
      if (!RETRYABLE.has(e.code)) throw ThbError.fromServiceError(e);
      error = e;
    } finally {
      stream.cancel();
    }
    if (onReconnect) onReconnect(error, delay);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, maxBackoffMs);
  }
}

export { grpc };
