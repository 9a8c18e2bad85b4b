/**
 * The 100-point scorecard of seed 000 §4 on the seeded month, every line worked out by hand, and
 * the assessment window's edges (the 20th 23:59:59 and the 21st 00:00, Asia/Shanghai).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { complaintFacts, type ComplaintFacts } from '../../domain/reports';
import {
  assessmentMonthOf,
  assessmentWindow,
  parseAssessment,
  scorecard,
  shiftMonth,
  type Assessment,
  type UnitScore,
} from '../../domain/scorecard';
import { SEEDED_MONTH, seedAssessment, seedRecords } from '../support/archive-seed';

const facts = seedRecords().map((r) => complaintFacts(r.state, r.timeline));
const assessment = seedAssessment();

const points = (u: UnitScore) => Object.fromEntries(u.items.map((i) => [i.key, i.points]));
const unit = (units: UnitScore[], name: string) => units.find((u) => u.unit === name)!;

describe('assessmentWindow (000: 21st of last month 00:00 to the 20th 24:00, +08:00)', () => {
  it('runs from the 21st of the previous month to the 21st of this one, local midnight', () => {
    const w = assessmentWindow('2026-03');
    expect(w.from.toISOString()).toBe('2026-02-20T16:00:00.000Z'); // 2026-02-21 00:00 +08:00
    expect(w.to.toISOString()).toBe('2026-03-20T16:00:00.000Z'); // 2026-03-21 00:00 +08:00
  });

  it('crosses the year for January', () => {
    const w = assessmentWindow('2026-01');
    expect(w.from.toISOString()).toBe('2025-12-20T16:00:00.000Z');
    expect(w.to.toISOString()).toBe('2026-01-20T16:00:00.000Z');
  });

  it('puts the 20th 23:59:59 in this month and the 21st 00:00 in the next', () => {
    expect(assessmentMonthOf(new Date('2026-03-20T23:59:59+08:00'))).toBe('2026-03');
    expect(assessmentMonthOf(new Date('2026-03-21T00:00:00+08:00'))).toBe('2026-04');
    expect(assessmentMonthOf(new Date('2026-02-21T00:00:00+08:00'))).toBe('2026-03');
    expect(assessmentMonthOf(new Date('2026-02-20T23:59:59+08:00'))).toBe('2026-02');
    // 2026-12-21 local is January next year; it is still the 20th in UTC.
    expect(assessmentMonthOf(new Date('2026-12-20T16:00:00Z'))).toBe('2027-01');
  });

  it('agrees with assessmentMonthOf at both edges of every month of a year', () => {
    for (let m = 1; m <= 12; m++) {
      const month = `2026-${String(m).padStart(2, '0')}`;
      const w = assessmentWindow(month);
      expect(assessmentMonthOf(w.from)).toBe(month);
      expect(assessmentMonthOf(new Date(w.to.getTime() - 1000))).toBe(month);
      expect(assessmentMonthOf(w.to)).toBe(shiftMonth(month, -1));
    }
  });

  it('refuses what is not a month', () => {
    expect(() => assessmentWindow('2026-13')).toThrow(RangeError);
    expect(() => assessmentWindow('2026-3')).toThrow(RangeError);
  });

  it('shifts months across years', () => {
    expect(shiftMonth('2026-03', 5)).toBe('2025-10');
    expect(shiftMonth('2026-01', 1)).toBe('2025-12');
    expect(shiftMonth('2025-12', -1)).toBe('2026-01');
  });
});

describe('the shipped assessment configuration', () => {
  it('validates and carries the seed numbers (000 §4)', () => {
    const shipped = parseAssessment(JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'assessment.json'), 'utf8')));
    const r = shipped.rules;
    expect(r.hotline.points + r.mobileContact.points + r.serviceComplaints.points + r.answerTimeliness.points + r.handlingTime.points + r.resolutionRate.points + r.complaintRate.points).toBe(100);
    expect(r.serviceComplaints.deductions).toEqual({ phone: 2, letter: 4, carrier: 10, media: 16, regulator: 20 });
    expect(shipped.emergencySeats).toMatchObject({ bottomCount: 10, costMultiplier: 1.2 });
    expect(shipped.timeZoneOffsetMinutes).toBe(480);
  });

  it('names a bad field', () => {
    expect(() => parseAssessment({ ...assessment, rules: { ...assessment.rules, hotline: { points: -1 } } }, 'x.json')).toThrow(/x\.json[\s\S]*rules\.hotline\.points/);
  });
});

describe('scorecard of the seeded month', () => {
  const card = scorecard(facts, assessment, SEEDED_MONTH);

  it('covers every department and the configured partners, best first', () => {
    expect(card.window).toEqual({ from: '2026-02-20T16:00:00.000Z', to: '2026-03-20T16:00:00.000Z' });
    expect(card.departments.map((u) => [u.unit, u.score, u.rank])).toEqual([
      ['product', 83.98, 1],
      ['billing', 71.92, 2],
      ['network', 57.94, 3],
      ['service', 49.96, 4],
    ]);
    expect(card.partners.map((u) => [u.unit, u.score, u.rank])).toEqual([
      ['sp-news', 90, 1],
      ['sp-games', 81.6, 2],
      ['sp-music', 43.2, 3],
    ]);
  });

  it('network: 4 + 6 + 10 + 6 + 18 + 0 + 13.94 = 57.94', () => {
    const u = unit(card.departments, 'network');
    expect(points(u)).toEqual({ hotline: 4, mobileContact: 6, serviceComplaints: 10, answerTimeliness: 6, handlingTime: 18, resolutionRate: 0, complaintRate: 13.94 });
    const item = (k: string) => u.items.find((i) => i.key === k)!;
    // C04 (wechat) and C10 (app) are written complaints, C01 a phone one.
    expect(item('serviceComplaints').deductions).toEqual([
      { rule: 'letter / written complaint (来信投诉)', count: 2, pointsEach: 4, points: 8, complaintIds: ['C04', 'C10'] },
      { rule: 'phone complaint (电话投诉)', count: 1, pointsEach: 2, points: 2, complaintIds: ['C01'] },
    ]);
    // No sampled answer rate for departments: the reply clock stands in, 3 of 3 on time.
    expect(item('answerTimeliness')).toMatchObject({ points: 6, deductions: [], measure: 'no sampled answer rate: reply clock on time 3/3 = 100%' });
    expect(item('handlingTime').deductions).toEqual([{ rule: 'overdue case: resolve clock breached', count: 1, pointsEach: 2, points: 2, complaintIds: ['C04'] }]);
    // 2 of 3 settled (C10 reopened): 33.33 points below 100%, −66.66, the line floors at 0.
    expect(item('resolutionRate')).toMatchObject({
      points: 0,
      measure: '2/3 settled = 66.67%',
      deductions: [{ rule: 'below 100% settled, per point (每下降1%)', count: 33.33, pointsEach: 2, points: 66.66, complaintIds: ['C10'] }],
    });
    // 3 complaints ÷ 10 000 users = 0.03% → −0.06.
    expect(item('complaintRate')).toMatchObject({ points: 13.94, measure: '3/10000 = 0.03%' });
  });

  it('billing: carrier complaints C03, C09 and two more take all 20; the reply clock stands in at 2/4 = 50%', () => {
    const u = unit(card.departments, 'billing');
    expect(points(u)).toEqual({ hotline: 4, mobileContact: 6, serviceComplaints: 0, answerTimeliness: 0, handlingTime: 18, resolutionRate: 30, complaintRate: 13.92 });
    expect(u.items.find((i) => i.key === 'serviceComplaints')!.deductions.map((d) => [d.count, d.points])).toEqual([
      [2, 20],
      [1, 4],
      [1, 2],
    ]);
    // A department is not charged with the partner's takeover: C03 counts as settled for billing.
    expect(u.items.find((i) => i.key === 'resolutionRate')!.measure).toBe('4/4 settled = 100%');
  });

  it('product: one media exposure (−16); service: a regulator notice (−20) and a written complaint', () => {
    expect(points(unit(card.departments, 'product'))).toEqual({ hotline: 4, mobileContact: 6, serviceComplaints: 4, answerTimeliness: 6, handlingTime: 20, resolutionRate: 30, complaintRate: 13.98 });
    const service = unit(card.departments, 'service');
    expect(points(service)).toEqual({ hotline: 4, mobileContact: 6, serviceComplaints: 0, answerTimeliness: 6, handlingTime: 20, resolutionRate: 0, complaintRate: 13.96 });
    expect(service.items.find((i) => i.key === 'serviceComplaints')!.deductions.map((d) => [d.rule, d.complaintIds])).toEqual([
      ['regulator notice (上级通报)', ['C08']],
      ['letter / written complaint (来信投诉)', ['C10']],
    ]);
  });

  it('sp-music: 4 + 6 + 0 + 2 + 18 + 0 + 13.2 = 43.2; its takeover is not settled (000 §4 note)', () => {
    const u = unit(card.partners, 'sp-music');
    expect(points(u)).toEqual({ hotline: 4, mobileContact: 6, serviceComplaints: 0, answerTimeliness: 2, handlingTime: 18, resolutionRate: 0, complaintRate: 13.2 });
    const item = (k: string) => u.items.find((i) => i.key === k)!;
    expect(item('serviceComplaints').deductions.map((d) => [d.rule, d.points])).toEqual([
      ['media exposure (媒体曝光)', 16],
      ['carrier complaint: transferred from a carrier branch (通信公司投诉)', 10],
    ]);
    // 78% sampled: 2 points below 80%, −4.
    expect(item('answerTimeliness').deductions).toEqual([{ rule: 'below 80% answered in time, per point (每下降1%)', count: 2, pointsEach: 2, points: 4 }]);
    // C03 breached both the reply and the resolve clock: one overdue case.
    expect(item('handlingTime').deductions[0]).toMatchObject({ count: 1, points: 2, complaintIds: ['C03'] });
    expect(item('resolutionRate')).toMatchObject({ measure: '1/2 settled = 50%', points: 0 });
    expect(item('complaintRate')).toMatchObject({ measure: '2/500 = 0.4%', points: 13.2 });
  });

  it('sp-games: no 7×24 mobile (−6), the withdrawn C07 neither upheld nor counted in the rate', () => {
    const u = unit(card.partners, 'sp-games');
    expect(points(u)).toEqual({ hotline: 4, mobileContact: 0, serviceComplaints: 10, answerTimeliness: 6, handlingTime: 18, resolutionRate: 30, complaintRate: 13.6 });
    expect(u.items.find((i) => i.key === 'mobileContact')!.deductions[0]!.rule).toBe('no 7×24 mobile contact');
  });

  it('sp-news: no complaints, but a 65% connection rate voids both availability lines (000 §4 note)', () => {
    const u = unit(card.partners, 'sp-news');
    expect(u.score).toBe(90);
    expect(u.items.find((i) => i.key === 'hotline')!.deductions[0]!.rule).toBe('connection rate 65% below 70% (接通率<70%)');
    expect(points(u)).toMatchObject({ hotline: 0, mobileContact: 0, serviceComplaints: 20, resolutionRate: 30, complaintRate: 14 });
  });

  it('charges emergency seats to the bottom partners only (000 §5): fewer than ten, so every one, 2 seats × 120%', () => {
    expect(card.partners.map((u) => [u.unit, u.positionFromBottom, u.bottomTen, u.emergencySeats, u.emergencySeatFeeFen])).toEqual([
      ['sp-news', 3, true, 2, 720_000],
      ['sp-games', 2, true, 2, 720_000],
      ['sp-music', 1, true, 2, 720_000],
    ]);
    expect(card.departments.every((u) => !u.bottomTen && u.emergencySeats === 0)).toBe(true);
  });

  it('lists the partner charges from takeovers (000 §6): refund + costs + 30% handling fee', () => {
    expect(card.partnerCharges).toEqual([
      { partner: 'sp-music', cases: 1, complaintIds: ['C03'], refundFen: 10000, costsFen: 800, handlingFeeFen: 3000, totalFen: 13800 },
    ]);
  });

  it('moves B1 (20th 23:59:59) into February and B4 (21st 00:00) into April', () => {
    const feb = scorecard(facts, assessment, '2026-02');
    expect(unit(feb.departments, 'network').complaints).toBe(1);
    expect(unit(feb.departments, 'billing').complaints).toBe(0);
    const apr = scorecard(facts, assessment, '2026-04');
    const news = unit(apr.partners, 'sp-news');
    expect(news.complaints).toBe(1);
    // B4 is a carrier complaint with a breached reply clock: −10 and −2.
    expect(points(news)).toMatchObject({ serviceComplaints: 10, handlingTime: 18 });
  });
});

describe('scorecard rules', () => {
  let n = 0;
  function fact(overrides: Partial<ComplaintFacts> = {}): ComplaintFacts {
    n += 1;
    return {
      complaintId: `X${String(n).padStart(3, '0')}`,
      customerId: `x-${n}`,
      customerTier: 'regular',
      category: 'billing-dispute',
      severity: 'normal',
      kind: 'transferred',
      partner: 'sp-a',
      channel: 'hotline',
      stage: 'closed',
      outcome: 'resolved',
      upheld: true,
      resolved: true,
      takenOver: false,
      submittedAt: '2026-03-01T00:00:00.000Z',
      closedAt: '2026-03-01T06:00:00.000Z',
      escalationLevel: 0,
      slaBreached: false,
      departments: [],
      clocks: [],
      escalations: [],
      promises: [],
      remedyImplemented: true,
      ...overrides,
    };
  }
  const base: Assessment = {
    ...assessment,
    partners: { 'sp-a': { hotline24x7: true, mobileContact24x7: true, answerTimelinessPct: 100, subscribers: 100_000 } },
  };
  const itemOf = (card: ReturnType<typeof scorecard>, partner: string, key: string) => unit(card.partners, partner).items.find((i) => i.key === key)!;

  it('deducts 2 points per percentage point below 100% settled, proportionally: 19 of 20 = 95% → 20', () => {
    const fs = Array.from({ length: 20 }, (_, i) => fact(i === 0 ? { outcome: 'resolved', resolved: false, stage: 'proposing' } : {}));
    expect(itemOf(scorecard(fs, base, '2026-03'), 'sp-a', 'resolutionRate')).toMatchObject({ points: 20, measure: '19/20 settled = 95%' });
  });

  it('counts a not-upheld complaint as settled, leaves withdrawn ones out, and a takeover as not settled', () => {
    const fs = [fact({ outcome: 'not-upheld', upheld: false, resolved: false }), fact({ outcome: 'withdrawn', upheld: undefined, resolved: false }), fact({ takenOver: true }), fact()];
    expect(itemOf(scorecard(fs, base, '2026-03'), 'sp-a', 'resolutionRate').measure).toBe('2/3 settled = 66.67%');
  });

  it('charges each upheld complaint once, at its gravest class; not-upheld ones cost nothing', () => {
    const fs = [
      fact({ urgentReason: 'regulator-referral', channel: 'email' }),
      fact({ urgentReason: 'media-exposure' }),
      fact({ urgentReason: 'mass-complaint', kind: 'direct', channel: 'wechat' }),
      fact({ kind: 'direct', channel: 'retail-store' }),
      fact({ upheld: false, outcome: 'not-upheld', resolved: false }),
    ];
    const item = itemOf(scorecard(fs, { ...base, rules: { ...base.rules, serviceComplaints: { ...base.rules.serviceComplaints, points: 100 } } }, '2026-03'), 'sp-a', 'serviceComplaints');
    expect(item.deductions.map((d) => [d.rule.split(' (')[0], d.count, d.points])).toEqual([
      ['regulator notice', 1, 20],
      ['media exposure', 1, 16],
      ['letter / written complaint', 1, 4],
      ['phone complaint', 1, 2],
    ]);
    expect(item.points).toBe(58);
  });

  it('floors a line at 0: eleven overdue cases cost 20, not 22', () => {
    const fs = Array.from({ length: 11 }, () => fact({ clocks: [{ name: 'reply', status: 'breached', startedAt: 'x', deadline: 'y', breachedAt: 'y' }] }));
    const item = itemOf(scorecard(fs, base, '2026-03'), 'sp-a', 'handlingTime');
    expect(item.deductions[0]).toMatchObject({ count: 11, points: 22 });
    expect(item.points).toBe(0);
  });

  it('withholds the complaint-rate line when no subscriber count is configured, and says so', () => {
    const card = scorecard([fact({ partner: 'sp-unknown' })], base, '2026-03');
    const u = unit(card.partners, 'sp-unknown');
    expect(u.missingInputs).toEqual(['hotline24x7', 'mobileContact24x7', 'subscribers']);
    expect(u.items.find((i) => i.key === 'complaintRate')).toMatchObject({ points: 0, deductions: [{ rule: 'no subscriber count configured: the rate cannot be assessed' }] });
  });

  it('voids the hotline when a customer could not reach it, and the mobile line on an unannounced change', () => {
    const a: Assessment = { ...base, partners: { 'sp-a': { ...base.partners['sp-a'], hotlineReportedUnreachable: true, contactChangeUnnotified: true } } };
    const card = scorecard([], a, '2026-03');
    expect(points(unit(card.partners, 'sp-a'))).toMatchObject({ hotline: 0, mobileContact: 0 });
  });

  it('charges 2 seats to the bottom five and 1 seat to the next five (000 §5); ties broken by name', () => {
    const partners = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`sp-${String(i + 1).padStart(2, '0')}`, { hotline24x7: true, mobileContact24x7: true, answerTimelinessPct: 100, subscribers: 1_000_000 }]),
    );
    // sp-01 has 1 overdue case, sp-02 2, ... sp-12 12 (floored at 20 lost): sp-10, sp-11 and sp-12 tie
    // at 80, and the name decides (the first name counts as the lowest).
    const fs = Object.keys(partners).flatMap((p, i) =>
      Array.from({ length: i + 1 }, () => fact({ partner: p, kind: 'direct', upheld: false, outcome: 'not-upheld', resolved: false, clocks: [{ name: 'resolve', status: 'breached', startedAt: 'x', deadline: 'y' }] })),
    );
    const card = scorecard(fs, { ...assessment, partners }, '2026-03');
    const rows = card.partners.map((u) => [u.unit, u.score, u.positionFromBottom, u.emergencySeats]);
    expect(rows.slice(0, 3)).toEqual([
      ['sp-01', 98, 12, 0],
      ['sp-02', 96, 11, 0],
      ['sp-03', 94, 10, 1],
    ]);
    expect(rows.slice(-7)).toEqual([
      ['sp-06', 88, 7, 1],
      ['sp-07', 86, 6, 1],
      ['sp-08', 84, 5, 2],
      ['sp-09', 82, 4, 2],
      ['sp-12', 80, 3, 2],
      ['sp-11', 80, 2, 2],
      ['sp-10', 80, 1, 2],
    ]);
    expect(card.partners.filter((u) => u.bottomTen)).toHaveLength(10);
    expect(unit(card.partners, 'sp-08').emergencySeatFeeFen).toBe(2 * 300_000 * 1.2);
  });
});
