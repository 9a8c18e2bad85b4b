/** Proven actors: what the API signs (Node's Ed25519) the complaint verifies (pure JS), and nothing else. */
import { createCommandSigner, DEV_SIGNING_KEY } from '../../api/auth/command-signer';
import { canonicalJson, proofRefusal, type ProvenFacts } from '../../domain/command-proof';

const signer = createCommandSigner([DEV_SIGNING_KEY]);
const facts: ProvenFacts = {
  complaintId: 'C-1',
  name: 'approveRemedy',
  id: 'approveRemedy:mgr-1:k1',
  actor: { id: 'mgr-1', role: 'manager' },
  body: { optionId: 'R1-1', note: undefined },
};
const now = Date.parse('2026-12-07T10:00:00Z');

describe('command proofs', () => {
  const proofs = signer.prove(facts, new Date(now));

  it('verifies what the service signed', () => {
    expect(proofRefusal(proofs, facts, signer.trustedKeys, now + 1000)).toBeUndefined();
  });

  it.each([
    ['another complaint', { ...facts, complaintId: 'C-2' }],
    ['another command', { ...facts, name: 'returnRemedies' }],
    ['another command id', { ...facts, id: 'approveRemedy:mgr-1:k2' }],
    ['another actor', { ...facts, actor: { id: 'nobody-real', role: 'manager' } }],
    ['another role', { ...facts, actor: { id: 'mgr-1', role: 'supervisor' } }],
    ['another body', { ...facts, body: { optionId: 'R1-2' } }],
  ])('refuses it for %s', (_what, other) => {
    expect(proofRefusal(proofs, other, signer.trustedKeys, now)).toMatch(/does not match this complaint, command, actor and body/);
  });

  it('refuses no proof, an unknown key, an expired proof and a forged signature', () => {
    expect(proofRefusal(undefined, facts, signer.trustedKeys, now)).toMatch(/no proof of its sender/);
    expect(proofRefusal(proofs, facts, [{ kid: 'other', publicKey: signer.trustedKeys[0]!.publicKey }], now)).toMatch(/under key "dev-1", which this complaint does not trust/);
    expect(proofRefusal(proofs, facts, signer.trustedKeys, now + 16 * 60_000)).toMatch(/expired/);
    const forged = [{ ...proofs[0]!, sig: proofs[0]!.sig.replace(/^./, (c) => (c === '0' ? '1' : '0')) }];
    expect(proofRefusal(forged, facts, signer.trustedKeys, now)).toMatch(/does not match/);
    // A key the attacker made is not one the complaint trusts, whatever it signs.
    const attacker = createCommandSigner([{ kid: 'dev-1', seed: new Uint8Array(32).fill(9) }]);
    expect(proofRefusal(attacker.prove(facts, new Date(now)), facts, signer.trustedKeys, now)).toMatch(/does not match/);
  });

  it('during a rotation, signs with every key: complaints pinned to either verify', () => {
    const next = { kid: 'k-2027', seed: new Uint8Array(32).fill(3) };
    const both = createCommandSigner([DEV_SIGNING_KEY, next]);
    const proved = both.prove(facts, new Date(now));
    expect(proved.map((p) => p.kid)).toEqual(['dev-1', 'k-2027']);
    expect(proofRefusal(proved, facts, signer.trustedKeys, now)).toBeUndefined();
    expect(proofRefusal(proved, facts, both.trustedKeys.slice(1), now)).toBeUndefined();
  });

  it('hashes the body as JSON keeps it, keys in any order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
    expect(proofRefusal(proofs, { ...facts, body: { optionId: 'R1-1' } }, signer.trustedKeys, now)).toBeUndefined();
  });

  it('costs little to check (figure printed)', () => {
    const rounds = 50;
    const started = process.hrtime.bigint();
    for (let i = 0; i < rounds; i += 1) proofRefusal(proofs, facts, signer.trustedKeys, now);
    const perCheckMs = Number(process.hrtime.bigint() - started) / 1e6 / rounds;
    console.log(`one command proof check: ${perCheckMs.toFixed(2)} ms`);
    expect(perCheckMs).toBeLessThan(50);
  });
});
