/**
 * Envelope encryption of a customer's personal data: each customer has a data key of their own
 * (AES-256-GCM), kept at rest only wrapped by the service's master key (the active key of the
 * payload key ring), so destroying the wrapped key destroys every copy of what it encrypted:
 * history payloads, archived records, backups of either (crypto-shredding). The master key never
 * leaves the service's processes; a data key lives unwrapped only in their memory.
 *
 * Sealed text (`pd1.<key id>.<iv and ciphertext, base64url>`) is how a personal field sits in the
 * archive: it names its key, and the key id is bound to the ciphertext as additional data.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import type { PayloadKeyRing } from './payload-codec';

/** A customer's data key, unwrapped (not extractable). */
export interface DataKey {
  id: string;
  key: webcrypto.CryptoKey;
}

/** Data key ids: `ck1_` and 24 hex digits (never a master key id, which the ring may name freely). */
export const DATA_KEY_PREFIX = 'ck1_';
const SEALED_PREFIX = 'pd1.';
const IV_BYTES = 12;
const utf8 = new TextEncoder();
const text = new TextDecoder();

export function newDataKeyId(): string {
  return DATA_KEY_PREFIX + randomBytes(12).toString('hex');
}

export function isDataKeyId(id: string): boolean {
  return /^ck1_[0-9a-f]{24}$/.test(id);
}

/** The customer's data was erased: its key is destroyed, and what it encrypted cannot be read. */
export class PersonalDataErased extends Error {
  constructor(readonly keyId: string) {
    super(`Personal data under key ${keyId} was erased: its key is destroyed`);
    this.name = 'PersonalDataErased';
  }
}

async function encrypt(key: webcrypto.CryptoKey, plain: Uint8Array, additionalData: Uint8Array): Promise<Uint8Array> {
  const iv = webcrypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(await webcrypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, key, plain));
  const out = new Uint8Array(IV_BYTES + sealed.length);
  out.set(iv);
  out.set(sealed, IV_BYTES);
  return out;
}

async function decrypt(key: webcrypto.CryptoKey, data: Uint8Array, additionalData: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await webcrypto.subtle.decrypt({ name: 'AES-GCM', iv: data.subarray(0, IV_BYTES), additionalData }, key, data.subarray(IV_BYTES)));
}

const importAes = (raw: Uint8Array) => webcrypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);

/** The master keys that wrap data keys: the payload key ring (the active key wraps, all unwrap). */
export class MasterKeys {
  private constructor(
    readonly activeKeyId: string,
    private readonly keys: ReadonlyMap<string, webcrypto.CryptoKey>,
  ) {}

  static async create(ring: PayloadKeyRing): Promise<MasterKeys> {
    const keys = new Map<string, webcrypto.CryptoKey>();
    for (const [id, bytes] of Object.entries(ring.keys)) keys.set(id, await importAes(bytes));
    if (!keys.has(ring.activeKeyId)) throw new Error(`PAYLOAD_ACTIVE_KEY: ${ring.activeKeyId} is not in the key ring`);
    return new MasterKeys(ring.activeKeyId, keys);
  }

  /** A new data key for `customerRef`: the key, and its wrapped form to store. */
  async newDataKey(customerRef: string): Promise<{ dataKey: DataKey; wrapped: string; wrappedBy: string }> {
    const id = newDataKeyId();
    const raw = new Uint8Array(randomBytes(32));
    try {
      return { dataKey: { id, key: await importAes(raw) }, ...(await this.wrap(id, customerRef, raw)) };
    } finally {
      raw.fill(0);
    }
  }

  /** Unwraps a stored data key; the key id and the customer are bound to it, so a row cannot be swapped. */
  async unwrap(id: string, customerRef: string, wrappedBy: string, wrapped: string): Promise<DataKey> {
    const master = this.keys.get(wrappedBy);
    if (!master) throw new Error(`Data key ${id} is wrapped by master key ${JSON.stringify(wrappedBy)}, which is not in the payload key ring`);
    const raw = await decrypt(master, Buffer.from(wrapped, 'base64'), wrapContext(id, customerRef));
    try {
      return { id, key: await importAes(raw) };
    } finally {
      raw.fill(0);
    }
  }

