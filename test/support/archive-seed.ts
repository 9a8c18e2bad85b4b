/**
 * A seeded assessment month for the archive and report tests: twelve complaints submitted in the
 * window of 2026-03 (2026-02-21 00:00 to 2026-03-20 24:00, +08:00), including both edges, plus two
 * just outside it (2026-02-20 23:59:59 and 2026-03-21 00:00 local). The expected figures are worked
 * out by hand in test/unit/reports.test.ts and test/unit/scorecard.test.ts.
 *
 *  id   customer     category             channel       kind / partner         judged      outcome             h    notes
 *  C01  cu-1 vip     network-quality      hotline       direct                 upheld net  resolved            48   first instant of the window; not poor handling
 *  C02  cu-2         billing-dispute      email         direct                 upheld bil  resolved            24   refund ¥50
 *  C03  cu-3 vip     billing-dispute      app           transferred sp-music   upheld bil  resolved            24   from a carrier; reply+resolve breached, taken over
 *  C04  cu-1 vip     network-quality      wechat        direct                 upheld net  resolved            96   resolve breached (met late), promise missed
 *  C05  cu-4         service-attitude     hotline       direct                 not upheld  not-upheld          48
 *  C06  cu-5         value-added-service  social-media  transferred sp-music   upheld prd  resolved            12   urgent: media exposure
 *  C07  cu-6 vip     value-added-service  website       transferred sp-games   —           withdrawn            8
 *  C08  cu-7         other                retail-store  direct                 upheld svc  accepted-by-silence 48   urgent: regulator referral
 *  C09  cu-2         billing-dispute      hotline       transferred sp-games   upheld bil  resolved            12   from a carrier; reply breached
 *  C10  cu-8 vip     network-quality      app           direct                 upheld net+svc (reopened: callback dissatisfied)
 *  C11  cu-2         billing-dispute      hotline       direct                 upheld bil  resolved            24
 *  C12  cu-9         network-quality      hotline       direct                 —           withdrawn            1   last second of the window
 *  B1   cu-1         network-quality      hotline       direct                 upheld net  resolved            24   2026-02-20 23:59:59 local: February
 *  B4   cu-9         network-quality      hotline       transferred sp-news    upheld net  resolved            12   from a carrier; 2026-03-21 00:00 local: April
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchiveRecord } from '../../activities/ports';
import type { Category, Channel, ComplaintKind, ComplaintSource, Department, Outcome, RemedyOption, UrgentReason } from '../../domain/complaint';
import type { ComplaintState, TimelineEvent } from '../../domain/case';
import { parseAssessment, type Assessment } from '../../archive/scorecard';

export const SEEDED_MONTH = '2026-03';

type ClockSpec = { name: string; status: 'met' | 'breached' | 'cancelled' | 'running'; warned?: boolean; metLate?: boolean };

export interface SeedSpec {
  id: string;
  customer: string;
  tier?: 'vip' | 'regular';
  category: Category;
  channel: Channel;
  kind?: ComplaintKind;
  /** Who brought it (000 §4); default the customer. */
  source?: ComplaintSource;
  partner?: string;
  urgentReason?: UrgentReason;
  submitted: string;
  judged?: 'upheld' | 'not-upheld';
  departments?: Department[];
  outcome?: Outcome;
  /** Hours from submission to closure (closed only with an outcome). */
  hours?: number;
  clocks?: ClockSpec[];
  escalations?: Array<{ level: number; trigger: string; afterHours: number }>;
  promises?: Array<{ what: string; status: 'kept' | 'missed' | 'pending' }>;
  remedy?: RemedyOption;
  implemented?: boolean;
  callback?: { required: boolean; satisfied?: boolean };
  takeover?: { refundFen: number; costsFen: number };
  rejections?: number;
  /** What the findings say of poor handling (000 §4 service complaints); default true. */
  poorHandling?: boolean;
}

const HOUR = 3_600_000;
const plus = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * HOUR).toISOString();
const clockHours: Record<string, number> = { reply: 12, resolve: 48 };

