/**
 * Every command's HTTP path under `/complaints/:id/`, as data: the routes are generated from this
 * table, and `satisfies` makes a new command without a path a compile error.
 */
import type { CommandName } from '../../domain/complaint';
import type { OutsideEventName } from '../../domain/outside-events';

export const commandPaths = {
  judgeValidity: 'validity-judgment',
  recordFindings: 'findings',
  handOverToDepartment: 'handovers',
  proposeRemedies: 'remedy-proposals',
  requireConsultation: 'consultation',
  recordConsultation: 'consultation-opinions',
  approveRemedy: 'remedy-approval',
  returnRemedies: 'remedy-returns',
  recordCustomerAnswer: 'customer-answer',
  recordCallback: 'callback',
  disputeJudgment: 'disputes',
  withdraw: 'withdrawal',
  addNote: 'notes',
  recordContact: 'contacts',
  reassignOwner: 'owner',
  escalate: 'escalations',
  reclassify: 'classification',
  confirmServiceRestored: 'service-restoration',
  applyPolicy: 'policy',
  applyCalendar: 'calendar',
  approveRuleChange: 'rule-change-approval',
} as const satisfies { [C in CommandName]: string };

/** The table as `[command, path]` pairs. */
export const commandRoutes = Object.entries(commandPaths) as Array<[CommandName, string]>;

/** Every outside event's HTTP path under `/complaints/:id/events/`. */
export const outsideEventPaths = {
  repeatContact: 'repeat-contact',
  externalReferral: 'referral',
  dispatchAcknowledged: 'dispatch-acknowledgement',
  settlementConfirmed: 'settlement-confirmation',
} as const satisfies { [E in OutsideEventName]: string };

export const outsideEventRoutes = Object.entries(outsideEventPaths) as Array<[OutsideEventName, string]>;
