/**
 * What trust costs per message (`npm run bench:codec`): encrypting and decrypting one payload with
 * the payload codec (AES-256-GCM), and signing and checking one command's proof of its actor
 * (Ed25519: Node's crypto signs in the API, @noble/curves checks in the workflow). One core,
 * after a warm-up; figures in µs.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec } from '../config/payload-codec';
import { developmentCommandSigner } from '../api/auth/command-signer';
import { proofRefusal } from '../domain/command-proof';

async function timed(label: string, rounds: number, run: () => unknown): Promise<void> {
  for (let i = 0; i < Math.min(200, rounds); i += 1) await run();
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i += 1) await run();
  console.log(`${label.padEnd(52)} ${(Number(process.hrtime.bigint() - started) / 1e3 / rounds).toFixed(1).padStart(8)} µs`);
}

async function main(): Promise<void> {
  const codec = await EncryptionCodec.create({ activeKeyId: 'k1', keys: { k1: new Uint8Array(randomBytes(32)) } });
  const policy: unknown = JSON.parse(readFileSync(join(__dirname, '..', 'config', 'policy.json'), 'utf8'));
  for (const [label, value] of [
    ['a command (1 KB)', { text: 'x'.repeat(1000) }],
    [`a start input's policy (${Math.round(JSON.stringify(policy).length / 1024)} KB)`, policy],
  ] as const) {
    const payload = defaultPayloadConverter.toPayload(value)!;
    await timed(`encrypt + decrypt ${label}`, 2000, async () => codec.decode(await codec.encode([payload])));
  }
  const signer = developmentCommandSigner();
  const facts = { complaintId: 'C-1', name: 'approveRemedy', id: 'approveRemedy:mgr-1:k', actor: { id: 'mgr-1', role: 'manager' }, body: { optionId: 'R1-1' } };
  await timed('sign a command (API)', 2000, () => signer.prove(facts));
  const proofs = signer.prove(facts);
  await timed('check its proof (workflow, pure JS)', 300, () => proofRefusal(proofs, facts, signer.trustedKeys, Date.now()));
}

void main();
