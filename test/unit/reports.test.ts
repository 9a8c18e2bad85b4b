/**
 * The pure reports on the seeded month (test/support/archive-seed.ts), every figure worked out by
 * hand from the seed table: twelve complaints in the window of 2026-03.
 */
import { summarise } from '../../archive/summary';
import {
  classificationReport,
  complaintFacts,
  inPeriod,
  percentile,
  resolutionRate,
  resolutionReport,
  slaReport,
  trendReport,
  type ComplaintFacts,
} from '../../archive/reports';
import { assessmentWindow } from '../../archive/scorecard';
import { SEEDED_MONTH, seedRecord, seedRecords, seedSpecs } from '../support/archive-seed';

const all: ComplaintFacts[] = seedRecords().map((r) => complaintFacts(r.state, r.timeline));
const month = inPeriod(all, assessmentWindow(SEEDED_MONTH));

describe('the seeded month', () => {
  it('holds C01–C12 and neither neighbour (B1: 20th 23:59:59, B4: 21st 00:00 local)', () => {
    expect(month.map((f) => f.complaintId)).toEqual(['C01', 'C02', 'C03', 'C04', 'C05', 'C06', 'C07', 'C08', 'C09', 'C10', 'C11', 'C12']);
  });
});

describe('dispatch acknowledgement, each department\'s own clock', () => {
  it('reports per department the dispatches, the acknowledgements and the hours between them', () => {
    const dispatched = (department: string, at: string, ackHours?: number) => ({
      department,
      status: 'dispatched',
      responsible: true,
      assignedAt: at,
      dispatchedAt: at,
      acknowledgedAt: ackHours === undefined ? undefined : new Date(Date.parse(at) + ackHours * 3_600_000).toISOString(),
    });
    const base = month[0]!;
    const facts = [
      { ...base, complaintId: 'A', departments: [dispatched('billing', '2026-03-02T02:00:00Z', 1), dispatched('network', '2026-03-02T02:00:00Z')] },
      { ...base, complaintId: 'B', departments: [dispatched('billing', '2026-03-03T02:00:00Z', 3)] },
    ];
    expect(slaReport(facts).dispatchAcknowledgement).toEqual([
      { department: 'billing', dispatched: 2, acknowledged: 2, meanHours: 2, p90Hours: 3 },
      { department: 'network', dispatched: 1, acknowledged: 0, meanHours: null, p90Hours: null },
    ]);
  });
});

describe('complaintFacts', () => {
  it('reads the judgment, resolution, takeover and callback from the case file', () => {
    const byId = Object.fromEntries(month.map((f) => [f.complaintId, f]));
    expect(byId.C05).toMatchObject({ upheld: false, outcome: 'not-upheld', resolved: false });
    expect(byId.C07).toMatchObject({ upheld: undefined, outcome: 'withdrawn', resolved: false, partner: 'sp-games' });
    // 002: closed only when the customer is satisfied: silence is never resolved.
    expect(byId.C08).toMatchObject({ upheld: true, outcome: 'accepted-by-silence', resolved: false });
    expect(byId.C10).toMatchObject({ stage: 'proposing', outcome: undefined, resolved: false, callback: { required: true, satisfied: false } });
    expect(byId.C03).toMatchObject({ takenOver: true, charge: { partner: 'sp-music', refundFen: 10000, costsFen: 800, handlingFeeFen: 3000, totalFen: 13800 } });
    expect(byId.C10!.departments.map((d) => d.department)).toEqual(['network', 'service']);
  });

  it('tolerates a record without the fields the workflow adds later (clocks, slaBreached, partnerCharge)', () => {
    const r = seedRecord(seedSpecs[0]!);
    const state = { ...r.state } as Record<string, unknown>;
    delete state.clocks;
    delete state.slaBreached;
    delete state.partnerCharge;
    delete state.takeover;
    const f = complaintFacts(state as never, r.timeline);
    expect(f).toMatchObject({ clocks: [], slaBreached: false, takenOver: false, charge: undefined, resolved: true });
  });
});

