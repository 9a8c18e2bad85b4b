/**
 * The start-up banner for the development credentials (`config/credentials.ts`): one API key per
 * kind of principal and a known JWT secret, used when nothing is configured outside production and
 * printed at start-up, so a newcomer can try every role with curl. Production refuses them.
 */
import { SignJWT } from 'jose';
import { DEV_JWT_SECRET, devApiKeys } from '../../config/credentials';

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