/** Builds a complete case file and timeline from a spec, as the workflow would archive it. */
export function seedRecord(s: SeedSpec): ArchiveRecord {
  const timeline: TimelineEvent[] = [];
  const event = (at: string, type: TimelineEvent['type'], summary: string, actor?: string) =>
    timeline.push({ seq: timeline.length + 1, at, type, actor, summary });
  const t0 = s.submitted;
  event(t0, 'accepted', `Accepted via ${s.channel}; owner Zhang Min`, 'agent-7');
  if (s.judged === 'upheld') event(plus(t0, 1), 'judged-upheld', `Upheld: facts confirmed; responsible: ${(s.departments ?? []).join(', ')}`, 'agent-7');
  if (s.judged === 'not-upheld') event(plus(t0, 1), 'judged-not-upheld', 'Not upheld: the charge matches the tariff the customer subscribed to', 'agent-7');
  const assignments = (s.judged === 'upheld' ? (s.departments ?? []) : []).map((department) => {
    event(plus(t0, 2), 'dispatched', `Dispatched to ${department}`);
    event(plus(t0, 3), 'findings-recorded', `${department}: ${causeOf(department, s.category)}`, `${department}-desk`);
    return {
      department,
      status: 'reported',
      assignedAt: plus(t0, 1),
      dispatchedAt: plus(t0, 2),
      findings: { cause: causeOf(department, s.category), partyAtFault: s.partner ?? `${department}-team`, evidence: [], poorHandling: s.poorHandling ?? true, reportedAt: plus(t0, 3), reportedBy: `${department}-desk` },
    };
  });
  const escalations = (s.escalations ?? []).map((e) => {
    event(plus(t0, e.afterHours), 'escalated', `Escalated to level ${e.level} (${e.trigger})`);
    return { level: e.level, trigger: e.trigger, at: plus(t0, e.afterHours), reason: `seeded ${e.trigger}` };
  });
  const customerAnswers = Array.from({ length: s.rejections ?? 0 }, (_, i) => ({ accepted: false, demand: 'more', at: plus(t0, 4 + i), recordedBy: 'agent-7' }));
  const proposal = s.remedy ? { id: 'R1-1', round: 1, option: s.remedy, proposedBy: 'dept', proposedAt: plus(t0, 4) } : undefined;
  if (proposal) {
    event(plus(t0, 4), 'remedies-proposed', `1 remedy option(s): ${s.remedy!.kind}`, 'dept');
    event(plus(t0, 5), 'remedy-approved', `Approved R1-1 (${s.remedy!.kind})`, 'sup-1');
    customerAnswers.push({ accepted: true, demand: undefined as unknown as string, at: plus(t0, 6), recordedBy: 'agent-7' });
  }
  const closedAt = s.outcome ? plus(t0, s.hours ?? 24) : undefined;
  const implementedAt = s.implemented ? plus(t0, Math.max(1, (s.hours ?? 30) - 1)) : undefined;
  if (implementedAt) event(implementedAt, 'remedy-implemented', `Implemented ${s.remedy?.kind}`);
  const callbackResult =
    s.callback?.satisfied === undefined
      ? undefined
      : { satisfied: s.callback.satisfied, comments: s.callback.satisfied ? '' : 'still no signal', at: plus(t0, s.hours ?? 48), recordedBy: 'agent-7' };
  if (callbackResult) event(callbackResult.at, 'callback-recorded', `Callback: ${callbackResult.satisfied ? 'satisfied' : 'dissatisfied'}`, 'agent-7');
  if (callbackResult && !callbackResult.satisfied) event(callbackResult.at, 'reopened', 'Reopened after a dissatisfied callback', 'agent-7');
  const clocks = (s.clocks ?? []).map((c) => {
    const deadline = plus(t0, clockHours[c.name] ?? 12);
    const span = clockHours[c.name] ?? 12;
    return {
      name: c.name,
      startedAt: t0,
      deadline,
      warnAt: plus(t0, span * 0.75),
      status: c.status,
      pausedMs: 0,
      ...(c.warned ? { warnedAt: plus(t0, span * 0.75) } : {}),
      ...(c.status === 'met' ? { metAt: plus(t0, 1) } : {}),
      ...(c.status === 'breached' ? { breachedAt: deadline, ...(c.metLate ? { metAt: plus(deadline, 1) } : {}) } : {}),
    };
  });
  const charge = s.takeover
    ? { partner: s.partner!, refundFen: s.takeover.refundFen, costsFen: s.takeover.costsFen, handlingFeeFen: Math.round(s.takeover.refundFen * 0.3), totalFen: 0 }
    : undefined;
  if (charge) {
    charge.totalFen = charge.refundFen + charge.costsFen + charge.handlingFeeFen;
    event(plus(t0, 14), 'taken-over', `Taken over from ${s.partner}`);
  }
  if (closedAt) event(closedAt, 'closed', s.outcome === 'withdrawn' ? 'Withdrawn by the customer: resolved elsewhere' : `Closed: ${s.outcome}`);

  const state = {
    complaintId: s.id,
    stage: closedAt ? 'closed' : 'proposing',
    outcome: s.outcome,
    intake: {
      customer: { id: s.customer, name: `Customer ${s.customer}`, identityVerified: true, tier: s.tier ?? 'regular', contact: { phone: '13800000000' } },
      channel: s.channel,
      category: s.category,
      severity: s.urgentReason ? 'urgent' : 'normal',
      urgentReason: s.urgentReason,
      service: `${s.category} service`,
      content: `Seeded complaint ${s.id} about ${s.category}`,
      demand: 'Fix it',
      kind: s.kind ?? 'direct',
      source: s.source ?? 'customer',
      partner: s.partner,
      receivedAt: t0,
      acceptedBy: { id: 'agent-7', name: 'Zhang Min' },
    },
    receivedAt: t0,
    owner: { id: 'agent-7', name: 'Zhang Min' },
    escalationLevel: Math.max(0, ...escalations.map((e) => e.level)),
    escalations,
    assignments,
    proposalRound: 1,
    proposals: proposal ? [proposal] : [],
    approvals: proposal ? [{ optionId: 'R1-1', by: 'sup-1', role: 'supervisor', at: plus(t0, 5), withinAuthority: true }] : [],
    approvedRemedy: proposal,
    customerDemands: ['Fix it'],
    customerAnswers,
    remindersSent: 0,
    callback: s.callback ? { required: s.callback.required, ...(callbackResult ? { result: callbackResult } : {}) } : undefined,
    promisedTimes: (s.promises ?? []).map((p, i) => ({ what: p.what, by: plus(t0, 12 * (i + 1)), promisedAt: t0, status: p.status, keptOn: [] })),
    clocks,
    slaBreached: clocks.some((c) => c.status === 'breached'),
    accountable: { level: 0, levelName: 'owner', person: { id: 'agent-7', name: 'Zhang Min' }, since: t0 },
    takeover: charge ? { partner: s.partner!, at: plus(t0, 14), clock: 'resolve' } : undefined,
    partnerCharge: charge,
    contacts: [],
    notes: [],
    implementation: implementedAt ? { startedAt: plus(t0, 6), completedAt: implementedAt } : undefined,
    closedAt,
    policyVersion: 'seed',
  } as unknown as ComplaintState;
  return { idempotencyKey: `${s.id}/archive/${timeline.length}`, complaintId: s.id, state, timeline };
}

