/**
 * The monthly 100-point customer-service scorecard of seed 000 §4 (docs/rules.md), per department and
 * per partner (SP), every deduction itemised; the bottom ten charged emergency-seat fees (000 §5);
 * the charges partners bear for complaints the platform took over (000 §6).
 *
 * Pure: the figures come from archived complaints (`ComplaintFacts`) plus the inputs the complaint
 * records cannot hold (hotline availability, sampled answer rate, subscriber counts), which are
 * data in config/assessment.json. The seeds' numbers live there too, validated here.
 */
import { z } from 'zod';
import { channels, departments as knownDepartments, urgentReasons, type ComplaintSource } from '../domain/complaint';
import { inPeriod, isBreached, resolutionRate, responsibleDepartments, type ComplaintFacts } from './reports';

// ---- The assessment window (000 §4.2: 上月21日零时至本月20日24时) ----

/** Asia/Shanghai, UTC+08:00, has no daylight saving: a fixed offset is exact. */
export const SHANGHAI_OFFSET_MINUTES = 480;

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Whether `month` is a 'YYYY-MM' string. */
export function isAssessmentMonth(month: string): boolean {
  return monthPattern.test(month);
}

/**
 * The assessment window of `month` ('YYYY-MM'): [21st of the previous month 00:00, 21st of this
 * month 00:00) local time (000: from the 21st of last month 0:00 to the 20th of this month 24:00).
 */
export function assessmentWindow(month: string, tzOffsetMinutes: number = SHANGHAI_OFFSET_MINUTES): { month: string; from: Date; to: Date } {
  const m = monthPattern.exec(month);
  if (!m) throw new RangeError(`Not an assessment month (YYYY-MM): ${month}`);
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  const offsetMs = tzOffsetMinutes * 60_000;
  // Date.UTC carries month -1 over into December of the year before.
  return {
    month,
    from: new Date(Date.UTC(year, index - 1, 21) - offsetMs),
    to: new Date(Date.UTC(year, index, 21) - offsetMs),
  };
}

