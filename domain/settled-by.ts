/**
 * Who settled a complaint transferred to a partner (000 §4, note under the scoring table:
 * 投诉客户不接受相关SP处理人员的处理,最终由我方妥为处理的投诉视为处理未落实): the partner, or the platform
 * when it took the complaint over, or when the customer would not accept the partner's handling
 * and the case went up the platform's ladder before it was settled. A complaint the platform
 * settled counts as not carried out (处理未落实) in the partner's resolution rate. Pure.
 */
import type { EscalationTrigger } from './escalation';
import type { ComplaintKind } from './vocabulary';

export const settlingParties = ['partner', 'platform'] as const;
export type SettlingParty = (typeof settlingParties)[number];

/**
 * The escalations that say the customer did not accept the partner's handling: its remedies
 * rejected (every second rejection escalates), a dissatisfied callback, a disputed judgment.
 */
export const notAcceptedFromPartner: readonly EscalationTrigger[] = ['customer-rejections', 'callback-dissatisfied', 'judgment-disputed'];

/** What the rule needs to know of a complaint: the case file and the archive's facts both have it. */
export interface SettlementFacts {
  kind: ComplaintKind;
  takenOver: boolean;
  escalations: ReadonlyArray<{ trigger: string }>;
}

/** Who settled `f`: undefined for a complaint that was not transferred to a partner. */
export function settlingParty(f: SettlementFacts): SettlingParty | undefined {
  if (f.kind !== 'transferred') return undefined;
  if (f.takenOver) return 'platform';
  return f.escalations.some((e) => (notAcceptedFromPartner as readonly string[]).includes(e.trigger)) ? 'platform' : 'partner';
}