function causeOf(department: string, category: string): string {
  return `${department} fault behind the ${category} complaint`;
}

const met = (name: string, warned = false): ClockSpec => ({ name, status: 'met', warned });

export const seedSpecs: SeedSpec[] = [
  {
    id: 'C01', customer: 'cu-1', tier: 'vip', category: 'network-quality', channel: 'hotline', submitted: '2026-02-20T16:00:00.000Z', poorHandling: false,
    judged: 'upheld', departments: ['network'], outcome: 'resolved', hours: 48,
    clocks: [met('reply'), met('resolve', true), met('dispatch')], promises: [{ what: 'reply', status: 'kept' }],
    remedy: { kind: 'service-fix', description: 'Replace the base-station card', promisedBy: '2026-02-22T10:00:00Z' }, implemented: true,
    callback: { required: true, satisfied: true },
  },
  {
    id: 'C02', customer: 'cu-2', category: 'billing-dispute', channel: 'email', submitted: '2026-02-25T02:00:00.000Z',
    judged: 'upheld', departments: ['billing'], outcome: 'resolved', hours: 24,
    clocks: [met('reply'), met('resolve')], remedy: { kind: 'refund', description: 'Refund the double charge', amountFen: 5000 }, implemented: true,
    callback: { required: false },
  },
  {
    id: 'C03', customer: 'cu-3', tier: 'vip', category: 'billing-dispute', channel: 'app', kind: 'transferred', source: 'carrier', partner: 'sp-music', submitted: '2026-03-02T01:00:00.000Z',
    judged: 'upheld', departments: ['billing'], outcome: 'resolved', hours: 24,
    clocks: [{ name: 'reply', status: 'breached' }, { name: 'resolve', status: 'breached', metLate: true }],
    escalations: [{ level: 1, trigger: 'sla-breach', afterHours: 2 }], promises: [{ what: 'reply', status: 'missed' }],
    remedy: { kind: 'refund', description: 'Refund the music subscription', amountFen: 10000 }, implemented: true,
    callback: { required: true, satisfied: true }, takeover: { refundFen: 10000, costsFen: 800 },
  },
  {
    id: 'C04', customer: 'cu-1', tier: 'vip', category: 'network-quality', channel: 'wechat', submitted: '2026-03-05T03:00:00.000Z',
    judged: 'upheld', departments: ['network'], outcome: 'resolved', hours: 96,
    clocks: [met('reply'), { name: 'resolve', status: 'breached', warned: true, metLate: true }],
    escalations: [{ level: 1, trigger: 'sla-breach', afterHours: 48 }],
    promises: [{ what: 'reply', status: 'kept' }, { what: 'restored by', status: 'missed' }],
    remedy: { kind: 'service-fix', description: 'Add a repeater', promisedBy: '2026-03-07T03:00:00Z' }, implemented: true, rejections: 1,
    callback: { required: true, satisfied: true },
  },
  {
    id: 'C05', customer: 'cu-4', category: 'service-attitude', channel: 'hotline', submitted: '2026-03-06T01:00:00.000Z',
    judged: 'not-upheld', outcome: 'not-upheld', hours: 48, clocks: [met('reply'), { name: 'resolve', status: 'cancelled' }],
  },
  {
    id: 'C06', customer: 'cu-5', category: 'value-added-service', channel: 'social-media', kind: 'transferred', partner: 'sp-music', urgentReason: 'media-exposure',
    submitted: '2026-03-08T06:00:00.000Z', judged: 'upheld', departments: ['product'], outcome: 'resolved', hours: 12,
    clocks: [met('reply', true), met('resolve')], escalations: [{ level: 2, trigger: 'urgent', afterHours: 0 }],
    remedy: { kind: 'service-cancellation', description: 'Cancel the unsolicited subscription', service: 'music-pack' }, implemented: true,
    callback: { required: true, satisfied: true },
  },
  {
    id: 'C07', customer: 'cu-6', tier: 'vip', category: 'value-added-service', channel: 'website', kind: 'transferred', partner: 'sp-games',
    submitted: '2026-03-10T02:00:00.000Z', outcome: 'withdrawn', hours: 8, clocks: [met('reply'), { name: 'resolve', status: 'cancelled' }],
  },
  {
    id: 'C08', customer: 'cu-7', category: 'other', channel: 'retail-store', urgentReason: 'regulator-referral', submitted: '2026-03-12T04:00:00.000Z',
    judged: 'upheld', departments: ['service'], outcome: 'accepted-by-silence', hours: 48, clocks: [met('reply'), met('resolve')],
    escalations: [{ level: 2, trigger: 'urgent', afterHours: 0 }, { level: 3, trigger: 'manual', afterHours: 20 }],
    remedy: { kind: 'explanation', description: 'Explain the store policy' }, implemented: true, callback: { required: false },
  },
  {
    id: 'C09', customer: 'cu-2', category: 'billing-dispute', channel: 'hotline', kind: 'transferred', source: 'carrier', partner: 'sp-games', submitted: '2026-03-15T00:30:00.000Z',
    judged: 'upheld', departments: ['billing'], outcome: 'resolved', hours: 12,
    clocks: [{ name: 'reply', status: 'breached', warned: true }, met('resolve')], escalations: [{ level: 1, trigger: 'sla-breach', afterHours: 3 }],
    remedy: { kind: 'fee-reduction', description: 'Waive the game fee', amountFen: 2000 }, implemented: true, callback: { required: true, satisfied: true },
  },
  {
    id: 'C10', customer: 'cu-8', tier: 'vip', category: 'network-quality', channel: 'app', submitted: '2026-03-16T08:00:00.000Z',
    judged: 'upheld', departments: ['network', 'service'], hours: 48,
    clocks: [met('reply'), { name: 'resolve', status: 'running' }], escalations: [{ level: 1, trigger: 'callback-dissatisfied', afterHours: 48 }],
    remedy: { kind: 'compensation', description: 'Goodwill credit', amountFen: 3000 }, implemented: true, callback: { required: true, satisfied: false },
  },
  {
    id: 'C11', customer: 'cu-2', category: 'billing-dispute', channel: 'hotline', submitted: '2026-03-18T05:00:00.000Z',
    judged: 'upheld', departments: ['billing'], outcome: 'resolved', hours: 24, clocks: [met('reply'), met('resolve')],
    remedy: { kind: 'refund', description: 'Refund roaming', amountFen: 1500 }, implemented: true, callback: { required: false },
  },
  {
    id: 'C12', customer: 'cu-9', category: 'network-quality', channel: 'hotline', submitted: '2026-03-20T15:59:59.000Z',
    outcome: 'withdrawn', hours: 1, clocks: [{ name: 'reply', status: 'cancelled' }],
  },
];

