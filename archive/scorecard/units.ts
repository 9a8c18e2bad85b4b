/**
 * One department's or partner's score (000 §4): each of the seven lines with its deductions
 * itemised, then the ranking within its kind that decides the emergency seats (000 §5).
 */
import type { ComplaintSource } from '../../domain/complaint';
import { isBreached, resolutionRate, responsibleDepartments, type ComplaintFacts } from '../reports';
import type { Assessment, UnitInputs, UnitKind } from './assessment';
import { scoreItemTitles, type Deduction, type ScoreItem, type ScoreItemKey, type UnitScore } from './types';

/** Rounds to two decimals, as the scorecard shows points. */
export function round2(x: number): number {
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

export type BaseScore = Omit<UnitScore, 'rank' | 'positionFromBottom' | 'bottomTen' | 'emergencySeats' | 'emergencySeatFeeFen' | 'totalScore' | 'bonus' | 'suspension'>;

export function scoreUnit(kind: UnitKind, unit: string, facts: readonly ComplaintFacts[], a: Assessment): BaseScore {
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
  // complaint the platform settled for the partner (took over, or settled after the customer would
  // not accept the partner's handling) counts as not settled (000 §4 note).
  {
    const t = r.resolutionRate;
    // One definition with the resolution report (reports/resolution.ts `resolutionRate`).
    const rr = resolutionRate(mine, { platformSettledUnsettled: kind === 'partner' });
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
export function rank(units: BaseScore[], a: Assessment): UnitScore[] {
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