describe('classification (category × outcome)', () => {
  const r = classificationReport(month);
  const row = (c: string) => r.rows.find((x) => x.category === c)!;

  it('counts each category and its share of all 12', () => {
    expect(r.total).toBe(12);
    expect(r.rows.map((x) => [x.category, x.total, x.sharePct])).toEqual([
      ['network-quality', 4, 33.3],
      ['billing-dispute', 4, 33.3],
      ['service-attitude', 1, 8.3],
      ['value-added-service', 2, 16.7],
      ['other', 1, 8.3],
    ]);
  });

  it('counts the outcomes per category, with shares of the category', () => {
    // network: C01, C04 resolved; C10 reopened (open); C12 withdrawn; C04, C10 escalated.
    expect(row('network-quality').counts).toEqual({ upheld: 3, notUpheld: 0, withdrawn: 1, resolved: 2, escalated: 2, open: 1 });
    expect(row('network-quality').sharesPct).toEqual({ upheld: 75, notUpheld: 0, withdrawn: 25, resolved: 50, escalated: 50, open: 25 });
    expect(row('billing-dispute').counts).toEqual({ upheld: 4, notUpheld: 0, withdrawn: 0, resolved: 4, escalated: 2, open: 0 });
    expect(row('service-attitude').counts).toEqual({ upheld: 0, notUpheld: 1, withdrawn: 0, resolved: 0, escalated: 0, open: 0 });
    expect(row('value-added-service').counts).toEqual({ upheld: 1, notUpheld: 0, withdrawn: 1, resolved: 1, escalated: 1, open: 0 });
    // other: C08, accepted by silence, is not resolved (002).
    expect(row('other').counts).toEqual({ upheld: 1, notUpheld: 0, withdrawn: 0, resolved: 0, escalated: 1, open: 0 });
    expect(r.totals.counts).toEqual({ upheld: 9, notUpheld: 1, withdrawn: 2, resolved: 7, escalated: 6, open: 1 });
    expect(r.totals.sharesPct).toEqual({ upheld: 75, notUpheld: 8.3, withdrawn: 16.7, resolved: 58.3, escalated: 50, open: 8.3 });
  });

  it('gives an empty period a row per category and no shares', () => {
    const empty = classificationReport([]);
    expect(empty.rows).toHaveLength(5);
    expect(empty.totals).toMatchObject({ total: 0, sharePct: null });
  });
});

describe('SLA compliance', () => {
  const r = slaReport(month);

  it('counts every clock: met, warned, breached (met late too), running, cancelled, and met ÷ decided', () => {
    expect(r.clocks).toEqual([
      // reply: breached on C03, C09; cancelled on C12; warned on C06, C09. 9 ÷ 11.
      { clock: 'reply', started: 12, met: 9, breached: 2, metLate: 0, warned: 2, running: 0, cancelled: 1, compliancePct: 81.8 },
      // resolve: breached on C03, C04 (both met late); cancelled on C05, C07; running on C10. 6 ÷ 8.
      { clock: 'resolve', started: 11, met: 6, breached: 2, metLate: 2, warned: 2, running: 1, cancelled: 2, compliancePct: 75 },
      { clock: 'dispatch', started: 1, met: 1, breached: 0, metLate: 0, warned: 0, running: 0, cancelled: 0, compliancePct: 100 },
    ]);
    expect(r.overall).toEqual({ met: 16, breached: 4, compliancePct: 80 });
  });

  it('counts promised-time breaches (001 case 1)', () => {
    expect(r.promises).toEqual({ total: 4, kept: 2, missed: 2, pending: 0, complaintsWithMissed: ['C03', 'C04'] });
  });

  it('counts escalations by level and trigger', () => {
    expect(r.escalations).toEqual({
      complaintsEscalated: 6,
      events: 7,
      byLevelAndTrigger: [
        { level: 1, trigger: 'callback-dissatisfied', count: 1 },
        { level: 1, trigger: 'sla-breach', count: 3 },
        { level: 2, trigger: 'urgent', count: 2 },
        { level: 3, trigger: 'manual', count: 1 },
      ],
      byLevel: [
        { level: 1, count: 4 },
        { level: 2, count: 2 },
        { level: 3, count: 1 },
      ],
      byTrigger: [
        { trigger: 'sla-breach', count: 3 },
        { trigger: 'urgent', count: 2 },
        { trigger: 'callback-dissatisfied', count: 1 },
        { trigger: 'manual', count: 1 },
      ],
    });
  });
});