/** Just outside the window of 2026-03, one on each side. */
export const boundarySpecs: SeedSpec[] = [
  {
    id: 'B1', customer: 'cu-1', category: 'network-quality', channel: 'hotline', submitted: '2026-02-20T15:59:59.000Z',
    judged: 'upheld', departments: ['network'], outcome: 'resolved', hours: 24, clocks: [met('reply'), met('resolve')],
    remedy: { kind: 'explanation', description: 'Explained coverage' }, implemented: true, callback: { required: false },
  },
  {
    id: 'B4', customer: 'cu-9', category: 'network-quality', channel: 'hotline', kind: 'transferred', source: 'carrier', partner: 'sp-news', submitted: '2026-03-20T16:00:00.000Z',
    judged: 'upheld', departments: ['network'], outcome: 'resolved', hours: 12, clocks: [{ name: 'reply', status: 'breached' }, met('resolve')],
    remedy: { kind: 'explanation', description: 'Explained the news feed charge' }, implemented: true, callback: { required: false },
  },
];

/** Every seeded record: the month and its two neighbours. */
export function seedRecords(): ArchiveRecord[] {
  return [...seedSpecs, ...boundarySpecs].map(seedRecord);
}

/**
 * Earlier months, for the charts over time on the report page: a few simple complaints per month
 * from 2025-10 to 2026-01 (none of them in the window of 2026-03).
 */