/** The assessment month whose window holds `instant` (from the 21st on, it is next month's). */
export function assessmentMonthOf(instant: Date, tzOffsetMinutes: number = SHANGHAI_OFFSET_MINUTES): string {
  const local = new Date(instant.getTime() + tzOffsetMinutes * 60_000);
  let year = local.getUTCFullYear();
  let month = local.getUTCMonth() + 1;
  if (local.getUTCDate() >= 21) {
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The month `n` months before (negative: after) `month`. */
export function shiftMonth(month: string, n: number): string {
  const m = monthPattern.exec(month);
  if (!m) throw new RangeError(`Not an assessment month (YYYY-MM): ${month}`);
  const total = Number(m[1]) * 12 + Number(m[2]) - 1 - n;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`;
}

// ---- The assessment configuration ----

export const unitKinds = ['department', 'partner'] as const;
export type UnitKind = (typeof unitKinds)[number];

/** The figures about a department or partner that complaint records do not hold. */
const unitInputSchema = z
  .object({
    /** 000 §3a(1): a 7×24 fixed customer-service line (not an extension). */
    hotline24x7: z.boolean().optional(),
    /** 000 §3a(1),(3): a mobile contact number that is never switched off or forwarded. */
    mobileContact24x7: z.boolean().optional(),
    /** 000 §4 note: a customer reported the hotline unreachable within the agreed time. */
    hotlineReportedUnreachable: z.boolean().optional(),
    /** 000 §4 note: a contact number, contact person or fax changed without notice. */
    contactChangeUnnotified: z.boolean().optional(),
    /** 000 §4 note: the call connection rate (%); below the floor voids both availability items. */
    connectionRatePct: z.number().min(0).max(100).optional(),
    /** 000 §4.4: answered by a person within 15 s ÷ sampled calls (%). */
    answerTimelinessPct: z.number().min(0).max(100).optional(),
    /** 000 §4.7: the users the complaint rate divides by. */
    subscribers: z.int().positive().optional(),
    /** 000 §4.8: the bonus (1–5, 视可加分) this unit gets if it ranks in the top three twice in a row. */
    topThreeBonusPoints: z.number().min(0).max(5).optional(),
    /** 000 §2d: cooperation is suspended (暂时停止合作): new transferred complaints stay with the platform. */
    suspended: z.boolean().optional(),
    /** 000 §2d: the business revenue (业务收入) the partner's services bring in one assessment month, in fen. */
    monthlyRevenueFen: z.int().nonnegative().optional(),
  })
  .strict();
export type UnitInputs = z.infer<typeof unitInputSchema>;

const points = z.number().nonnegative();

export const assessmentSchema = z
  .object({
    /** Local time of the assessment window, minutes east of UTC (Asia/Shanghai: 480). */
    timeZoneOffsetMinutes: z.int().min(-720).max(840),
    rules: z.object({
      source: z.string().min(1),
      hotline: z.object({ points }),
      mobileContact: z.object({ points }),
      connectionRateFloorPct: z.number().min(0).max(100),
      serviceComplaints: z.object({
        points,
        deductions: z.object({ phone: points, letter: points, carrier: points, media: points, regulator: points }),
      }),
      answerTimeliness: z.object({ points, targetPct: z.number().min(0).max(100), perPointBelow: points }),
      handlingTime: z.object({ points, perOverdueCase: points }),
      resolutionRate: z.object({ points, targetPct: z.number().min(0).max(100), perPointBelow: points }),
      complaintRate: z.object({ points, targetPct: z.number().min(0).max(100), perPointAbove: points }),
    }),
    /** How a complaint's channel counts in the service-complaints item: a phone or a written complaint. */
    channelClass: z.record(z.enum(channels), z.enum(['phone', 'letter'])),
    /** The clocks whose breach makes a case overdue in the handling-time item, per kind of unit. */
    overdueClocks: z.object({ department: z.array(z.string().min(1)), partner: z.array(z.string().min(1)) }),
    emergencySeats: z.object({
      /** The kinds of unit charged (000 §5 charges SPs). */
      appliesTo: z.array(z.enum(unitKinds)),
      /** How many of the lowest scores are flagged (000 §5: the bottom 10). */
      bottomCount: z.int().positive(),
      /** Seats charged by position from the bottom (000 §5: 1–5 two seats, 6–10 one seat). */
      tiers: z.array(z.object({ fromBottom: z.int().positive(), toBottom: z.int().positive(), seats: z.int().nonnegative() })),
      /** The service centre's cost of one seat for the month, in fen (deployment data). */
      seatCostFen: z.int().nonnegative(),
      /** 000 §5: charged at 120% of the seat cost. */
      costMultiplier: z.number().nonnegative(),
    }),
    /** 000 §4.8: 连续两次考核得前3名者视可加分1~5分. Absent: no bonus. */
    topThreeBonus: z
      .object({
        source: z.string().min(1),
        appliesTo: z.array(z.enum(unitKinds)),
        /** Ranked at or above this place ... */
        topN: z.int().positive(),
        /** ... in this many consecutive assessments (this month included). */
        consecutive: z.int().min(2),
        /** The award when the unit's own `topThreeBonusPoints` is not configured (1..5). */
        defaultPoints: z.number().min(1).max(5),
      })
      .optional(),
    /** 000 §2d: a partner with mass complaints (大批用户强烈投诉) may be suspended. Absent: never proposed. */
    partnerSuspension: z
      .object({
        source: z.string().min(1),
        /** Upheld complaints from this many different customers against one partner ... */
        customers: z.int().positive(),
        /** ... submitted within this many days, propose suspending it. */
        withinDays: z.int().positive(),
        /** One upheld complaint of these urgent kinds against the partner also does (恶劣社会影响). */
        urgentReasons: z.array(z.enum(urgentReasons)).default([]),
      })
      .optional(),
    /**
     * 000 §2d: 由SP业务造成的客服成本已高于该SP业务所带来业务收入时,将终止与其的合作: when the customer-service
     * cost a partner's business causes exceeds the revenue it brings, terminating the partnership is
     * recommended. Absent: never recommended.
     */
    partnerTermination: z
      .object({
        source: z.string().min(1),
        /** What handling one complaint costs the service centre, in fen (deployment data). */
        handlingCostPerComplaintFen: z.int().nonnegative(),
      })
      .optional(),
    defaults: z.object({ department: unitInputSchema, partner: unitInputSchema }),
    departments: z.record(z.string().min(1), unitInputSchema).default({}),
    partners: z.record(z.string().min(1), unitInputSchema).default({}),
    /**
     * Figures in this file that are placeholders, not the deployment's real numbers (e.g.
     * "emergencySeats.seatCostFen"): the scorecard, its API answer and the report page say so.
     */
    placeholders: z.array(z.object({ path: z.string().min(1), note: z.string().min(1) })).default([]),
  })
  .refine((a) => channels.every((c) => a.channelClass[c] !== undefined), {
    message: `channelClass names every channel (${channels.join(', ')})`,
    path: ['channelClass'],
  });
export type Assessment = z.infer<typeof assessmentSchema>;

/** Validates an assessment configuration; the message names the file and each bad field. */
export function parseAssessment(raw: unknown, source = 'assessment'): Assessment {
  const parsed = assessmentSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(`Invalid assessment configuration ${source}:\n${problems}`);
  }
  return parsed.data;
}

// ---- The scorecard ----

export const scoreItemKeys = [
  'hotline',
  'mobileContact',
  'serviceComplaints',
  'answerTimeliness',
  'handlingTime',
  'resolutionRate',
  'complaintRate',
] as const;
export type ScoreItemKey = (typeof scoreItemKeys)[number];

/** The scorecard lines as the seed names them (000 §4 table). */
export const scoreItemTitles: Record<ScoreItemKey, string> = {
  hotline: '7×24 customer hotline (提供客户电话服务时间)',
  mobileContact: '7×24 mobile contact (提供移动联系电话时间)',
  serviceComplaints: 'Service complaints (服务申告)',
  answerTimeliness: 'Answer timeliness (电话应答及时率)',
  handlingTime: 'Handling time (处理时限)',
  resolutionRate: 'Resolution rate (处理落实率)',
  complaintRate: 'Complaint rate (投诉率)',
};

/** One deduction: which rule, how many times (cases or percentage points), how many points. */
export interface Deduction {
  rule: string;
  count: number;
  pointsEach: number;
  points: number;
  complaintIds?: string[];
}

export interface ScoreItem {
  key: ScoreItemKey;
  title: string;
  maxPoints: number;
  /** maxPoints − deductions, never below 0: a line cannot take points from another. */
  points: number;
  deductions: Deduction[];
  /** The figure the line is judged on, e.g. "3/4 resolved = 75%", or "not measured: ...". */
  measure: string;
  /**
   * False when the input the line needs is missing: no figure is substituted, no deduction taken
   * (000 deducts for an observed shortfall), and the line says "not measured" wherever shown.
   */
  measured: boolean;
}

/** 000 §4.8: the bonus for ranking in the top three in consecutive assessments. */
export interface ScoreBonus {
  points: number;
  rule: string;
  /** The unit's rank in each of the consecutive months, oldest first. */
  ranks: Array<{ month: string; rank: number }>;
}

/** 000 §2d: whether a partner's mass complaints call for suspending cooperation. */
export interface SuspensionDecision {
  partner: string;
  suspend: boolean;
  /** Why, in words; empty when not. */
  reasons: string[];
  /** The upheld complaints counted, and their distinct customers. */
  complaintIds: string[];
  customers: number;
}

/**
 * 000 §2d: the customer-service cost a partner's business caused in the window, against the
 * revenue it brings. Every part is itemised; without a configured revenue nothing is recommended.
 */
export interface TerminationDecision {
  partner: string;
  /** Recommend terminating the partnership (终止合作): cost above revenue. */
  terminate: boolean;
  /** Whether the partner's monthly revenue is configured (otherwise: not measured, no recommendation). */
  measured: boolean;
  revenueFen?: number;
  costFen: number;
  costs: {
    /** Complaints against the partner submitted in the window. */
    complaints: number;
    /** complaints × the configured handling cost of one complaint. */
    handlingFen: number;
    /** Refunds, fee reductions and compensation carried out on its complaints the partner settled itself. */
    compensationFen: number;
    /** Complaints the platform took over: refund + postage and tax + 30% handling fee (000 §6). */
    takeoverChargesFen: number;
    /** The emergency-seat fee it is charged this month (000 §5). */
    emergencySeatFeeFen: number;
  };
  /** Why, in words. */
  reason: string;
}

export interface UnitScore {
  kind: UnitKind;
  unit: string;
  score: number;
  /** 1 = best within its kind. */
  rank: number;
  /** 1 = lowest score within its kind. */
  positionFromBottom: number;
  bottomTen: boolean;
  emergencySeats: number;
  emergencySeatFeeFen: number;
  complaints: number;
  items: ScoreItem[];
  /** Inputs config/assessment.json should give and does not. */
  missingInputs: string[];
  /** The lines not measured for lack of input (their points are not a measurement). */
  notMeasured: ScoreItemKey[];
  /** Whether config/assessment.json configures this unit; an unconfigured partner is not charged seats. */
  configured: boolean;
  /** 000 §4.8: awarded on top of `score`. */
  bonus?: ScoreBonus;
  /** score + bonus. */
  totalScore: number;
  /** 000 §2d: partners only. */
  suspension?: SuspensionDecision & { inForce: boolean };
  /** 000 §2d: partners only, when the rule is configured. */
  termination?: TerminationDecision;
}

export interface PartnerCharges {
  partner: string;
  cases: number;
  complaintIds: string[];
  refundFen: number;
  costsFen: number;
  handlingFeeFen: number;
  totalFen: number;
}

export interface Scorecard {
  month: string;
  window: { from: string; to: string };
  departments: UnitScore[];
  partners: UnitScore[];
  /** 000 §6: refunds the platform made for partners, charged with costs and a 30% handling fee. */
  partnerCharges: PartnerCharges[];
  /** Figures of the configuration that are placeholders (shown with the scorecard, never hidden). */
  placeholders: Array<{ path: string; note: string }>;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function fmtPct(x: number): string {
  return `${round2(x)}%`;
}

function item(key: ScoreItemKey, maxPoints: number, deductions: Deduction[], measure: string, measured = true): ScoreItem {
  const lost = deductions.reduce((s, d) => s + d.points, 0);
  return { key, title: scoreItemTitles[key], maxPoints, points: round2(Math.max(0, maxPoints - lost)), deductions, measure, measured };
}

/** "−2 per percentage point below": proportional, so 79.5% against 80% loses 1 point. */
function rateDeduction(rule: string, shortfallPoints: number, perPoint: number): Deduction[] {
  if (shortfallPoints <= 0) return [];
  const count = round2(shortfallPoints);
  if (count === 0) return [];
  return [{ rule, count, pointsEach: perPoint, points: round2(count * perPoint) }];
}

/** The complaints of the window that count against a unit. */
function attributed(kind: UnitKind, unit: string, facts: readonly ComplaintFacts[]): ComplaintFacts[] {
  return kind === 'partner' ? facts.filter((f) => f.partner === unit) : facts.filter((f) => responsibleDepartments(f).includes(unit));
}

type ServiceClass = 'regulator' | 'media' | 'carrier' | 'letter' | 'phone';

const serviceClassRules: Record<ServiceClass, string> = {
  regulator: 'regulator notice (上级通报)',
  media: 'media exposure (媒体曝光)',
  carrier: 'carrier complaint: transferred from a carrier branch (通信公司投诉)',
  letter: 'letter / written complaint (来信投诉)',
  phone: 'phone complaint (电话投诉)',
};

/**
 * The one class a complaint is charged at: the gravest that applies, by who brought it (000 §4):
 * a regulator or the media (also when the urgent reason says so), a carrier company, else the
 * customer's channel (phone or letter). Being transferred to a partner says nothing of the source:
 * our own service centre transfers complaints too. A record without a source is the customer's.
 */
function serviceClass(f: ComplaintFacts, a: Assessment): ServiceClass {
  const source: ComplaintSource = f.source ?? 'customer';
  if (source === 'regulator' || f.urgentReason === 'regulator-referral') return 'regulator';
  if (source === 'media' || f.urgentReason === 'media-exposure') return 'media';
  if (source === 'carrier') return 'carrier';
  return a.channelClass[f.channel] ?? 'phone';
}

/** 000 §4: a service complaint is one caused by poor reception or handling (接待、处理不当), as the findings say. */
function poorHandling(f: ComplaintFacts): boolean | undefined {
  const said = f.departments.filter((d) => d.responsible && d.poorHandling !== undefined);
  if (said.some((d) => d.poorHandling === true)) return true;
  return said.length ? false : undefined;
}

type BaseScore = Omit<UnitScore, 'rank' | 'positionFromBottom' | 'bottomTen' | 'emergencySeats' | 'emergencySeatFeeFen' | 'totalScore' | 'bonus' | 'suspension'>;

function scoreUnit(kind: UnitKind, unit: string, facts: readonly ComplaintFacts[], a: Assessment): BaseScore {
  const r = a.rules;
  const configured = kind === 'partner' ? a.partners[unit] : a.departments[unit];
  const input: UnitInputs = { ...a.defaults[kind], ...configured };
  const mine = attributed(kind, unit, facts);
  const missingInputs: string[] = [];
  const items: ScoreItem[] = [];

  // 000 §4 note: a connection rate below 70% voids both availability lines.
  const lowConnection = input.connectionRatePct !== undefined && input.connectionRatePct < r.connectionRateFloorPct;
  const lowConnectionRule = `connection rate ${input.connectionRatePct}% below ${r.connectionRateFloorPct}% (接通率<70%)`;

  // 4 points: a 7×24 hotline, else none (未按要求执行不得分).
  {
    const d: Deduction[] = [];
    if (input.hotline24x7 === undefined) missingInputs.push('hotline24x7');
    if (input.hotline24x7 !== true) d.push({ rule: input.hotline24x7 === undefined ? 'no 7×24 hotline on record' : 'no 7×24 hotline', count: 1, pointsEach: r.hotline.points, points: r.hotline.points });
    else if (input.hotlineReportedUnreachable) d.push({ rule: 'customer reported the hotline unreachable (联系不上)', count: 1, pointsEach: r.hotline.points, points: r.hotline.points });
    else if (lowConnection) d.push({ rule: lowConnectionRule, count: 1, pointsEach: r.hotline.points, points: r.hotline.points });
    items.push(item('hotline', r.hotline.points, d, input.hotline24x7 ? '7×24' : 'not 7×24'));
  }
  // 6 points: a 7×24 mobile contact, else none.
  {
    const d: Deduction[] = [];
    const max = r.mobileContact.points;
    if (input.mobileContact24x7 === undefined) missingInputs.push('mobileContact24x7');
    if (input.mobileContact24x7 !== true) d.push({ rule: input.mobileContact24x7 === undefined ? 'no 7×24 mobile contact on record' : 'no 7×24 mobile contact', count: 1, pointsEach: max, points: max });
    else if (input.contactChangeUnnotified) d.push({ rule: 'contact details changed without notice (改动未及时通知)', count: 1, pointsEach: max, points: max });
    else if (lowConnection) d.push({ rule: lowConnectionRule, count: 1, pointsEach: max, points: max });
    items.push(item('mobileContact', max, d, input.mobileContact24x7 ? '7×24' : 'not 7×24'));
  }
  // 20 points, target 0 complaints: −2 phone, −4 letter, −10 carrier, −16 media, −20 regulator,
  // per upheld complaint caused by poor reception or handling (000: 由于接待、处理不当引起), each at
  // its gravest class. Upheld complaints whose findings do not say are listed, not charged.
  {
    const upheldAll = mine.filter((f) => f.upheld === true);
    const upheld = upheldAll.filter((f) => poorHandling(f) === true);
    const undetermined = upheldAll.filter((f) => poorHandling(f) === undefined).map((f) => f.complaintId).sort();
    const byClass = new Map<ServiceClass, string[]>();
    for (const f of upheld) {
      const c = serviceClass(f, a);
      byClass.set(c, [...(byClass.get(c) ?? []), f.complaintId]);
    }
    const order: ServiceClass[] = ['regulator', 'media', 'carrier', 'letter', 'phone'];
    const d: Deduction[] = order
      .filter((c) => byClass.has(c))
      .map((c) => {
        const ids = byClass.get(c)!.sort();
        const each = r.serviceComplaints.deductions[c];
        return { rule: serviceClassRules[c], count: ids.length, pointsEach: each, points: ids.length * each, complaintIds: ids };
      });
    const notSaid = undetermined.length ? `; ${undetermined.length} upheld without a finding on handling (${undetermined.join(', ')})` : '';
    items.push(item('serviceComplaints', r.serviceComplaints.points, d, `${upheld.length} of ${upheldAll.length} upheld complaint(s) caused by poor handling${notSaid}`));
  }
  // 6 points: ≥80% answered in time, −2 per point below (000 §4.4: answered by a person within
  // 15 s ÷ sampled calls). The sampled figure is an input; without it the line is not measured
  // (the reply clock measures something else and does not stand in).
  {
    const t = r.answerTimeliness;
    if (input.answerTimelinessPct !== undefined) {
      const rate = input.answerTimelinessPct;
      const d = rateDeduction(`below ${t.targetPct}% answered in time, per point (每下降1%)`, t.targetPct - rate, t.perPointBelow);
      items.push(item('answerTimeliness', t.points, d, `${fmtPct(rate)} answered within 15 s (sampled)`));
    } else {
      missingInputs.push('answerTimelinessPct');
      items.push(item('answerTimeliness', t.points, [], 'not measured: no sampled answer rate (answerTimelinessPct)', false));
    }
  }
  // 20 points: −2 per overdue case (一个超时扣2分).
  {
    const clocks = a.overdueClocks[kind];
    const overdue = mine
      .filter((f) => f.clocks.some((c) => clocks.includes(c.name) && isBreached(c)))
      .map((f) => f.complaintId)
      .sort();
    const each = r.handlingTime.perOverdueCase;
    const d: Deduction[] = overdue.length
      ? [{ rule: `overdue case: ${clocks.join(' or ')} clock breached`, count: overdue.length, pointsEach: each, points: overdue.length * each, complaintIds: overdue }]
      : [];
    items.push(item('handlingTime', r.handlingTime.points, d, `${overdue.length} overdue of ${mine.length}`));
  }
  // 30 points: 100% settled, −2 per point below. Withdrawn complaints are out of the count; a
  // complaint the platform took over from the partner counts as not settled (000 §4 note).
  {
    const t = r.resolutionRate;
    // One definition with the resolution report (reports.ts `resolutionRate`).
    const rr = resolutionRate(mine, { takenOverUnsettled: kind === 'partner' });
    const rate = rr.counted === 0 ? 100 : (100 * rr.settled) / rr.counted;
    const d = rateDeduction(`below ${t.targetPct}% settled, per point (每下降1%)`, t.targetPct - rate, t.perPointBelow);
    if (d[0] && rr.notSettled.length) d[0].complaintIds = rr.notSettled;
    items.push(item('resolutionRate', t.points, d, `${rr.settled}/${rr.counted} settled = ${fmtPct(rate)}`));
  }
  // 14 points: 0% complaint rate, −2 per point above; complaints ÷ subscribers.
  {
    const t = r.complaintRate;
    if (input.subscribers === undefined) {
      missingInputs.push('subscribers');
      items.push(item('complaintRate', t.points, [], `not measured: ${mine.length} complaint(s), no subscriber count (subscribers)`, false));
    } else {
      const rate = (100 * mine.length) / input.subscribers;
      const d = rateDeduction(`above ${t.targetPct}% complaint rate, per point (每上升1%)`, rate - t.targetPct, t.perPointAbove);
      items.push(item('complaintRate', t.points, d, `${mine.length}/${input.subscribers} = ${fmtPct(rate)}`));
    }
  }
  const score = round2(items.reduce((s, i) => s + i.points, 0));
  return {
    kind,
    unit,
    score,
    complaints: mine.length,
    items,
    missingInputs,
    notMeasured: items.filter((i) => !i.measured).map((i) => i.key),
    configured: configured !== undefined,
  };
}

/** Ranks one kind's units: best first; positions from the bottom decide the emergency seats. */
function rank(units: BaseScore[], a: Assessment): UnitScore[] {
  // Ties are broken by name, so the order (and who pays) is reproducible.
  const ascending = [...units].sort((x, y) => x.score - y.score || x.unit.localeCompare(y.unit));
  const seats = a.emergencySeats;
  return ascending
    .map((u, i) => {
      const positionFromBottom = i + 1;
      // An unconfigured partner has only placeholder inputs: flagged, not charged.
      const charged = seats.appliesTo.includes(u.kind) && positionFromBottom <= seats.bottomCount && (u.kind !== 'partner' || u.configured);
      const tier = seats.tiers.find((t) => positionFromBottom >= t.fromBottom && positionFromBottom <= t.toBottom);
      const emergencySeats = charged ? (tier?.seats ?? 0) : 0;
      return {
        ...u,
        rank: ascending.length - i,
        positionFromBottom,
        bottomTen: charged,
        emergencySeats,
        emergencySeatFeeFen: Math.round(emergencySeats * seats.seatCostFen * seats.costMultiplier),
        totalScore: u.score,
      };
    })
    .reverse();
}

/**
 * The scorecard of `month` over the complaints submitted in its window. Departments: every known
 * department plus any configured or seen; partners: every partner configured or seen in the window.
 */
export function scorecard(allFacts: readonly ComplaintFacts[], a: Assessment, month: string): Scorecard {
  const card = rankedScorecard(allFacts, a, month);
  const bonus = a.topThreeBonus;
  if (bonus) {
    // 000 §4.8: top three in `consecutive` assessments in a row, this one included. A previous
    // month with no complaints at all in its window counts as not assessed (no data, no ranking).
    const earlier = Array.from({ length: bonus.consecutive - 1 }, (_, i) => shiftMonth(month, i + 1))
      .reverse()
      .map((m) => ({ month: m, card: rankedScorecard(allFacts, a, m), assessed: inPeriod(allFacts, assessmentWindow(m, a.timeZoneOffsetMinutes)).length > 0 }));
    for (const kind of bonus.appliesTo) {
      for (const u of kind === 'partner' ? card.partners : card.departments) {
        const ranks = [
          ...earlier.map((e) => ({ month: e.month, rank: e.assessed ? (kind === 'partner' ? e.card.partners : e.card.departments).find((x) => x.unit === u.unit)?.rank : undefined })),
          { month, rank: u.rank },
        ];
        if (ranks.every((r) => r.rank !== undefined && r.rank <= bonus.topN)) {
          const configured = (kind === 'partner' ? a.partners : a.departments)[u.unit]?.topThreeBonusPoints;
          const points = configured ?? bonus.defaultPoints;
          u.bonus = { points, rule: `top ${bonus.topN} in ${bonus.consecutive} assessments in a row (连续两次考核得前3名, +1~5)`, ranks: ranks as Array<{ month: string; rank: number }> };
          u.totalScore = round2(u.score + points);
        }
      }
    }
  }
  return card;
}

/** One month's scorecard, ranked, without the cross-month bonus. */
function rankedScorecard(allFacts: readonly ComplaintFacts[], a: Assessment, month: string): Scorecard {
  const window = assessmentWindow(month, a.timeZoneOffsetMinutes);
  const facts = inPeriod(allFacts, window);
  const deptNames = [...new Set<string>([...knownDepartments, ...Object.keys(a.departments), ...facts.flatMap(responsibleDepartments)])];
  const partnerNames = [...new Set<string>([...Object.keys(a.partners), ...facts.flatMap((f) => (f.partner ? [f.partner] : []))])].sort();
  const suspension = a.partnerSuspension;

  const charges = new Map<string, PartnerCharges>();
  for (const f of facts) {
    if (!f.charge) continue;
    const c = charges.get(f.charge.partner) ?? { partner: f.charge.partner, cases: 0, complaintIds: [], refundFen: 0, costsFen: 0, handlingFeeFen: 0, totalFen: 0 };
    c.cases += 1;
    c.complaintIds.push(f.complaintId);
    c.refundFen += f.charge.refundFen;
    c.costsFen += f.charge.costsFen;
    c.handlingFeeFen += f.charge.handlingFeeFen;
    c.totalFen += f.charge.totalFen;
    charges.set(f.charge.partner, c);
  }
  return {
    month,
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    departments: rank(deptNames.map((d) => scoreUnit('department', d, facts, a)), a),
    partners: rank(partnerNames.map((p) => scoreUnit('partner', p, facts, a)), a).map((u) => {
      const inForce = a.partners[u.unit]?.suspended === true;
      if (!suspension && !inForce) return u;
      const decision = suspension
        ? suspensionInWindow(facts, u.unit, suspension)
        : { partner: u.unit, suspend: false, reasons: [], complaintIds: [], customers: 0 };
      return { ...u, suspension: { ...decision, inForce } };
    }).map((u) => (a.partnerTermination ? { ...u, termination: partnerTermination(facts, u, a.partners[u.unit]?.monthlyRevenueFen, a.partnerTermination) } : u)),
    partnerCharges: [...charges.values()].map((c) => ({ ...c, complaintIds: c.complaintIds.sort() })).sort((x, y) => x.partner.localeCompare(y.partner)),
    placeholders: a.placeholders,
  };
}

export type PartnerSuspensionRule = NonNullable<Assessment['partnerSuspension']>;

/**
 * 000 §2d: whether to suspend cooperation with `partner` (当出现大批用户强烈投诉 ... 或造成恶劣社会影响时,
 * 将暂时停止与SP的合作): upheld complaints against it from at least `rule.customers` different
 * customers submitted in the `rule.withinDays` days up to `now`, or one upheld complaint with one of
 * `rule.urgentReasons` (a mass complaint, a bad social impact) in that time. Complaints judged not
 * upheld or withdrawn do not count. Pure: a manager decides, then sets `suspended` in the configuration.
 */
export function partnerSuspension(facts: readonly ComplaintFacts[], partner: string, rule: PartnerSuspensionRule, now: Date): SuspensionDecision {
  const from = now.getTime() - rule.withinDays * 86_400_000;
  const against = facts.filter((f) => {
    const t = Date.parse(f.submittedAt);
    return f.partner === partner && f.upheld === true && f.outcome !== 'withdrawn' && t >= from && t < now.getTime();
  });
  const customers = new Set(against.map((f) => f.customerId)).size;
  const reasons: string[] = [];
  if (customers >= rule.customers) {
    reasons.push(`upheld complaints from ${customers} customers in ${rule.withinDays} days (threshold ${rule.customers}: 大批用户强烈投诉)`);
  }
  const grave = against.filter((f) => f.urgentReason !== undefined && rule.urgentReasons.includes(f.urgentReason));
  if (grave.length) reasons.push(`${grave.map((f) => `${f.complaintId} (${f.urgentReason})`).join(', ')}: 恶劣社会影响`);
  return { partner, suspend: reasons.length > 0, reasons, complaintIds: against.map((f) => f.complaintId).sort(), customers };
}

/**
 * The suspension decision over an assessment window: the first moment (each complaint's arrival)
 * at which the rule's days held enough to suspend, else the decision at the last complaint.
 */
function suspensionInWindow(facts: readonly ComplaintFacts[], partner: string, rule: PartnerSuspensionRule): SuspensionDecision {
  const times = facts.filter((f) => f.partner === partner).map((f) => Date.parse(f.submittedAt) + 1).sort((x, y) => x - y);
  let last: SuspensionDecision = { partner, suspend: false, reasons: [], complaintIds: [], customers: 0 };
  for (const t of times) {
    last = partnerSuspension(facts, partner, rule, new Date(t));
    if (last.suspend) return last;
  }
  return last;
}

/**
 * 000 §2d, at intake: a complaint to be transferred to a suspended partner stays with the platform
 * (a direct complaint, the partner still named so the scorecard attributes it). Anything else is
 * returned unchanged.
 */
export function routeIntakeAroundSuspension<T extends { kind: 'direct' | 'transferred'; partner?: string }>(
  intake: T,
  isSuspended: (partner: string) => boolean,
): { intake: T; keptByPlatform: boolean } {
  if (intake.kind !== 'transferred' || !intake.partner || !isSuspended(intake.partner)) return { intake, keptByPlatform: false };
  return { intake: { ...intake, kind: 'direct' }, keptByPlatform: true };
}

export type PartnerTerminationRule = NonNullable<Assessment['partnerTermination']>;

/**
 * 000 §2d: whether to recommend terminating the partnership with `unit.unit` over one assessment
 * window: the customer-service cost its business caused (handling its complaints, the money paid
 * out on them, the takeover charges, the emergency-seat fee) against the revenue it brings in a
 * month. Strictly above (已高于) recommends; equal does not. Pure: a manager decides.
 */
export function partnerTermination(
  facts: readonly ComplaintFacts[],
  unit: Pick<UnitScore, 'unit' | 'emergencySeatFeeFen'>,
  monthlyRevenueFen: number | undefined,
  rule: PartnerTerminationRule,
): TerminationDecision {
  const mine = facts.filter((f) => f.partner === unit.unit);
  // Money that left because of its complaints: a takeover is counted once, at what it was charged.
  const compensationFen = mine.filter((f) => !f.charge && f.remedyImplemented).reduce((sum, f) => sum + (f.remedy?.amountFen ?? 0), 0);
  const takeoverChargesFen = mine.reduce((sum, f) => sum + (f.charge?.totalFen ?? 0), 0);
  const costs = {
    complaints: mine.length,
    handlingFen: mine.length * rule.handlingCostPerComplaintFen,
    compensationFen,
    takeoverChargesFen,
    emergencySeatFeeFen: unit.emergencySeatFeeFen,
  };
  const costFen = costs.handlingFen + costs.compensationFen + costs.takeoverChargesFen + costs.emergencySeatFeeFen;
  if (monthlyRevenueFen === undefined) {
    return { partner: unit.unit, terminate: false, measured: false, costFen, costs, reason: `not measured: partners.${unit.unit}.monthlyRevenueFen is not configured` };
  }
  const terminate = costFen > monthlyRevenueFen;
  return {
    partner: unit.unit,
    terminate,
    measured: true,
    revenueFen: monthlyRevenueFen,
    costFen,
    costs,
    reason: terminate
      ? `customer-service cost ${costFen} fen is above the revenue of ${monthlyRevenueFen} fen: terminate partnership recommended (客服成本已高于业务收入)`
      : `customer-service cost ${costFen} fen is within the revenue of ${monthlyRevenueFen} fen`,
  };
}
