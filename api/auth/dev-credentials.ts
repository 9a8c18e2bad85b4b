/**
 * Ready-made credentials for development: one API key per kind of principal and a known JWT
 * secret, used when nothing is configured outside production and printed at start-up, so a
 * newcomer can try every role with curl. Production refuses to start with any of them.
 */
import { SignJWT } from 'jose';
import type { ApiKeyEntry, AuthConfig } from './credentials';

/** The HMAC secret development tokens are signed with. Public knowledge: never for production. */
export const DEV_JWT_SECRET = 'development-only-secret-do-not-use-in-production';

/** Every development key starts with this; production refuses such keys. */
export const DEV_KEY_PREFIX = 'dev-key-';

/** One key per kind of principal: two agents (to try the owner rule), each department, and so on. */
export const devApiKeys: ReadonlyArray<ApiKeyEntry & { key: string }> = [
  { key: `${DEV_KEY_PREFIX}service-crm`, id: 'crm', role: 'service' },
  { key: `${DEV_KEY_PREFIX}agent-zhang`, id: 'agent-zhang', role: 'agent' },
  { key: `${DEV_KEY_PREFIX}agent-wang`, id: 'agent-wang', role: 'agent' },
  { key: `${DEV_KEY_PREFIX}dept-network`, id: 'network-desk', role: 'department', department: 'network' },
  { key: `${DEV_KEY_PREFIX}dept-product`, id: 'product-desk', role: 'department', department: 'product' },
  { key: `${DEV_KEY_PREFIX}dept-billing`, id: 'billing-desk', role: 'department', department: 'billing' },
  { key: `${DEV_KEY_PREFIX}dept-service`, id: 'service-desk', role: 'department', department: 'service' },
  { key: `${DEV_KEY_PREFIX}supervisor-liu`, id: 'supervisor-liu', role: 'supervisor' },
  { key: `${DEV_KEY_PREFIX}manager-zhao`, id: 'manager-zhao', role: 'manager' },
  { key: `${DEV_KEY_PREFIX}auditor-sun`, id: 'auditor-sun', role: 'auditor' },
];

/** The development credentials as the API's configuration. */
export function devAuthConfig(): AuthConfig {
  return { apiKeys: [...devApiKeys], jwt: { secret: DEV_JWT_SECRET } };
}

/** The start-up banner listing the development credentials, with a bearer token for a person to try. */
export async function describeDevCredentials(apiUrl: string): Promise<string> {
  const sample = devApiKeys.find((k) => k.role === 'supervisor')!;
  const token = await new SignJWT({ role: sample.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sample.id)
    .setIssuedAt()
    .setExpirationTime('30d')
    .sign(new TextEncoder().encode(DEV_JWT_SECRET));
  const width = Math.max(...devApiKeys.map((k) => k.key.length));
  return [
    'Development credentials (no API_KEYS / AUTH_JWT_* configured; production refuses these):',
    ...devApiKeys.map((k) => `  X-API-Key: ${k.key.padEnd(width)}  ${k.id.padEnd(15)} ${k.role}${k.department ? ` (${k.department})` : ''}`),
    `  Bearer tokens: HS256 with AUTH_JWT_SECRET=${DEV_JWT_SECRET}, claims sub, role[, department], exp`,
    `  A token for ${sample.id} (${sample.role}, 30 days), ready to paste into a shell:`,
    '',
    `TOKEN=${token}`,
    '',
    `  then: curl -H "Authorization: Bearer $TOKEN" ${apiUrl}/complaints`,
  ].join('\n');
}
