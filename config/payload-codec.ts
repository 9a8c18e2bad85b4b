/**
 * Every payload the service hands Temporal is encrypted: AES-256-GCM (Node's WebCrypto), a fresh
 * 96-bit IV per payload, the key id in the payload's metadata (`encryption-key-id`) and bound to
 * the ciphertext as additional data, as Temporal's own encryption samples do. The server, its
 * database, a backup of it, the Web UI and the CLI see `binary/encrypted` and no plaintext; only a
 * holder of the key ring (the service's processes, and its codec endpoint for people allowed to
 * read histories) decodes. Failures are encoded too (message and stack trace travel as an
 * encrypted payload), so an error cannot carry personal data in plaintext either.
 *
 * The key ring: one active key encrypts, every key in the ring still decrypts, so a key rotates by
 * adding the new one as active and keeping the old until no open complaint's history needs it.
 * Payloads written before the codec (no `binary/encrypted` encoding) pass through as they are, so
 * older histories still replay and read.
 */
import { webcrypto } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type DataConverter, type Payload, type PayloadCodec, type SerializationContext } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { isDataKeyId, PersonalDataErased, type DataKey } from './customer-envelope';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;

/** The payload keys: each 32 bytes (AES-256) by key id, and the one that encrypts. */
export interface PayloadKeyRing {
  activeKeyId: string;
  keys: Record<string, Uint8Array>;
}

/**
 * The customers' data keys (archive/customer-keys.ts): a complaint's payloads are encrypted under
 * its customer's key, not the master key, so erasing the customer leaves its whole history
 * unreadable. Without them (tests, scripts), everything is under the master key.
 */
export interface CustomerDataKeys {
  /** The key the payloads of `workflowId` are encrypted under, when its complaint's customer has a live one. */
  forWorkflow(workflowId: string): Promise<DataKey | undefined>;
  /** A data key by id: the key, `'erased'` once destroyed, undefined when unknown. */
  byId(keyId: string): Promise<DataKey | 'erased' | undefined>;
}

const utf8 = new TextEncoder();
const text = new TextDecoder();

export class EncryptionCodec implements PayloadCodec {
  private constructor(
    private readonly activeKeyId: string,
    private readonly keys: ReadonlyMap<string, webcrypto.CryptoKey>,
    private readonly dataKeys: CustomerDataKeys | undefined,
  ) {}

  /** The codec over `ring` (its keys imported once, not extractable), and the customers' keys when given. */
  static async create(ring: PayloadKeyRing, dataKeys?: CustomerDataKeys): Promise<EncryptionCodec> {
    if (!ring.keys[ring.activeKeyId]) throw new Error(`PAYLOAD_ACTIVE_KEY: ${ring.activeKeyId} is not in the key ring`);
    const keys = new Map<string, webcrypto.CryptoKey>();
    for (const [id, bytes] of Object.entries(ring.keys)) {
      if (bytes.length !== 32) throw new Error(`PAYLOAD_KEYS.${id}: an AES-256 key is 32 bytes, not ${bytes.length}`);
      keys.set(id, await webcrypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']));
    }
    return new EncryptionCodec(ring.activeKeyId, keys, dataKeys);
  }

  /** Under the complaint's customer key when the payload belongs to a complaint that has one, else the master key. */
  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    if (payloads.length === 0) return payloads;
    const dataKey = context?.workflowId && this.dataKeys ? await this.dataKeys.forWorkflow(context.workflowId) : undefined;
    const key = dataKey?.key ?? this.keys.get(this.activeKeyId)!;
    const keyId = utf8.encode(dataKey?.id ?? this.activeKeyId);
    return Promise.all(
      payloads.map(async (payload) => {
        const iv = webcrypto.getRandomValues(new Uint8Array(IV_BYTES));
        const plain = temporal.api.common.v1.Payload.encode(payload).finish();
        const sealed = new Uint8Array(await webcrypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: keyId }, key, plain));
        const data = new Uint8Array(IV_BYTES + sealed.length);
        data.set(iv);
        data.set(sealed, IV_BYTES);
        return { metadata: { [METADATA_ENCODING_KEY]: utf8.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: keyId }, data };
      }),
    );
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(
      payloads.map(async (payload) => {
        const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
        if (!encoding || text.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
        const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
        const keyId = keyIdBytes ? text.decode(keyIdBytes) : '';
        const key = await this.keyFor(keyId);
        const data = payload.data ?? new Uint8Array();
        let plain: ArrayBuffer;
        try {
          plain = await webcrypto.subtle.decrypt({ name: 'AES-GCM', iv: data.subarray(0, IV_BYTES), additionalData: keyIdBytes! }, key, data.subarray(IV_BYTES));
        } catch {
          throw new ValueError(`An encrypted payload under key ${JSON.stringify(keyId)} does not decrypt: altered, or not ours`);
        }
        return temporal.api.common.v1.Payload.decode(new Uint8Array(plain));
      }),
    );
  }

  private async keyFor(keyId: string): Promise<webcrypto.CryptoKey> {
    if (isDataKeyId(keyId) && this.dataKeys) {
      const dataKey = await this.dataKeys.byId(keyId);
      if (dataKey === 'erased') throw new PersonalDataErased(keyId);
      if (dataKey) return dataKey.key;
      throw new ValueError(`An encrypted payload names customer key ${keyId}, which the archive does not hold`);
    }
    const key = this.keys.get(keyId);
    if (!key) throw new ValueError(`An encrypted payload names key ${JSON.stringify(keyId)}, which is not in the payload key ring`);
    return key;
  }
}

/** What every client and worker of the service is given: the codec, and failures encoded with it. */
export function encryptedDataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath };
}

/** The failure converter that encodes messages and stack traces (bundled with the workflows too). */
export const failureConverterPath = require.resolve('./failure-converter');

/** The development key ring (outside production only): anyone with this source reads what it encrypts. */
export const DEV_PAYLOAD_KEY_ID = 'dev-1';
export const DEV_PAYLOAD_KEY = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);

/** The data converter over the development key ring (tests, scripts, local runs). */
let devConverter: Promise<DataConverter> | undefined;
export function developmentDataConverter(): Promise<DataConverter> {
  devConverter ??= EncryptionCodec.create({ activeKeyId: DEV_PAYLOAD_KEY_ID, keys: { [DEV_PAYLOAD_KEY_ID]: DEV_PAYLOAD_KEY } }).then(encryptedDataConverter);
  return devConverter;
}

/** The data converter over `ring`, for a process's clients and workers. */
export async function dataConverterFor(ring: PayloadKeyRing, dataKeys?: CustomerDataKeys): Promise<DataConverter> {
  return encryptedDataConverter(await EncryptionCodec.create(ring, dataKeys));
}
