/**
 * Who calls, as an HTTP request says it: the one place tests build credentials. People send a
 * bearer JWT signed with the test secret (signed here with node:crypto, so helpers stay
 * synchronous); backend services send an API key. `testAuth` is the authenticator every test app
 * is built with: the same verification code production runs, with test keys.
 */
import { createHmac } from 'node:crypto';
import { createAuthenticator, type Authenticator } from '../../api/auth/credentials';

/** The HMAC secret test tokens are signed with. */
export const TEST_JWT_SECRET = 'test-only-secret-for-the-complaint-api-tests';

/** The backend service's API key and the principal it stands for. */
export const TEST_SERVICE_KEY = 'test-key-service-crm-0123456789';
export const testService = { id: 'crm', role: 'service' } as const;

/** The authenticator test apps use. */
export const testAuth: Authenticator = createAuthenticator({
  apiKeys: [{ key: TEST_SERVICE_KEY, ...testService }],
  jwt: { secret: TEST_JWT_SECRET },
});

/** A signed HS256 JWT with `claims` (plus iat/exp one hour from now unless given). */
export function signToken(claims: Record<string, unknown>, secret = TEST_JWT_SECRET, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part(header)}.${part({ iat: now, exp: now + 3600, ...claims })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** The request headers that make `actor` (a person, or a service) the authenticated caller. */
export function asActor(actor: { id: string; role: string; department?: string }): Record<string, string> {
  const claims = { sub: actor.id, role: actor.role, ...(actor.department ? { department: actor.department } : {}) };
  return { Authorization: `Bearer ${signToken(claims)}` };
}

/** The request headers of the backend service (its API key). */
export function asService(): Record<string, string> {
  return { 'X-API-Key': TEST_SERVICE_KEY };
}