describe('resolution, handling time, repeats, callbacks, satisfaction', () => {
  const r = resolutionReport(month);

  it('resolution rate = settled ÷ (submitted − withdrawn), as in the scorecard (000 §4.6): (7 resolved + C05 not upheld) ÷ 10 = 80%', () => {
    // Silence is counted apart, never as resolved (002); withdrawn complaints are out of the count.
    expect(r).toMatchObject({ submitted: 12, resolved: 7, acceptedBySilence: 1, resolutionRatePct: 80 });
  });

  it('resolutionRate is the one definition: a taken-over complaint is unsettled only for the partner', () => {
    expect(resolutionRate(month)).toEqual({ counted: 10, settled: 8, pct: 80, notSettled: ['C08', 'C10'] });
    // 000 §4 note: C03 was taken over from sp-music: not settled by the partner.
    expect(resolutionRate(month, { platformSettledUnsettled: true })).toMatchObject({ settled: 7, notSettled: ['C03', 'C08', 'C10'] });
  });

  it('handling time = remedy carried out − submitted over the resolved (000 §4.5): mean 233 h ÷ 7 = 33.29 h, p90 (nearest rank 7 of 7) = 95 h', () => {
    // Each seeded remedy is carried out 1 h before closure: 47 (C01), 23 (C02), 23 (C03), 95 (C04),
    // 11 (C06), 11 (C09), 23 (C11); C08 (silence) is not resolved.
    expect(r.handlingTime).toEqual({ count: 7, meanHours: 33.29, p90Hours: 95 });
    // A record without an implementation time ends at its closure.
    const { remedyImplementedAt: _t, ...c01 } = month.find((f) => f.complaintId === 'C01')!;
    expect(resolutionReport([c01]).handlingTime).toMatchObject({ meanHours: 48 });
  });

  it('repeat complaints: same customer, same category, inside the period (B1 before it does not count)', () => {
    expect(r.repeats).toEqual({
      groups: [
        { customerId: 'cu-1', category: 'network-quality', complaintIds: ['C01', 'C04'] },
        { customerId: 'cu-2', category: 'billing-dispute', complaintIds: ['C02', 'C09', 'C11'] },
      ],
      repeatComplaints: 3,
      complaintsInGroups: 5,
      repeatRatePct: 25,
      contactsAgain: { contacts: 0, complaints: 0 },
    });
  });

  it('counts the customer contacting us again about an open complaint (the repeatContact event)', () => {
    const [c01, c02, ...rest] = month;
    const facts = [{ ...c01!, repeatContacts: 2 }, { ...c02!, repeatContacts: 1 }, ...rest];
    expect(resolutionReport(facts).repeats.contactsAgain).toEqual({ contacts: 3, complaints: 2 });
  });

  it('callback coverage over remedies carried out (9), VIP 4 of 4 (004: 100%)', () => {
    expect(r.callbacks).toEqual({
      eligible: 9,
      called: 6,
      coveragePct: 66.7,
      vip: { eligible: 4, called: 4, coveragePct: 100, compliant: true, missing: [] },
    });
  });

  it('flags a VIP whose remedy was carried out without a callback', () => {
    const withGap = month.map((f) => (f.complaintId === 'C01' ? { ...f, callback: { required: true } } : f));
    expect(resolutionReport(withGap).callbacks.vip).toEqual({ eligible: 4, called: 3, coveragePct: 75, compliant: false, missing: ['C01'] });
  });

  it('satisfaction = satisfied ÷ callbacks made: 5 ÷ 6 (C10 dissatisfied)', () => {
    expect(r.satisfaction).toEqual({ callbacks: 6, satisfied: 5, satisfactionPct: 83.3 });
  });

  it('answers an empty period with zeros and no rates', () => {
    expect(resolutionReport([])).toMatchObject({ submitted: 0, resolutionRatePct: null, handlingTime: { count: 0, meanHours: null, p90Hours: null } });
  });
});