  /** The stored form under the active master key again (after a master key rotation). */
  async rewrap(id: string, customerRef: string, wrappedBy: string, wrapped: string): Promise<{ wrapped: string; wrappedBy: string }> {
    const master = this.keys.get(wrappedBy);
    if (!master) throw new Error(`Data key ${id} is wrapped by master key ${JSON.stringify(wrappedBy)}, which is not in the payload key ring`);
    const raw = await decrypt(master, Buffer.from(wrapped, 'base64'), wrapContext(id, customerRef));
    try {
      return await this.wrap(id, customerRef, raw);
    } finally {
      raw.fill(0);
    }
  }

  /** Text the service keeps about a customer under its own key (an erasure's reason): `pm1.<master key id>.…`. */
  async seal(value: string, purpose: string): Promise<string> {
    const data = await encrypt(this.keys.get(this.activeKeyId)!, utf8.encode(value), utf8.encode(`${purpose}|${this.activeKeyId}`));
    return `pm1.${this.activeKeyId}.${Buffer.from(data).toString('base64url')}`;
  }

  /** The plaintext of `seal`'s text, for the same purpose. */
  async open(sealed: string, purpose: string): Promise<string> {
    const [, keyId, data] = /^pm1\.([^.]+)\.(.*)$/.exec(sealed) ?? [];
    const master = keyId ? this.keys.get(keyId) : undefined;
    if (!master) throw new Error(`Sealed text names master key ${keyId ?? '(none)'}, which is not in the payload key ring`);
    return text.decode(await decrypt(master, Buffer.from(data!, 'base64url'), utf8.encode(`${purpose}|${keyId}`)));
  }

  private async wrap(id: string, customerRef: string, raw: Uint8Array): Promise<{ wrapped: string; wrappedBy: string }> {
    const master = this.keys.get(this.activeKeyId)!;
    const wrapped = await encrypt(master, raw, wrapContext(id, customerRef));
    return { wrapped: Buffer.from(wrapped).toString('base64'), wrappedBy: this.activeKeyId };
  }
}

const wrapContext = (id: string, customerRef: string) => utf8.encode(`customer-data-key|${id}|${customerRef}`);

/** `value` sealed under `dataKey`, as text. */
export async function sealText(dataKey: DataKey, value: string): Promise<string> {
  const data = await encrypt(dataKey.key, utf8.encode(value), utf8.encode(dataKey.id));
  return `${SEALED_PREFIX}${dataKey.id}.${Buffer.from(data).toString('base64url')}`;
}

/** Whether `value` is sealed text, and the key it names. */
export function sealedKeyId(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith(SEALED_PREFIX)) return undefined;
  const id = value.slice(SEALED_PREFIX.length, value.indexOf('.', SEALED_PREFIX.length));
  return isDataKeyId(id) ? id : undefined;
}

/** The plaintext of sealed text, with its data key (whose id it must name). */
export async function openText(dataKey: DataKey, sealed: string): Promise<string> {
  const id = sealedKeyId(sealed);
  if (id !== dataKey.id) throw new Error(`Sealed text names key ${id ?? 'none'}, not ${dataKey.id}`);
  const data = Buffer.from(sealed.slice(SEALED_PREFIX.length + id.length + 1), 'base64url');
  return text.decode(await decrypt(dataKey.key, data, utf8.encode(id)));
}

/** `value` as JSON, sealed. */
export const sealJson = (dataKey: DataKey, value: unknown) => sealText(dataKey, JSON.stringify(value));
export const openJson = async <T>(dataKey: DataKey, sealed: string): Promise<T> => JSON.parse(await openText(dataKey, sealed)) as T;
