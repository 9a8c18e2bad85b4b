/**
 * Who is calling. Backend services present an API key (`X-API-Key`); people present a bearer JWT
 * (`Authorization: Bearer …`) issued by the identity provider and verified here against a shared
 * secret (HS256/384/512) or the provider's JWKS. Either way the caller becomes a principal: the
 * domain's actor (id, role, and department for a department), which is the only actor the API ever
 * hands to a complaint: the body never names who acts.
 */
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, errors as jose, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from '../../config/credentials';
import { actorSchema, type Actor } from '../../domain/complaint';

export type { ApiKeyEntry, AuthConfig, JwtVerification } from '../../config/credentials';

/** The authenticated caller. */
export type Principal = Actor;

/** The headers credentials travel in. */
export const credentialHeaders = { apiKey: 'X-API-Key', bearer: 'Authorization' } as const;

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Why a request was not authenticated: the answer is 401 with this detail and field. */
export class AuthenticationFailure extends Error {
  constructor(
    /**
     * `missing`: no credentials at all; `invalid`: credentials that do not verify; `unavailable`:
     * the identity provider's keys could not be fetched, so the token could not be checked (503).
     */
    readonly kind: 'missing' | 'invalid' | 'unavailable',
    readonly field: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'AuthenticationFailure';
  }
}

/** The credentials a request carries (header values as sent). */
export interface PresentedCredentials {
  apiKey?: string;
  authorization?: string;
}

/** Turns presented credentials into a principal, or throws an AuthenticationFailure. */
export interface Authenticator {
  authenticate(credentials: PresentedCredentials): Promise<Principal>;
  /** Which credentials this authenticator accepts (for the 401's WWW-Authenticate and messages). */
  readonly accepts: { apiKeys: boolean; bearer: boolean };
}

const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Clock skew tolerated on `exp`/`nbf` between the identity provider and us. */
const CLOCK_TOLERANCE_SECONDS = 30;