describe('percentile (nearest rank)', () => {
  it('takes the value at rank ceil(p × n)', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([], 90)).toBeNull();
  });
});

describe('trend', () => {
  it('puts each complaint in its assessment month', () => {
    const months = ['2026-02', '2026-03', '2026-04'].map((m) => ({ label: m, ...assessmentWindow(m) }));
    const t = trendReport(all, months);
    expect(t.map((p) => [p.label, p.submitted])).toEqual([
      ['2026-02', 1],
      ['2026-03', 12],
      ['2026-04', 1],
    ]);
    expect(t[1]).toMatchObject({ slaCompliancePct: 80, satisfactionPct: 83.3, resolutionRatePct: 80 });
    expect(t[1]!.byCategory).toEqual({ 'network-quality': 4, 'billing-dispute': 4, 'service-attitude': 1, 'value-added-service': 2, other: 1 });
  });
});

describe('case summary', () => {
  it('gives the cause from the findings, the remedy with its cost and the takeover, and the lessons', () => {
    const r = seedRecord(seedSpecs.find((s) => s.id === 'C03')!);
    const s = summarise(r.state, r.timeline);
    expect(s.title).toBe('billing-dispute: billing-dispute service');
    expect(s.cause).toBe('billing: billing fault behind the billing-dispute complaint (at fault: sp-music)');
    expect(s.remedy).toBe(
      'refund (¥100.00): Refund the music subscription; carried out; settled by the platform for sp-music, who is charged ¥138.00 (refund ¥100.00, costs ¥8.00, handling fee ¥30.00)',
    );
    expect(s.lesson).toBe(
      'Missed the reply, resolve deadlines; 1 time(s) promised to the customer missed; Escalated to level 1 (sla-breach); The partner left a transferred complaint overdue: taken over; Callback: satisfied.',
    );
  });

  it('says a case went well, and explains a complaint not upheld', () => {
    const ok = seedRecord(seedSpecs.find((s) => s.id === 'C11')!);
    expect(summarise(ok.state, ok.timeline).lesson).toBe('No deadline missed, no escalation.');
    const no = seedRecord(seedSpecs.find((s) => s.id === 'C05')!);
    expect(summarise(no.state, no.timeline)).toMatchObject({
      cause: 'Not upheld: the charge matches the tariff the customer subscribed to',
      remedy: 'Explanation only: the complaint was not upheld',
    });
  });

  it("holds no customer's name, phone or e-mail: the knowledge base is read by desks that never call them", () => {
    const r = seedRecord(seedSpecs.find((s) => s.id === 'C03')!);
    const customer = { ...r.state.intake.customer, name: 'Ouyang Xue', contact: { phone: '+86 139 8765 4321', email: 'ouyang.xue@example.cn' } };
    const state = { ...r.state, intake: { ...r.state.intake, customer, service: 'Plan of Ouyang Xue, 13987654321' } };
    state.assignments = state.assignments.map((a) => (a.findings ? { ...a, findings: { ...a.findings, cause: 'Ouyang Xue was billed twice; she wrote from ouyang.xue@example.cn' } } : a));
    const text = JSON.stringify(summarise(state, r.timeline));
    expect(text).toContain('O** was billed twice');
    expect(text).toContain('139****4321');
    expect(text).not.toMatch(/Ouyang Xue|13987654321|ouyang\.xue/);
  });
});
