// Signing in. The token lives in sessionStorage (this tab only, gone when it closes), never in
// localStorage or a cookie. Two ways in:
//  - OpenID Connect authorization code flow with PKCE against the configured issuer (the gateway's
//    --oidc_issuer / --oidc_client_id): the browser talks to the issuer directly;
//  - development: scripts/run.sh prints a link whose fragment carries a token signed with the
//    development key (#dev-token=...). Accepted only when the gateway says so (--ui_dev_sign_in).
// The roles shown come from the token's claims; the services verify the token on every call.

const SESSION_KEY = 'thb.session';
const PENDING_KEY = 'thb.oidc.pending';

let session = null;
const listeners = new Set();

function base64UrlDecode(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function base64UrlEncode(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(bytes = 32) {
  return base64UrlEncode(crypto.getRandomValues(new Uint8Array(bytes)));
}

// The claims of a JWT, or null when it is not one. Not verified here: the services do that.
export function claimsOf(token) {
  if (typeof token !== 'string' || !/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) return null;
  try {
    const claims = JSON.parse(base64UrlDecode(token.split('.')[1]));
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

function sessionFrom(token, via) {
  const claims = claimsOf(token);
  if (!claims) return null;
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
  if (exp && exp <= Date.now()) return null;
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r) => typeof r === 'string') : [];
  return {
    token,
    via,
    expires: exp,
    subject: String(claims.preferred_username || claims.sub || ''),
    institution: typeof claims.institution === 'string' ? claims.institution : '',
    roles,
  };
}

function store(next) {
  session = next;
  if (next) sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token: next.token, via: next.via }));
  else sessionStorage.removeItem(SESSION_KEY);
  for (const fn of listeners) fn(session);
}

export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function currentSession() {
  if (session && session.expires && session.expires <= Date.now()) signalExpired();
  return session;
}

export function currentToken() {
  return currentSession()?.token || null;
}

export function hasRole(role) {
  return Boolean(currentSession()?.roles.includes(role));
}

let expiredNotice = null;
export function onExpired(fn) {
  expiredNotice = fn;
}

// The services refused the token (expired or revoked): sign out and say so.
export function signalExpired() {
  if (!session) return;
  store(null);
  if (expiredNotice) expiredNotice();
}

export function signOut() {
  store(null);
}

// Restores this tab's session and completes a sign-in the URL carries. Returns a notice key for
// the page to show ('' when none).
export async function initAuth(config) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    if (saved && typeof saved.token === 'string') session = sessionFrom(saved.token, saved.via);
  } catch {
    session = null;
  }
  if (!session) sessionStorage.removeItem(SESSION_KEY);

  const hash = window.location.hash;
  if (hash.startsWith('#dev-token=')) {
    const token = decodeURIComponent(hash.slice('#dev-token='.length));
    // The token leaves the address bar (and the history) at once.
    history.replaceState(null, '', `${window.location.pathname}#/console`);
    if (!config.devSignIn) return 'auth.devSignInOff';
    const next = sessionFrom(token, 'development');
    if (!next) return 'auth.badToken';
    store(next);
    return 'auth.signedIn';
  }

  const params = new URLSearchParams(window.location.search);
  if (params.has('code') || params.has('error')) {
    return completeOidc(config, params);
  }
  return '';
}

async function discover(issuer) {
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
    credentials: 'omit',
  });
  if (!res.ok) throw new Error(`discovery failed: HTTP ${res.status}`);
  return res.json();
}

function redirectUri(config) {
  return config.oidc.redirectUri || `${window.location.origin}/`;
}

// Sends the browser to the issuer's sign-in page.
export async function beginSignIn(config, returnTo) {
  if (!config.oidc) throw new Error('no identity provider configured');
  if (!crypto.subtle) throw new Error('signing in needs HTTPS (or localhost)');
  const meta = await discover(config.oidc.issuer);
  const verifier = randomString(48);
  const challenge = base64UrlEncode(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  const state = randomString(16);
  const nonce = randomString(16);
  sessionStorage.setItem(
    PENDING_KEY,
    JSON.stringify({ state, nonce, verifier, returnTo, tokenEndpoint: meta.token_endpoint }),
  );
  const url = new URL(meta.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.oidc.clientId);
  url.searchParams.set('redirect_uri', redirectUri(config));
  url.searchParams.set('scope', config.oidc.scope || 'openid');
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  window.location.assign(url.toString());
}

async function completeOidc(config, params) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || 'null');
  sessionStorage.removeItem(PENDING_KEY);
  const returnTo = pending?.returnTo || '#/console';
  // The code leaves the address bar whatever happens next.
  history.replaceState(null, '', `${window.location.pathname}${returnTo}`);
  if (params.has('error')) return 'auth.refused';
  if (!config.oidc || !pending || pending.state !== params.get('state')) return 'auth.stateMismatch';
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: redirectUri(config),
    client_id: config.oidc.clientId,
    code_verifier: pending.verifier,
  });
  const res = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
    credentials: 'omit',
  });
  if (!res.ok) return 'auth.tokenFailed';
  const tokens = await res.json();
  const idClaims = claimsOf(tokens.id_token);
  if (tokens.id_token && (!idClaims || idClaims.nonce !== pending.nonce)) return 'auth.stateMismatch';
  const next = sessionFrom(tokens.access_token, 'oidc');
  if (!next) return 'auth.badToken';
  store(next);
  return 'auth.signedIn';
}
