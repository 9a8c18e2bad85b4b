/**
 * The 100-point scorecard of seed 000 §4 on the seeded month, every line worked out by hand, and
 * the assessment window's edges (the 20th 23:59:59 and the 21st 00:00, Asia/Shanghai).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { complaintFacts, type ComplaintFacts } from '../../archive/reports';
import {
  assessmentMonthOf,
  assessmentWindow,
  parseAssessment,
  partnerSuspension,
  partnerTermination,
  routeIntakeAroundSuspension,
  scorecard,
  shiftMonth,
  type Assessment,
  type UnitScore,
} from '../../archive/scorecard';
import { scorecardCsv } from '../../api/reports/csv';
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
      ['billing', 77.92, 2],
      ['network', 59.94, 3],
      ['service', 49.96, 4],
    ]);
    expect(card.partners.map((u) => [u.unit, u.score, u.rank])).toEqual([
      ['sp-news', 90, 1],
      ['sp-games', 81.6, 2],
      ['sp-music', 43.2, 3],
    ]);
  });

  it('network: 4 + 6 + 12 + 6 (not measured) + 18 + 0 + 13.94 = 59.94', () => {
    const u = unit(card.departments, 'network');
    expect(points(u)).toEqual({ hotline: 4, mobileContact: 6, serviceComplaints: 12, answerTimeliness: 6, handlingTime: 18, resolutionRate: 0, complaintRate: 13.94 });
    const item = (k: string) => u.items.find((i) => i.key === k)!;
    // 000: only complaints caused by poor handling (接待、处理不当) are service complaints: C04 (wechat)
    // and C10 (app), written; C01's findings blame a base station, not the handling.
    expect(item('serviceComplaints').deductions).toEqual([
      { rule: 'letter / written complaint (来信投诉)', count: 2, pointsEach: 4, points: 8, complaintIds: ['C04', 'C10'] },
    ]);
    expect(item('serviceComplaints').measure).toBe('2 of 3 upheld complaint(s) caused by poor handling');
    // No sampled answer rate for departments: not measured (the reply clock does not stand in).
    expect(item('answerTimeliness')).toMatchObject({ points: 6, deductions: [], measured: false, measure: 'not measured: no sampled answer rate (answerTimelinessPct)' });
    expect(u.notMeasured).toEqual(['answerTimeliness']);
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

  it('billing: carrier complaints C03, C09 and two more take all 20; answer timeliness not measured (was: the reply clock at 2/4)', () => {
    const u = unit(card.departments, 'billing');
    expect(points(u)).toEqual({ hotline: 4, mobileContact: 6, serviceComplaints: 0, answerTimeliness: 6, handlingTime: 18, resolutionRate: 30, complaintRate: 13.92 });
    expect(u.items.find((i) => i.key === 'answerTimeliness')!.measured).toBe(false);
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
      // 000: the findings blame poor handling, so an upheld one is a service complaint.
      departments: [{ department: 'service', status: 'reported', responsible: true, assignedAt: '2026-03-01T00:00:00.000Z', poorHandling: true }],
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

  it('counts a complaint the platform settled after the customer would not accept the partner\'s handling as not carried out (000 §4: 处理未落实)', () => {
    const fs = [fact({ settledBy: 'platform' }), fact({ settledBy: 'partner' }), fact()];
    const rr = itemOf(scorecard(fs, base, '2026-03'), 'sp-a', 'resolutionRate');
    expect(rr.measure).toBe('2/3 settled = 66.67%');
    expect(rr.deductions[0]?.complaintIds).toEqual([fs[0]!.complaintId]);
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

  it('says "not measured" for the complaint rate without a subscriber count, deducting nothing and substituting nothing', () => {
    const card = scorecard([fact({ partner: 'sp-unknown' })], base, '2026-03');
    const u = unit(card.partners, 'sp-unknown');
    expect(u.missingInputs).toEqual(['hotline24x7', 'mobileContact24x7', 'answerTimelinessPct', 'subscribers']);
    expect(u.items.find((i) => i.key === 'complaintRate')).toMatchObject({ points: 14, measured: false, deductions: [], measure: 'not measured: 1 complaint(s), no subscriber count (subscribers)' });
    expect(u.notMeasured).toEqual(['answerTimeliness', 'complaintRate']);
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

describe('scorecard semantics', () => {
  let n = 0;
  const dept = (poorHandling?: boolean) => [{ department: 'service', status: 'reported', responsible: true, assignedAt: '2026-03-01T00:00:00.000Z', poorHandling }];
  function fact(overrides: Partial<ComplaintFacts> = {}): ComplaintFacts {
    n += 1;
    return {
      complaintId: `S${String(n).padStart(3, '0')}`,
      customerId: `s-${n}`,
      customerTier: 'regular',
      category: 'value-added-service',
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
      departments: dept(true),
      clocks: [],
      escalations: [],
      promises: [],
      remedyImplemented: true,
      ...overrides,
    };
  }
  const configured = { hotline24x7: true, mobileContact24x7: true, answerTimelinessPct: 100, subscribers: 100_000 };
  const base: Assessment = { ...assessment, partners: { 'sp-a': configured } };
  const serviceItem = (card: ReturnType<typeof scorecard>, partner = 'sp-a') => unit(card.partners, partner).items.find((i) => i.key === 'serviceComplaints')!;

  it('000 §4: a transferred complaint is charged by its source: a carrier −10, our own service centre by channel', () => {
    const fs = [fact({ source: 'carrier' }), fact({ source: 'service-centre', channel: 'hotline' }), fact({ source: 'service-centre', channel: 'email' }), fact({ source: undefined })];
    expect(serviceItem(scorecard(fs, base, '2026-03')).deductions.map((d) => [d.rule.split(' (')[0], d.count, d.points])).toEqual([
      ['carrier complaint: transferred from a carrier branch', 1, 10],
      ['letter / written complaint', 1, 4],
      ['phone complaint', 2, 4],
    ]);
  });

  it('a regulator or the media as the source is charged as such without an urgent reason', () => {
    const fs = [fact({ source: 'regulator' }), fact({ source: 'media' })];
    expect(serviceItem(scorecard(fs, base, '2026-03')).deductions.map((d) => d.points)).toEqual([20, 16]);
  });

  it('000 §4: only complaints the findings attribute to poor handling are service complaints; unsaid ones are listed, not charged', () => {
    const fs = [fact({ departments: dept(true) }), fact({ departments: dept(false) }), fact({ departments: dept(undefined) }), fact({ departments: [] })];
    const item = serviceItem(scorecard(fs, base, '2026-03'));
    expect(item.deductions).toEqual([{ rule: 'phone complaint (电话投诉)', count: 1, pointsEach: 2, points: 2, complaintIds: [fs[0]!.complaintId] }]);
    expect(item.measure).toBe(`1 of 4 upheld complaint(s) caused by poor handling; 2 upheld without a finding on handling (${fs[2]!.complaintId}, ${fs[3]!.complaintId})`);
  });

  it('an unconfigured partner is scored, flagged and never charged emergency seats (placeholder inputs only)', () => {
    const card = scorecard([fact({ partner: 'sp-new' })], base, '2026-03');
    const u = unit(card.partners, 'sp-new');
    expect(u).toMatchObject({ configured: false, bottomTen: false, emergencySeats: 0, emergencySeatFeeFen: 0 });
    expect(unit(card.partners, 'sp-a')).toMatchObject({ configured: true, bottomTen: true, emergencySeats: 2 });
  });

  it('carries the placeholders of the configuration into the answer', () => {
    const card = scorecard([], { ...base, placeholders: [{ path: 'emergencySeats.seatCostFen', note: 'stand-in' }] }, '2026-03');
    expect(card.placeholders).toEqual([{ path: 'emergencySeats.seatCostFen', note: 'stand-in' }]);
  });

  it('the shipped configuration marks its placeholders and configures its partners', () => {
    const shipped = parseAssessment(JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'assessment.json'), 'utf8')));
    expect(shipped.placeholders.map((p) => p.path)).toEqual(expect.arrayContaining(['departments.*.subscribers', 'emergencySeats.seatCostFen']));
    expect(Object.keys(shipped.partners).length).toBeGreaterThan(0);
    expect(shipped.topThreeBonus).toMatchObject({ topN: 3, consecutive: 2 });
    expect(shipped.partnerSuspension).toMatchObject({ urgentReasons: ['mass-complaint', 'social-impact'] });
  });
});

describe('000 §4.8: the top-three bonus (+1 to +5 for the top three twice in a row)', () => {
  const partners = Object.fromEntries(
    ['sp-1', 'sp-2', 'sp-3', 'sp-4'].map((p) => [p, { hotline24x7: true, mobileContact24x7: true, answerTimelinessPct: 100, subscribers: 1_000_000 }]),
  );
  const a: Assessment = { ...assessment, partners: { ...partners, 'sp-2': { ...partners['sp-2']!, topThreeBonusPoints: 4 } } };
  /** `overdue[p]` overdue cases for each partner in the window of `month` (fewer = better). */
  const month = (m: string, overdue: Record<string, number>): ComplaintFacts[] =>
    Object.entries(overdue).flatMap(([partner, k]) =>
      Array.from({ length: k + 1 }, (_, i) => ({
        complaintId: `${m}-${partner}-${i}`,
        customerId: `c-${partner}-${i}`,
        customerTier: 'regular' as const,
        category: 'other' as const,
        severity: 'normal' as const,
        kind: 'direct' as const,
        partner,
        channel: 'hotline' as const,
        stage: 'closed',
        outcome: 'not-upheld' as const,
        upheld: false,
        resolved: false,
        takenOver: false,
        submittedAt: assessmentWindow(m).from.toISOString(),
        escalationLevel: 0,
        slaBreached: i < k,
        departments: [],
        clocks: i < k ? [{ name: 'resolve', status: 'breached' as const, startedAt: 'x', deadline: 'y' }] : [],
        escalations: [],
        promises: [],
        remedyImplemented: false,
      })),
    );
  const bonusOf = (card: ReturnType<typeof scorecard>) => card.partners.map((u) => [u.unit, u.rank, u.bonus?.points ?? 0, u.totalScore]);

  it('top three in both months: +points (configured 4, else the default 1); 4th last month or this month: nothing', () => {
    // February: sp-1 > sp-2 > sp-4 > sp-3. March: sp-1 > sp-2 > sp-3 > sp-4.
    const facts = [...month('2026-02', { 'sp-1': 0, 'sp-2': 1, 'sp-3': 3, 'sp-4': 2 }), ...month('2026-03', { 'sp-1': 0, 'sp-2': 1, 'sp-3': 2, 'sp-4': 3 })];
    const card = scorecard(facts, a, '2026-03');
    expect(bonusOf(card)).toEqual([
      ['sp-1', 1, 1, 101],
      ['sp-2', 2, 4, 102],
      ['sp-3', 3, 0, 96],
      ['sp-4', 4, 0, 94],
    ]);
    expect(unit(card.partners, 'sp-2').bonus).toMatchObject({ ranks: [{ month: '2026-02', rank: 2 }, { month: '2026-03', rank: 2 }] });
    // The bonus is on top: ranks and emergency seats follow the 100-point score.
    expect(unit(card.partners, 'sp-2').score).toBe(98);
  });

  it('no complaints at all in the previous window: not assessed, no bonus', () => {
    const card = scorecard(month('2026-03', { 'sp-1': 0, 'sp-2': 1, 'sp-3': 2, 'sp-4': 3 }), a, '2026-03');
    expect(card.partners.every((u) => u.bonus === undefined && u.totalScore === u.score)).toBe(true);
  });

  it('departments get no bonus under the shipped rule (it applies to partners)', () => {
    const facts = [...month('2026-02', { 'sp-1': 0 }), ...month('2026-03', { 'sp-1': 0 })];
    expect(scorecard(facts, a, '2026-03').departments.every((u) => u.bonus === undefined)).toBe(true);
  });
});

