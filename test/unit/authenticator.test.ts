/**
 * The authenticator on its own: API keys (given plainly or as SHA-256) and bearer JWTs verified
 * against a shared secret or a JWKS served by a local identity-provider stand-in, with jose
 * signing the tokens the way an identity provider would.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { AuthenticationFailure, createAuthenticator } from '../../api/auth/credentials';
import { describeDevCredentials } from '../../api/auth/dev-credentials';
import { DEV_JWT_SECRET, devApiKeys, devAuthConfig } from '../../config/credentials';

const SECRET = 'a-shared-secret-of-at-least-32-characters';

async function failure(promise: Promise<unknown>): Promise<AuthenticationFailure> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AuthenticationFailure) return err;
    throw err;
  }
  throw new Error('expected an AuthenticationFailure');
}

describe('API keys', () => {
  const plain = 'crm-key-0123456789abcdef0123456789';
  const hashed = 'billing-key-0123456789abcdef012345';
  const auth = createAuthenticator({
    apiKeys: [
      { key: plain, id: 'crm', role: 'service' },
      { sha256: createHash('sha256').update(hashed).digest('hex'), id: 'billing-desk', role: 'department', department: 'billing' },
    ],
  });

  it('maps each key to its principal, whether configured plainly or by digest', async () => {
    await expect(auth.authenticate({ apiKey: plain })).resolves.toEqual({ id: 'crm', role: 'service' });
    await expect(auth.authenticate({ apiKey: hashed })).resolves.toEqual({ id: 'billing-desk', role: 'department', department: 'billing' });
  });

  it('refuses an unknown key and, without a JWT configuration, any bearer token', async () => {
    expect(await failure(auth.authenticate({ apiKey: `${plain}x` }))).toMatchObject({ kind: 'invalid', field: 'X-API-Key', reason: 'unknown API key' });
    expect(await failure(auth.authenticate({ authorization: 'Bearer a.b.c' }))).toMatchObject({ kind: 'invalid', field: 'Authorization', reason: expect.stringMatching(/not accepted here/) });
    expect(await failure(auth.authenticate({}))).toMatchObject({ kind: 'missing' });
    expect(auth.accepts).toEqual({ apiKeys: true, bearer: false });
  });
});

describe('bearer JWTs with a shared secret', () => {
  const auth = createAuthenticator({ apiKeys: [], jwt: { secret: SECRET, issuer: 'https://idp.example.cn/', audience: 'complaints' } });
  const token = (claims: Record<string, unknown>, opts: { secret?: string; iss?: string; aud?: string; exp?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(opts.iss ?? 'https://idp.example.cn/')
      .setAudience(opts.aud ?? 'complaints')
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '10m')
      .sign(new TextEncoder().encode(opts.secret ?? SECRET));

  it('makes the token\'s sub, role and department the principal', async () => {
    const jwt = await token({ sub: 'noc-1', role: 'department', department: 'network' });
    await expect(auth.authenticate({ authorization: `Bearer ${jwt}` })).resolves.toEqual({ id: 'noc-1', role: 'department', department: 'network' });
  });

  it('checks issuer and audience when configured', async () => {
    const wrongIssuer = await token({ sub: 'sup-1', role: 'supervisor' }, { iss: 'https://elsewhere/' });
    expect((await failure(auth.authenticate({ authorization: `Bearer ${wrongIssuer}` }))).reason).toBe('the token\'s "iss" claim: not the expected value');
    const wrongAudience = await token({ sub: 'sup-1', role: 'supervisor' }, { aud: 'billing-portal' });
    expect((await failure(auth.authenticate({ authorization: `Bearer ${wrongAudience}` }))).reason).toBe('the token\'s "aud" claim: not the expected value');
  });

  it('tolerates 30 s of clock skew on exp, not more', async () => {
    const justExpired = await token({ sub: 'sup-1', role: 'supervisor' }, { exp: '-10s' });
    await expect(auth.authenticate({ authorization: `Bearer ${justExpired}` })).resolves.toMatchObject({ id: 'sup-1' });
    const expired = await token({ sub: 'sup-1', role: 'supervisor' }, { exp: '-2m' });
    expect((await failure(auth.authenticate({ authorization: `Bearer ${expired}` }))).reason).toBe('the token has expired');
  });
});

describe('bearer JWTs: secrets by key id, and a cap on token age', () => {
  const OLD = 'the-old-secret-of-at-least-32-characters';
  const NEW = 'the-new-secret-of-at-least-32-characters';
  const sign = (secret: string, kid: string | undefined, iat?: number) => {
    const jwt = new SignJWT({ sub: 'sup-1', role: 'supervisor' }).setProtectedHeader({ alg: 'HS256', ...(kid ? { kid } : {}) }).setExpirationTime('10m');
    return (iat === undefined ? jwt.setIssuedAt() : jwt.setIssuedAt(iat)).sign(new TextEncoder().encode(secret));
  };
  const bearer = async (auth: ReturnType<typeof createAuthenticator>, token: Promise<string>) => auth.authenticate({ authorization: `Bearer ${await token}` });

  it('rotates a secret with no downtime: during the rotation both verify, each by its kid, and after it only the new one', async () => {
    const during = createAuthenticator({ apiKeys: [], jwt: { secrets: { '2026-11': OLD, '2026-12': NEW } } });
    await expect(bearer(during, sign(OLD, '2026-11'))).resolves.toMatchObject({ id: 'sup-1' });
    await expect(bearer(during, sign(NEW, '2026-12'))).resolves.toMatchObject({ id: 'sup-1' });
    expect((await failure(bearer(during, sign(OLD, '2026-12')))).reason).toBe('the token signature does not verify');
    expect((await failure(bearer(during, sign(NEW, undefined)))).reason).toMatch(/names no key id/);
    const after = createAuthenticator({ apiKeys: [], jwt: { secrets: { '2026-12': NEW } } });
    expect((await failure(bearer(after, sign(OLD, '2026-11')))).reason).toBe('the token names a key id (kid) not accepted here');
    await expect(bearer(after, sign(NEW, '2026-12'))).resolves.toMatchObject({ id: 'sup-1' });
  });

  it('refuses a token issued longer ago than the cap, even when it has not expired, and one without iat', async () => {
    const auth = createAuthenticator({ apiKeys: [], jwt: { secret: SECRET, maxTokenAgeSeconds: 3600 } });
    const now = Math.floor(Date.now() / 1000);
    await expect(bearer(auth, sign(SECRET, undefined, now - 1800))).resolves.toMatchObject({ id: 'sup-1' });
    expect((await failure(bearer(auth, sign(SECRET, undefined, now - 7200)))).reason).toBe('the token was issued too long ago; get a new one');
    const noIat = new SignJWT({ sub: 'sup-1', role: 'supervisor' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('10m').sign(new TextEncoder().encode(SECRET));
    expect((await failure(bearer(auth, noIat))).reason).toBe('the token\'s "iat" claim: missing');
  });
});

describe('bearer JWTs verified against the identity provider\'s JWKS', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;
  let fetches = 0;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
    server = createServer((req, res) => {
      fetches += 1;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  const sign = (claims: Record<string, unknown>, kid = 'idp-1', key?: CryptoKey) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid }).setIssuedAt().setExpirationTime('5m').sign(key ?? privateKey);

  it('accepts a token signed by the provider, fetching its keys once', async () => {
    const auth = createAuthenticator({ apiKeys: [], jwt: { jwksUrl } });
    for (const sub of ['mgr-1', 'mgr-2']) {
      await expect(auth.authenticate({ authorization: `Bearer ${await sign({ sub, role: 'manager' })}` })).resolves.toEqual({ id: sub, role: 'manager' });
    }
    expect(fetches).toBe(1);
  });

  it('refuses a token signed by another key, and an HMAC token when only the JWKS is configured', async () => {
    const auth = createAuthenticator({ apiKeys: [], jwt: { jwksUrl } });
    const stranger = (await generateKeyPair('ES256')).privateKey;
    expect((await failure(auth.authenticate({ authorization: `Bearer ${await sign({ sub: 'x', role: 'manager' }, 'idp-1', stranger)}` }))).reason).toBe(
      'the token signature does not verify',
    );
    expect((await failure(auth.authenticate({ authorization: `Bearer ${await sign({ sub: 'x', role: 'manager' }, 'unknown-kid')}` }))).reason).toBe(
      'no key of the identity provider matches the token',
    );
    const hmac = await new SignJWT({ sub: 'x', role: 'manager' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
    expect((await failure(auth.authenticate({ authorization: `Bearer ${hmac}` }))).reason).toBe('tokens signed with HS256 are not accepted here');
  });
});

describe('an identity provider that cannot be reached', () => {
  it('is not the caller\'s fault: the failure is "unavailable" (503), not "invalid"', async () => {
    const down = createServer();
    await new Promise<void>((ready) => down.listen(0, '127.0.0.1', ready));
    const { port } = down.address() as AddressInfo;
    await new Promise((done) => down.close(done));
    const auth = createAuthenticator({ apiKeys: [], jwt: { jwksUrl: `http://127.0.0.1:${port}/jwks.json` } });
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT({ sub: 'x', role: 'manager' }).setProtectedHeader({ alg: 'ES256', kid: 'k' }).setExpirationTime('5m').sign(privateKey);
    expect(await failure(auth.authenticate({ authorization: `Bearer ${token}` }))).toMatchObject({ kind: 'unavailable', field: 'Authorization' });
  });
});

describe('development credentials', () => {
  it('one key per kind of principal, all accepted, and a printed bearer token that verifies', async () => {
    const auth = createAuthenticator(devAuthConfig());
    for (const { key, ...principal } of devApiKeys) {
      await expect(auth.authenticate({ apiKey: key })).resolves.toEqual(principal);
    }
    const banner = await describeDevCredentials('http://127.0.0.1:3000');
    for (const { key } of devApiKeys) expect(banner).toContain(key);
    expect(banner).toContain(DEV_JWT_SECRET);
    // A line of its own a shell takes as is: TOKEN=<jwt>.
    const token = /^TOKEN=([\w-]+\.[\w-]+\.[\w-]+)$/m.exec(banner)?.[1];
    expect(token).toBeDefined();
    expect(banner).toContain('curl -H "Authorization: Bearer $TOKEN"');
    await expect(auth.authenticate({ authorization: `Bearer ${token!}` })).resolves.toEqual({ id: 'supervisor-liu', role: 'supervisor' });
  });
});
