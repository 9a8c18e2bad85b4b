/**
 * The scorecard's lines and shape: per unit the items, deductions, rank, emergency seats, bonus
 * and the partners' suspension and termination decisions; the partners' takeover charges.
 */
import type { UnitKind } from './assessment';

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