export function createAuthenticator(config: AuthConfig): Authenticator {
  const keysByDigest = new Map<string, Principal>();
  for (const entry of config.apiKeys) {
    const digest = entry.sha256 ?? sha256Hex(entry.key!);
    keysByDigest.set(digest, actorSchema.parse({ id: entry.id, role: entry.role, department: entry.department }));
  }
  const secretBytes = (v: string) => new TextEncoder().encode(v);
  const unnamedSecret = config.jwt?.secret ? secretBytes(config.jwt.secret) : undefined;
  const secretsById = new Map(Object.entries(config.jwt?.secrets ?? {}).map(([kid, v]) => [kid, secretBytes(v)]));
  const secret = unnamedSecret ?? (secretsById.size > 0 ? secretsById.values().next().value : undefined);
  /** The HMAC secret a token names by its `kid`, or the unnamed one for a token without. */
  const hmacSecretFor = (kid: unknown): Uint8Array => {
    const named = typeof kid === 'string' ? secretsById.get(kid) : undefined;
    if (named) return named;
    if (kid === undefined && unnamedSecret) return unnamedSecret;
    throw new AuthenticationFailure('invalid', credentialHeaders.bearer, kid === undefined ? 'the token names no key id (kid); tokens here are signed with a named secret' : 'the token names a key id (kid) not accepted here');
  };
  const jwks: JWTVerifyGetKey | undefined = config.jwt?.jwksUrl ? createRemoteJWKSet(new URL(config.jwt.jwksUrl)) : undefined;
  const accepts = { apiKeys: keysByDigest.size > 0, bearer: secret !== undefined || jwks !== undefined };

  function byApiKey(key: string): Principal {
    // Looked up by digest: the comparison never runs over the secret itself.
    const principal = keysByDigest.get(sha256Hex(key));
    if (!principal) throw new AuthenticationFailure('invalid', credentialHeaders.apiKey, 'unknown API key');
    return principal;
  }

  async function byBearer(authorization: string): Promise<Principal> {
    const [scheme, token, ...rest] = authorization.trim().split(/\s+/);
    if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) {
      throw new AuthenticationFailure('invalid', credentialHeaders.bearer, 'use "Authorization: Bearer <token>"');
    }
    if (!accepts.bearer) throw new AuthenticationFailure('invalid', credentialHeaders.bearer, 'bearer tokens are not accepted here; use X-API-Key');
    let payload: JWTPayload;
    try {
      const { alg, kid } = decodeProtectedHeader(token);
      const hmac = typeof alg === 'string' && HMAC_ALGORITHMS.includes(alg);
      const options = {
        issuer: config.jwt?.issuer,
        audience: config.jwt?.audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'exp', ...(config.jwt?.maxTokenAgeSeconds ? ['iat'] : [])],
        ...(config.jwt?.maxTokenAgeSeconds ? { maxTokenAge: config.jwt.maxTokenAgeSeconds } : {}),
      };
      if (hmac && secret) payload = (await jwtVerify(token, hmacSecretFor(kid), { ...options, algorithms: HMAC_ALGORITHMS })).payload;
      else if (!hmac && jwks) payload = (await jwtVerify(token, jwks, { ...options, algorithms: ASYMMETRIC_ALGORITHMS })).payload;
      else throw new AuthenticationFailure('invalid', credentialHeaders.bearer, `tokens signed with ${String(alg)} are not accepted here`);
    } catch (err) {
      if (err instanceof AuthenticationFailure) throw err;
      if (keysUnavailable(err)) {
        throw new AuthenticationFailure('unavailable', credentialHeaders.bearer, 'the identity provider\'s keys could not be fetched; try again shortly');
      }
      throw new AuthenticationFailure('invalid', credentialHeaders.bearer, tokenProblem(err));
    }
    // The claims a person's token carries: `sub` (their id), `role`, and `department` for a department.
    const principal = actorSchema.safeParse({ id: payload.sub, role: payload.role, department: payload.department });
    if (!principal.success) {
      const issue = principal.error.issues[0]!;
      const claim = issue.path[0] === 'id' ? 'sub' : issue.path.join('.');
      throw new AuthenticationFailure('invalid', credentialHeaders.bearer, `the token's "${claim}" claim: ${issue.message}`);
    }
    return principal.data;
  }

  return {
    accepts,
    async authenticate({ apiKey, authorization }) {
      if (apiKey !== undefined && authorization !== undefined) {
        throw new AuthenticationFailure('invalid', credentialHeaders.bearer, 'send one credential: X-API-Key or Authorization, not both');
      }
      if (apiKey !== undefined) return byApiKey(apiKey);
      if (authorization !== undefined) return byBearer(authorization);
      throw new AuthenticationFailure('missing', credentialHeaders.bearer, 'send an API key in X-API-Key or a bearer token in Authorization');
    },
  };
}

/** Why jose refused a token, in words a caller can act on (never the token itself). */
function tokenProblem(err: unknown): string {
  if (err instanceof jose.JWTExpired) return err.claim === 'iat' ? 'the token was issued too long ago; get a new one' : 'the token has expired';
  if (err instanceof jose.JWTClaimValidationFailed) {
    const words: Record<string, string> = { check_failed: 'not the expected value', missing: 'missing', invalid: 'not valid' };
    const reason = words[err.reason] ?? err.reason.replace(/_/g, ' ');
    return `the token's "${err.claim}" claim: ${reason}`;
  }
  if (err instanceof jose.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (err instanceof jose.JOSEAlgNotAllowed) return 'the token is signed with an algorithm not accepted here';
  if (err instanceof jose.JWKSNoMatchingKey) return 'no key of the identity provider matches the token';
  return 'the token is not a valid JWT';
}

/** The JWKS could not be had: a timeout, a non-200 answer (a generic JOSEError), or a failed fetch. */
function keysUnavailable(err: unknown): boolean {
  if (err instanceof jose.JWKSTimeout) return true;
  if (err instanceof jose.JOSEError) return err.code === 'ERR_JOSE_GENERIC';
  // By name: fetch's TypeError may come from another realm (e.g. under jest).
  return (err as Error | null)?.name === 'TypeError' && /fetch failed/i.test((err as Error).message);
}
