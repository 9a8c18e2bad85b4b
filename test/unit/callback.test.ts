/**
 * Who is called back after resolution (004): every VIP, and a stable sample of the others drawn
 * from the complaint id (FNV-1a, 32-bit, scaled to [0, 1)).
 */
import { isDrawnForCallback, sampleBucket } from '../../domain/callback';

/** `C-000001` ... `C-010000`. */
const ids = Array.from({ length: 10_000 }, (_, i) => `C-${String(i + 1).padStart(6, '0')}`);

describe('isDrawnForCallback', () => {
  it('always calls a VIP back, even at rate 0', () => {
    for (const id of ids.slice(0, 500)) expect(isDrawnForCallback(id, 'vip', 0)).toBe(true);
  });

  it('never draws a regular customer at rate 0', () => {
    expect(ids.filter((id) => isDrawnForCallback(id, 'regular', 0))).toEqual([]);
  });

  it('always draws a regular customer at rate 1', () => {
    expect(ids.filter((id) => !isDrawnForCallback(id, 'regular', 1))).toEqual([]);
  });

  it('draws close to the policy share at rate 0.3 over 10 000 sequential ids', () => {
    const drawn = ids.filter((id) => isDrawnForCallback(id, 'regular', 0.3)).length;
    expect(drawn / ids.length).toBeGreaterThanOrEqual(0.27);
    expect(drawn / ids.length).toBeLessThanOrEqual(0.33);
  });

  it('draws exactly the ids whose bucket is below the rate', () => {
    for (const id of ids.slice(0, 200)) {
      expect(isDrawnForCallback(id, 'regular', 0.5)).toBe(sampleBucket(id) < 0.5);
    }
  });
});

describe('sampleBucket', () => {
  it('is FNV-1a (32-bit) scaled to [0, 1): the published test vectors', () => {
    // FNV-1a 32-bit: offset basis 0x811c9dc5 for ""; "a" → 0xe40c292c; "foobar" → 0xbf9cf968.
    expect(sampleBucket('')).toBe(0x811c9dc5 / 2 ** 32);
    expect(sampleBucket('a')).toBe(0xe40c292c / 2 ** 32);
    expect(sampleBucket('foobar')).toBe(0xbf9cf968 / 2 ** 32);
  });

  it('stays in [0, 1) for every id, including long and non-ASCII ones', () => {
    const keys = [...ids, 'x'.repeat(1000), '投诉-北京-0001', '\u{1F4DE}'];
    for (const key of keys) {
      const b = sampleBucket(key);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(1);
    }
  });
});
