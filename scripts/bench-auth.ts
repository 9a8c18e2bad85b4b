/**
 * What authentication costs per request: the authenticator alone, for each kind of credential
 * (API key; HS256 JWT against the shared secret; ES256 JWT against a JWKS served locally, keys
 * cached after the first fetch). Run: `npm run bench:auth` (prints per-call latency and calls/s).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createAuthenticator, type PresentedCredentials } from '../api/auth/credentials';

const N = Number(process.env.N ?? 20_000);

async function main(): Promise<void> {
  const secret = 'a-shared-secret-of-at-least-32-characters';
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
  const idp = createServer((_req, res) => res.setHeader('Content-Type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((ready) => idp.listen(0, '127.0.0.1', ready));
  const jwksUrl = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/jwks.json`;

  const auth = createAuthenticator({
    apiKeys: Array.from({ length: 1000 }, (_, i) => ({ key: `service-key-${String(i).padStart(8, '0')}-abcdefghijklmnop`, id: `svc-${i}`, role: 'service' as const })),
    jwt: { secret, jwksUrl },
  });
  const hs256 = await new SignJWT({ role: 'agent' }).setProtectedHeader({ alg: 'HS256' }).setSubject('agent-7').setExpirationTime('1h').sign(new TextEncoder().encode(secret));
  const es256 = await new SignJWT({ role: 'supervisor' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('sup-1').setExpirationTime('1h').sign(privateKey);

  const cases: Array<[string, PresentedCredentials]> = [
    ['API key (1 000 configured)', { apiKey: 'service-key-00000500-abcdefghijklmnop' }],
    ['bearer JWT, HS256 (secret)', { authorization: `Bearer ${hs256}` }],
    ['bearer JWT, ES256 (JWKS, cached)', { authorization: `Bearer ${es256}` }],
  ];
  console.log(`node ${process.version}, ${N} calls each`);
  for (const [name, credentials] of cases) {
    for (let i = 0; i < 200; i++) await auth.authenticate(credentials); // warm up (and fetch the JWKS once)
    const started = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await auth.authenticate(credentials);
    const micros = Number(process.hrtime.bigint() - started) / 1e3 / N;
    console.log(`${name.padEnd(34)} ${micros.toFixed(1).padStart(7)} µs/call  ${Math.round(1e6 / micros).toLocaleString('en').padStart(9)} calls/s`);
  }
  idp.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
