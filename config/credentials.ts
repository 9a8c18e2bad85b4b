/**
 * The API's credential settings: the shape of a configured API key, how bearer tokens are
 * verified, and the development credentials used when nothing is configured outside production.
 * Configuration, so it sits below the API (which authenticates with it) and imports only the domain.
 */
import { z } from 'zod';
import { departments, roles } from '../domain/complaint';

/**
 * One configured API key and the principal it stands for. Give the key itself (`key`) or, to keep
 * it out of the configuration, its SHA-256 in hex (`sha256`).
 */
export const apiKeyEntrySchema = z
  .object({
    key: z.string().min(16, 'an API key has at least 16 characters').optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the key, in lower-case hex').optional(),
    id: z.string().trim().min(1).max(128),
    role: z.enum(roles),
    department: z.enum(departments).optional(),
  })
  .refine((e) => (e.key === undefined) !== (e.sha256 === undefined), { message: 'give either key or sha256', path: ['key'] })
  .refine((e) => e.role !== 'department' || e.department !== undefined, { message: 'a department key names its department', path: ['department'] });
export type ApiKeyEntry = z.infer<typeof apiKeyEntrySchema>;
/** `API_KEYS`: a JSON array of entries. */
export const apiKeyEntriesSchema = z.array(apiKeyEntrySchema);

/** How bearer tokens are verified. */
export interface JwtVerification {
  /** A shared secret for HMAC-signed tokens (at least 32 characters), for tokens without a `kid`. */
  secret?: string;
  /**
   * HMAC secrets by key id (`kid` in the token's header), so a secret rotates with no downtime:
   * add the new one, let the issuer sign with it, remove the old one once its tokens have expired.
   */
  secrets?: Record<string, string>;
  /** Tokens issued (`iat`) longer ago than this are refused, whatever their `exp` (absent: no cap). */
  maxTokenAgeSeconds?: number;
  /** The identity provider's JWKS, for asymmetrically signed tokens. */
  jwksUrl?: string;
  /** Required `iss`, when set. */
  issuer?: string;
  /** Required `aud`, when set. */
  audience?: string;
}

/** Everything the API accepts as credentials. */
export interface AuthConfig {
  apiKeys: ApiKeyEntry[];
  jwt?: JwtVerification;
}

/** The HMAC secret development tokens are signed with. Public knowledge: never for production. */
export const DEV_JWT_SECRET = 'development-only-secret-do-not-use-in-production';

/** Every development key starts with this; production refuses such keys. */
export const DEV_KEY_PREFIX = 'dev-key-';

/** One key commands are signed with (api/auth/command-signer.ts): its id and its 32-byte Ed25519 seed. */
export interface SigningKey {
  kid: string;
  seed: Uint8Array;
}

/** The development signing key (outside production only): anyone with this source can sign with it. */
export const DEV_SIGNING_KEY: SigningKey = { kid: 'dev-1', seed: Uint8Array.from({ length: 32 }, (_, i) => (i * 53 + 7) & 0xff) };

/** The development key for customer references in visibility (outside production only). */
export const DEV_CUSTOMER_REF_KEY = 'development-only-customer-reference-key';

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
  { key: `${DEV_KEY_PREFIX}general-manager-qian`, id: 'general-manager-qian', role: 'general-manager' },
  { key: `${DEV_KEY_PREFIX}auditor-sun`, id: 'auditor-sun', role: 'auditor' },
  { key: `${DEV_KEY_PREFIX}engineer-zhou`, id: 'engineer-zhou', role: 'engineer' },
  { key: `${DEV_KEY_PREFIX}privacy-officer-wu`, id: 'privacy-wu', role: 'privacy-officer' },
];

/** The development credentials as the API's configuration. */
export function devAuthConfig(): AuthConfig {
  return { apiKeys: [...devApiKeys], jwt: { secret: DEV_JWT_SECRET } };
}
