/** Who settled a transferred complaint (000 §4 note: 最终由我方妥为处理的投诉视为处理未落实). */
import { settlingParty } from '../../domain/settled-by';

const transferred = { kind: 'transferred' as const, takenOver: false, escalations: [] as Array<{ trigger: string }> };

describe('settlingParty', () => {
  it('is the partner when its handling was accepted', () => {
    expect(settlingParty(transferred)).toBe('partner');
    // A clock breached or a level timed out is the partner's lateness, not the customer's refusal.
    expect(settlingParty({ ...transferred, escalations: [{ trigger: 'sla-breach' }, { trigger: 'level-timeout' }] })).toBe('partner');
  });

  it('is the platform when it took the complaint over', () => {
    expect(settlingParty({ ...transferred, takenOver: true })).toBe('platform');
  });

  it('is the platform when the customer would not accept the partner\'s handling', () => {
    for (const trigger of ['customer-rejections', 'callback-dissatisfied', 'judgment-disputed']) {
      expect(settlingParty({ ...transferred, escalations: [{ trigger: 'urgent' }, { trigger }] })).toBe('platform');
    }
  });

  it('says nothing of a complaint that was not transferred to a partner', () => {
    expect(settlingParty({ ...transferred, kind: 'direct', escalations: [{ trigger: 'customer-rejections' }] })).toBeUndefined();
  });
});