export function historyRecords(): ArchiveRecord[] {
  const months = [
    { start: '2025-09-25T02:00:00.000Z', n: 5 },
    { start: '2025-10-25T02:00:00.000Z', n: 7 },
    { start: '2025-11-25T02:00:00.000Z', n: 6 },
    { start: '2025-12-25T02:00:00.000Z', n: 9 },
  ];
  const cats: Category[] = ['network-quality', 'billing-dispute', 'service-attitude', 'value-added-service', 'other'];
  return months.flatMap((m, mi) =>
    Array.from({ length: m.n }, (_, i) => {
      const late = (i + mi) % 4 === 0;
      return seedRecord({
        id: `H${mi}-${i}`, customer: `hist-${mi}-${i}`, category: cats[(i * 2 + mi) % cats.length]!, channel: 'hotline',
        submitted: plus(m.start, i * 60), judged: 'upheld', departments: ['service'], outcome: 'resolved', hours: late ? 60 : 20,
        clocks: [met('reply'), late ? { name: 'resolve', status: 'breached', metLate: true } : met('resolve')],
        remedy: { kind: 'explanation', description: 'Explained' }, implemented: true, callback: { required: true, satisfied: i % 3 !== 0 },
      });
    }),
  );
}

/** The shipped rules with this test's inputs: hand-checked figures depend on them. */
export function seedAssessment(): Assessment {
  const shipped = JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'assessment.json'), 'utf8')) as Record<string, unknown>;
  return parseAssessment({
    ...shipped,
    emergencySeats: { ...(shipped.emergencySeats as object), seatCostFen: 300_000 },
    defaults: { department: { hotline24x7: true, mobileContact24x7: true, subscribers: 10_000 }, partner: {} },
    departments: {},
    partners: {
      'sp-music': { hotline24x7: true, mobileContact24x7: true, answerTimelinessPct: 78, subscribers: 500 },
      'sp-games': { hotline24x7: true, mobileContact24x7: false, answerTimelinessPct: 90, subscribers: 1000 },
      'sp-news': { hotline24x7: true, mobileContact24x7: true, answerTimelinessPct: 80, connectionRatePct: 65, subscribers: 200 },
    },
  });
}
