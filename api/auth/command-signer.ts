/**
 * The API's side of proven actors (domain/command-proof.ts): it signs every command and outside
 * event it sends a complaint with its Ed25519 keys (Node's crypto), and tells each new complaint
 * which public keys to trust. With several keys (a rotation under way) every command carries one
 * proof per key, so complaints pinned to the old key and to the new one both verify it.
 */
import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { proofMessage, type CommandProof, type ProvenFacts, type TrustedKey } from '../../domain/command-proof';
import { DEV_SIGNING_KEY, type SigningKey } from '../../config/credentials';

export { DEV_SIGNING_KEY, type SigningKey } from '../../config/credentials';


export interface CommandSigner {
  /** The proofs of `facts`, good for `ttlMs` from `now`. */
  prove(facts: ProvenFacts, now?: Date): CommandProof[];
  /** The public keys a complaint started now trusts. */
  readonly trustedKeys: TrustedKey[];
}

/** How long a proof is good for: a command waits for its complaint at most minutes, not hours. */
export const PROOF_TTL_MS = 15 * 60_000;

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function privateKeyOf(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new Error('an Ed25519 signing key is a 32-byte seed');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(seed)]), format: 'der', type: 'pkcs8' });
}

export function createCommandSigner(keys: readonly SigningKey[], ttlMs = PROOF_TTL_MS): CommandSigner {
  if (!keys.length) throw new Error('COMMAND_SIGNING_KEYS: at least one key');
  const signing = keys.map(({ kid, seed }) => {
    const privateKey = privateKeyOf(seed);
    const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    return { kid, privateKey, publicKey: Buffer.from(spki.subarray(spki.length - 32)).toString('hex') };
  });
  return {
    trustedKeys: signing.map(({ kid, publicKey }) => ({ kid, publicKey })),
    prove(facts, now = new Date()) {
      const exp = new Date(now.getTime() + ttlMs).toISOString();
      // The body as it travels: what JSON keeps of it is what the complaint hashes.
      const travelled = { ...facts, body: JSON.parse(JSON.stringify(facts.body ?? {})) as unknown };
      return signing.map(({ kid, privateKey }) => ({ kid, exp, sig: sign(null, proofMessage(kid, exp, travelled), privateKey).toString('hex') }));
    },
  };
}


let devSigner: CommandSigner | undefined;
export function developmentCommandSigner(): CommandSigner {
  devSigner ??= createCommandSigner([DEV_SIGNING_KEY]);
  return devSigner;
}
