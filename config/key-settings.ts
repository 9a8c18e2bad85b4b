/**
 * The settings that hold keys (the payload key ring, the command signing keys), and the JSON
 * setting reader they share with the rest of config/settings.ts: a message names the variable and
 * the field, never the value, which may be a secret.
 */
import { z } from 'zod';
import { DEV_PAYLOAD_KEY, DEV_PAYLOAD_KEY_ID, type PayloadKeyRing } from './payload-codec';

export function parseJsonSetting<T>(name: string, raw: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (!raw) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    // Not the parser's message: it quotes the text, which may be a secret.
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new Error(`Invalid settings in the environment:\n  - ${name}: not JSON${at ? ` (at character ${at})` : ''}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${[name, ...i.path].join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid settings in the environment:\n${problems}`);
  }
  return parsed.data;
}

/** `COMMAND_SIGNING_KEYS`: key id → a 32-byte Ed25519 seed in base64. */
export const signingKeysSchema = z.record(
  z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a key id of letters, digits, . _ -'),
  z.base64().refine((k) => Buffer.from(k, 'base64').length === 32, 'a 32-byte Ed25519 seed in base64 (openssl rand -base64 32)'),
);

/** `PAYLOAD_KEYS`: key id → 32 bytes in base64 (`ck1_…` names customers' data keys, never a master key). */
const payloadKeysSchema = z.record(
  z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'a key id of letters, digits, . _ -')
    .refine((id) => !id.startsWith('ck1_'), 'a key id not starting with ck1_ (the customers\' data keys are named so)'),
  z.base64().refine((k) => Buffer.from(k, 'base64').length === 32, 'an AES-256 key: 32 bytes in base64 (openssl rand -base64 32)'),
);

/** The payload key ring from the environment; the development ring outside production when none is set. */
export function payloadKeyRing(raw: string | undefined, active: string | undefined, production: boolean): PayloadKeyRing {
  const keys = parseJsonSetting('PAYLOAD_KEYS', raw, payloadKeysSchema);
  const problem = (message: string) => new Error(`Invalid settings in the environment:\n  - ${message}`);
  if (!keys) {
    if (production) throw problem('PAYLOAD_KEYS: production encrypts every payload it hands Temporal with its own keys (a JSON object of key id → 32 bytes in base64)');
    return { activeKeyId: DEV_PAYLOAD_KEY_ID, keys: { [DEV_PAYLOAD_KEY_ID]: DEV_PAYLOAD_KEY } };
  }
  const ids = Object.keys(keys);
  const activeKeyId = active ?? (ids.length === 1 ? ids[0]! : undefined);
  if (!activeKeyId) throw problem('PAYLOAD_ACTIVE_KEY: the ring holds several keys; name the one that encrypts');
  if (!keys[activeKeyId]) throw problem(`PAYLOAD_ACTIVE_KEY: ${activeKeyId} is not one of PAYLOAD_KEYS (${ids.join(', ')})`);
  const bytes = Object.fromEntries(Object.entries(keys).map(([id, k]) => [id, new Uint8Array(Buffer.from(k, 'base64'))]));
  if (production && Object.values(bytes).some((k) => Buffer.from(k).equals(Buffer.from(DEV_PAYLOAD_KEY)))) throw problem('PAYLOAD_KEYS: holds the development key; configure real ones');
  return { activeKeyId, keys: bytes };
}