describe('000 §2d: suspending a partner with mass complaints', () => {
  const rule = { source: 'test', customers: 3, withinDays: 7, urgentReasons: ['mass-complaint' as const] };
  const now = new Date('2026-03-10T00:00:00+08:00');
  let n = 0;
  const f = (overrides: Partial<ComplaintFacts> = {}): ComplaintFacts => {
    n += 1;
    return {
      complaintId: `M${String(n).padStart(2, '0')}`, customerId: `m-${n}`, customerTier: 'regular', category: 'value-added-service', severity: 'normal', kind: 'transferred', partner: 'sp-x', channel: 'hotline',
      stage: 'investigating', upheld: true, resolved: false, takenOver: false, submittedAt: '2026-03-09T00:00:00+08:00', escalationLevel: 0, slaBreached: false,
      departments: [], clocks: [], escalations: [], promises: [], remedyImplemented: false, ...overrides,
    };
  };

  it('suspends at the threshold of distinct customers, not one below', () => {
    expect(partnerSuspension([f(), f()], 'sp-x', rule, now)).toMatchObject({ suspend: false, customers: 2, reasons: [] });
    const three = partnerSuspension([f(), f(), f()], 'sp-x', rule, now);
    expect(three).toMatchObject({ suspend: true, customers: 3 });
    expect(three.reasons[0]).toMatch(/from 3 customers in 7 days \(threshold 3/);
  });

  it('counts a customer once, and neither not-upheld, withdrawn, other partners nor complaints outside the days', () => {
    const fs = [
      f({ customerId: 'same' }),
      f({ customerId: 'same' }),
      f({ upheld: false }),
      f({ outcome: 'withdrawn' }),
      f({ partner: 'sp-y' }),
      f({ submittedAt: '2026-03-02T23:59:59+08:00' }), // 7 days before 03-10 00:00 is 03-03 00:00
      f(),
    ];
    expect(partnerSuspension(fs, 'sp-x', rule, now)).toMatchObject({ suspend: false, customers: 2 });
  });

  it('one upheld mass complaint (群体投诉) suffices', () => {
    const d = partnerSuspension([f({ urgentReason: 'mass-complaint' })], 'sp-x', rule, now);
    expect(d.suspend).toBe(true);
    expect(d.reasons).toEqual([expect.stringMatching(/mass-complaint/)]);
  });

  it('shows on the scorecard, with whether a suspension is in force', () => {
    const a: Assessment = { ...assessment, partnerSuspension: rule, partners: { 'sp-x': { hotline24x7: true, mobileContact24x7: true, answerTimelinessPct: 90, subscribers: 1000, suspended: true } } };
    const card = scorecard([f(), f(), f()], a, '2026-03');
    expect(unit(card.partners, 'sp-x').suspension).toMatchObject({ suspend: true, inForce: true, customers: 3 });
  });

  it('at intake: a complaint to be transferred to a suspended partner stays with the platform', () => {
    const suspended = (p: string) => p === 'sp-x';
    expect(routeIntakeAroundSuspension({ kind: 'transferred' as const, partner: 'sp-x' }, suspended)).toEqual({ intake: { kind: 'direct', partner: 'sp-x' }, keptByPlatform: true });
    expect(routeIntakeAroundSuspension({ kind: 'transferred' as const, partner: 'sp-y' }, suspended)).toEqual({ intake: { kind: 'transferred', partner: 'sp-y' }, keptByPlatform: false });
  });
});

describe('000 §2d: terminating a partnership whose customer-service cost exceeds its revenue', () => {
  const rule = { source: 'test', handlingCostPerComplaintFen: 5_000 };
  let n = 0;
  const f = (overrides: Partial<ComplaintFacts> = {}): ComplaintFacts => {
    n += 1;
    return {
      complaintId: `T${String(n).padStart(2, '0')}`, customerId: `t-${n}`, customerTier: 'regular', category: 'value-added-service', severity: 'normal', kind: 'transferred', partner: 'sp-x', channel: 'hotline',
      stage: 'closed', outcome: 'resolved', upheld: true, resolved: true, takenOver: false, submittedAt: '2026-03-09T00:00:00+08:00', escalationLevel: 0, slaBreached: false,
      departments: [], clocks: [], escalations: [], promises: [], remedyImplemented: false, ...overrides,
    };
  };
  const refunded = (amountFen: number) => f({ remedy: { kind: 'refund', amountFen }, remedyImplemented: true });
  const takenOver = (refundFen: number) =>
    f({ takenOver: true, remedy: { kind: 'refund', amountFen: refundFen }, remedyImplemented: true, charge: { partner: 'sp-x', refundFen, costsFen: 1_000, handlingFeeFen: refundFen * 0.3, totalFen: refundFen * 1.3 + 1_000 } });
  const sp = { unit: 'sp-x', emergencySeatFeeFen: 0 };

  it('itemises the cost: handling each complaint, compensation paid, takeover charges (counted once), emergency seats', () => {
    const d = partnerTermination([refunded(20_000), takenOver(10_000), f(), f({ partner: 'sp-y', remedy: { kind: 'refund', amountFen: 99_999 }, remedyImplemented: true })], { unit: 'sp-x', emergencySeatFeeFen: 720_000 }, 10_000_000, rule);
    expect(d.costs).toEqual({ complaints: 3, handlingFen: 15_000, compensationFen: 20_000, takeoverChargesFen: 14_000, emergencySeatFeeFen: 720_000 });
    expect(d.costFen).toBe(769_000);
    expect(d).toMatchObject({ partner: 'sp-x', measured: true, revenueFen: 10_000_000, terminate: false });
  });

  it('recommends termination when the cost is above the revenue (已高于), not when equal', () => {
    // 2 complaints × 5 000 + 40 000 refunded = 50 000 fen.
    const facts = [refunded(40_000), f()];
    expect(partnerTermination(facts, sp, 50_000, rule)).toMatchObject({ terminate: false, costFen: 50_000 });
    const above = partnerTermination(facts, sp, 49_999, rule);
    expect(above).toMatchObject({ terminate: true, costFen: 50_000, revenueFen: 49_999 });
    expect(above.reason).toMatch(/terminate partnership recommended/);
  });

  it('an implemented remedy only: a refund not yet paid costs nothing yet', () => {
    expect(partnerTermination([f({ remedy: { kind: 'refund', amountFen: 40_000 }, remedyImplemented: false })], sp, 0, rule).costs.compensationFen).toBe(0);
  });

  it('without a configured revenue: not measured, never recommended', () => {
    const d = partnerTermination([refunded(1_000_000)], sp, undefined, rule);
    expect(d).toMatchObject({ measured: false, terminate: false, costFen: 1_005_000 });
    expect(d.reason).toMatch(/partners\.sp-x\.monthlyRevenueFen is not configured/);
  });

  it('shows on the scorecard per partner, in its CSV, with the revenue and its placeholders marked', () => {
    const a: Assessment = {
      ...assessment,
      partnerTermination: rule,
      partners: {
        'sp-x': { hotline24x7: true, mobileContact24x7: true, answerTimelinessPct: 90, subscribers: 1000, monthlyRevenueFen: 30_000 },
        'sp-y': { hotline24x7: true, mobileContact24x7: true, answerTimelinessPct: 90, subscribers: 1000 },
      },
    };
    const card = scorecard([refunded(40_000), f({ partner: 'sp-y' })], a, '2026-03');
    const x = unit(card.partners, 'sp-x');
    // Two partners: both in the bottom ten, so the month's emergency-seat fee is part of the cost.
    expect(x.termination).toMatchObject({ terminate: true, revenueFen: 30_000, costs: { handlingFen: 5_000, compensationFen: 40_000, emergencySeatFeeFen: x.emergencySeatFeeFen } });
    expect(x.termination!.costFen).toBe(45_000 + x.emergencySeatFeeFen);
    expect(unit(card.partners, 'sp-y').termination).toMatchObject({ terminate: false, measured: false });
    expect(card.departments.every((u) => u.termination === undefined)).toBe(true);
    const csv = scorecardCsv(card);
    expect(csv).toMatch(/sp-x,.*,termination,,,terminate partnership recommended,/);
    expect(csv).toMatch(/sp-y,.*,termination,,,not measured,/);
    // The shipped configuration marks its invented figures as placeholders.
    const shipped = parseAssessment(JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'assessment.json'), 'utf8')));
    expect(shipped.partnerTermination).toBeDefined();
    expect(shipped.placeholders.map((p) => p.path)).toEqual(expect.arrayContaining(['partnerTermination.handlingCostPerComplaintFen', 'partners.sp-example.monthlyRevenueFen']));
  });

  it('absent from the configuration: no recommendation at all', () => {
    const { partnerTermination: _rule, ...without } = assessment;
    expect(scorecard([refunded(40_000)], without as Assessment, '2026-03').partners.every((u) => u.termination === undefined)).toBe(true);
  });
});
