// A minimal OpenID Connect provider for the sign-in test: discovery, an authorization endpoint
// that signs in one configured user at once (no login page), a token endpoint that checks the
// code, the client, the redirect URI and the PKCE verifier (S256 only), and RS256 tokens whose
// key the services verify from a JWKS file. It records what it was asked, for the test.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';

const b64url = (buf) => Buffer.from(buf).toString('base64url');

// `registered.redirectUri` is set once the portal's address is known.
export async function startProvider({ clientId, audience, user }) {
  const registered = { redirectUri: '' };
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = b64url(randomBytes(8));
  const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] };
  const codes = new Map();
  const log = [];
  let issuer;

  const jwt = (claims) => {
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
    const payload = b64url(JSON.stringify(claims));
    const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey);
    return `${header}.${payload}.${b64url(signature)}`;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, issuer);
    const cors = { 'Access-Control-Allow-Origin': req.headers.origin || '*', Vary: 'Origin' };
    const json = (status, body) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...cors });
      res.end(JSON.stringify(body));
    };
    log.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams) });
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Allow-Headers': 'Content-Type' });
      return res.end();
    }
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (url.pathname === '/jwks') return json(200, jwks);
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      if (q.get('client_id') !== clientId || q.get('redirect_uri') !== registered.redirectUri || q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
        res.writeHead(400, { 'Content-Type': 'text/plain' });
        return res.end('bad authorization request');
      }
      const code = b64url(randomBytes(24));
      codes.set(code, { challenge: q.get('code_challenge'), nonce: q.get('nonce'), redirectUri: q.get('redirect_uri') });
      const back = new URL(registered.redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state'));
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      const grant = codes.get(form.get('code'));
      codes.delete(form.get('code')); // a code is used once
      const verifier = form.get('code_verifier') || '';
      const ok =
        grant &&
        form.get('grant_type') === 'authorization_code' &&
        form.get('client_id') === clientId &&
        form.get('redirect_uri') === grant.redirectUri &&
        b64url(createHash('sha256').update(verifier).digest()) === grant.challenge;
      log[log.length - 1].pkceVerified = Boolean(ok);
      if (!ok) return json(400, { error: 'invalid_grant' });
      const now = Math.floor(Date.now() / 1000);
      return json(200, {
        token_type: 'Bearer',
        expires_in: 600,
        access_token: jwt({ iss: issuer, aud: audience, sub: user.sub, preferred_username: user.name, roles: user.roles, iat: now, exp: now + 600 }),
        id_token: jwt({ iss: issuer, aud: clientId, sub: user.sub, nonce: grant.nonce, iat: now, exp: now + 600 }),
      });
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${server.address().port}`;
  return {
    issuer,
    jwks,
    log,
    registered,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
