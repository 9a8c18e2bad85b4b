/**
 * Proof of who sent a command or an outside event, that only the service can make: the API signs,
 * with Ed25519 under a key id, the complaint, the command's name and id, the actor it
 * authenticated, a hash of the body and an expiry; the complaint verifies it against the public
 * keys pinned in its start input (like its policy), deterministically, in the workflow sandbox
 * (`@noble/curves`, pure JavaScript, no I/O). Someone who reaches Temporal without the service's
 * signing key cannot name an actor, reuse a proof on another complaint, command or body, or send
 * one past its expiry. Pure: no clock of its own (the caller gives the time).
 */
import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';

/** A signature over a command, under one of the service's keys. */
export interface CommandProof {
  kid: string;
  /** The latest instant the proof is good for (ISO). */
  exp: string;
  /** The Ed25519 signature, hex. */
  sig: string;
}

/** A public key a complaint trusts, by key id (hex of the 32-byte Ed25519 public key). */
export interface TrustedKey {
  kid: string;
  publicKey: string;
}

/** What a proof covers. */
export interface ProvenFacts {
  complaintId: string;
  /** The command's or the outside event's name. */
  name: string;
  /** The command id (the update id, or the id it was submitted under) or the event id. */
  id: string;
  actor: { id: string; role: string; department?: string };
  /** The body, without the actor and the proof. */
  body: unknown;
}

/** JSON with every object's keys sorted: the same text for the same value, wherever it is made. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The bytes a proof signs. */
export function proofMessage(kid: string, exp: string, facts: ProvenFacts): Uint8Array {
  const bodyHash = bytesToHex(sha256(utf8ToBytes(canonicalJson(facts.body))));
  const { actor } = facts;
  return utf8ToBytes(['complaint-command-v1', kid, facts.complaintId, facts.name, facts.id, actor.id, actor.role, actor.department ?? '', exp, bodyHash].join('\n'));
}

/** Why a command's proof does not hold, or undefined when one of its proofs does. */
export function proofRefusal(proofs: readonly CommandProof[] | undefined, facts: ProvenFacts, keys: readonly TrustedKey[], nowMs: number): string | undefined {
  if (!proofs?.length) return 'no proof of its sender: commands reach a complaint through the service, which signs them';
  let reason = '';
  for (const proof of proofs) {
    const key = keys.find((k) => k.kid === proof.kid);
    if (!key) {
      reason = `its proof is under key ${JSON.stringify(proof.kid)}, which this complaint does not trust`;
      continue;
    }
    const exp = Date.parse(proof.exp);
    if (!Number.isFinite(exp) || exp < nowMs) {
      reason = `its proof expired at ${proof.exp}`;
      continue;
    }
    let valid = false;
    try {
      valid = ed25519.verify(hexToBytes(proof.sig), proofMessage(proof.kid, proof.exp, facts), hexToBytes(key.publicKey));
    } catch {
      valid = false;
    }
    if (valid) return undefined;
    reason = 'its proof does not match this complaint, command, actor and body';
  }
  return reason;
}
