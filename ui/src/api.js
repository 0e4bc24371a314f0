// The suite's HTTP/JSON API, as any integrator calls it: same origin, bearer token when signed
// in, errors as google.rpc.Status with their details decoded.
import { currentToken, signalExpired } from './auth.js';

export class ApiError extends Error {
  constructor(httpStatus, status) {
    super(status?.message || `HTTP ${httpStatus}`);
    this.httpStatus = httpStatus;
    this.code = status?.code ?? 2;
    this.details = status?.details || [];
    // google.rpc.BadRequest: [{field, description}]
    this.fieldViolations = this.details
      .filter((d) => String(d['@type']).endsWith('google.rpc.BadRequest'))
      .flatMap((d) => d.fieldViolations || []);
    this.preconditionFailures = this.details
      .filter((d) => String(d['@type']).endsWith('google.rpc.PreconditionFailure'))
      .flatMap((d) => d.violations || []);
    // google.rpc.ErrorInfo: the stable reason of a refusal (protos/thb/type/v1/errors.proto).
    const info = this.details.find((d) => String(d['@type']).endsWith('google.rpc.ErrorInfo'));
    this.reason = info?.reason || '';
  }
}

function url(path, query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query || {})) {
    if (value === undefined || value === null || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}

// One call. `body` is sent as JSON; the answer is parsed JSON (or {} when empty).
export async function call(method, path, { body, query, signal } = {}) {
  const headers = { Accept: 'application/json' };
  const token = currentToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url(path, query), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
    credentials: 'omit',
    cache: 'no-store',
  });
  const text = await res.text();
  let json = {};
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError(res.status, { code: 2, message: `unreadable answer (HTTP ${res.status})` });
    }
  }
  if (!res.ok) {
    if (res.status === 401 && token) signalExpired();
    throw new ApiError(res.status, json);
  }
  return json;
}

export const get = (path, query, options) => call('GET', path, { ...options, query });
export const post = (path, body, query) => call('POST', path, { body, query });
export const patch = (path, body, query) => call('PATCH', path, { body, query });
export const del = (path, query) => call('DELETE', path, { query });

// Every page of a list: `key` is the repeated field ("institutions").
export async function listAll(path, key, query = {}, maxPages = 100) {
  const items = [];
  let pageToken = '';
  for (let i = 0; i < maxPages; i += 1) {
    const page = await get(path, { ...query, pageSize: 100, pageToken });
    items.push(...(page[key] || []));
    pageToken = page.nextPageToken || '';
    if (!pageToken) break;
  }
  return items;
}

// A fresh idempotency key for one user action (retries of the same action reuse it).
export function requestId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
