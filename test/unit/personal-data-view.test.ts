/** What each role reads of a customer's personal data: the masks, and where they apply. */
import { maskEmail, maskName, maskPhone, personalDataViews, textMasker, viewOfPersonalData } from '../../domain/personal-data-view';
import { roles } from '../../domain/complaint';

const customer = { id: 'cust-1', name: 'Li Wei', tier: 'vip', contact: { phone: '+86 138 1234 5678', email: 'li.wei@example.cn' } };

describe('masks', () => {
  it.each([
    ['+86 138 1234 5678', '138****5678'],
    ['13812345678', '138****5678'],
    ['010-8888 6666', '010****6666'],
    ['12345', '****45'],
  ])('a phone %s reads %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked));

  it('a name keeps its first character, an e-mail its first letter and its domain', () => {
    expect(maskName('Li Wei')).toBe('L**');
    expect(maskName('李小明')).toBe('李**');
    expect(maskEmail('li.wei@example.cn')).toBe('l***@example.cn');
  });

  it("free text loses the customer's own values and any mobile number or e-mail address, and keeps dates and ids", () => {
    const mask = textMasker(customer);
    const text = 'Li Wei (+86 138 1234 5678, li.wei@example.cn) says her husband on 139-8765-4321 or bob@mail.cn was charged on 2026-11-02 for C-20261102-7';
    expect(mask(text)).toBe('L** (138****5678, l***@example.cn) says her husband on 139****4321 or b***@mail.cn was charged on 2026-11-02 for C-20261102-7');
  });
});

describe('views', () => {
  const state = {
    complaintId: 'C-1',
    intake: { customer, content: 'Li Wei was charged twice; call 13812345678', acceptedBy: { id: 'agent-7', name: 'Zhang Min' } },
    timeline: [{ at: '2026-11-02T01:00:00.000Z', type: 'note', detail: 'Spoke to Li Wei on 138 1234 5678' }],
  };

  it('the people who talk to the customer read everything; those who do not, masked', () => {
    expect(roles.filter((r) => personalDataViews[r] === 'full')).toEqual(['agent', 'supervisor', 'service']);
    expect(roles.filter((r) => personalDataViews[r] === 'masked')).toEqual(['department', 'manager', 'general-manager', 'auditor', 'engineer', 'privacy-officer']);
  });

  it('full is the very same value; masked is a masked copy, staff names untouched', () => {
    expect(viewOfPersonalData(state, customer, 'full')).toBe(state);
    const masked = viewOfPersonalData(state, customer, 'masked');
    expect(masked.intake.customer).toEqual({ id: 'cust-1', name: 'L**', tier: 'vip', contact: { phone: '138****5678', email: 'l***@example.cn' } });
    expect(masked.intake.content).toBe('L** was charged twice; call 138****5678');
    expect(masked.intake.acceptedBy).toEqual({ id: 'agent-7', name: 'Zhang Min' });
    expect(masked.timeline[0]).toEqual({ at: '2026-11-02T01:00:00.000Z', type: 'note', detail: 'Spoke to L** on 138****5678' });
    expect(JSON.stringify(masked)).not.toMatch(/Li Wei|1234 5678|12345678|li\.wei/);
    expect(state.intake.customer.name).toBe('Li Wei');
  });

  it('without the customer record (a timeline read alone), still masks numbers and addresses', () => {
    expect(viewOfPersonalData([{ detail: 'call 13812345678 or li.wei@example.cn' }], undefined, 'masked')).toEqual([{ detail: 'call 138****5678 or l***@example.cn' }]);
  });

  it('costs little per read: a 200-event case file masked in milliseconds (about 1 ms on an idle core), not more', () => {
    const big = { ...state, timeline: Array.from({ length: 200 }, (_, i) => ({ at: '2026-11-02T01:00:00.000Z', type: 'note', detail: `Note ${i}: spoke to Li Wei about the refund` })) };
    const rounds = 200;
    const started = process.hrtime.bigint();
    for (let i = 0; i < rounds; i += 1) viewOfPersonalData(big, customer, 'masked');
    const perReadMs = Number(process.hrtime.bigint() - started) / 1e6 / rounds;
    console.log(`masking a 200-event case file: ${perReadMs.toFixed(3)} ms per read`);
    // Bounded loosely: a loaded CI machine is slower; a walk that went quadratic would be far above.
    expect(perReadMs).toBeLessThan(50);
  });
});
