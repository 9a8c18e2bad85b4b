/**
 * The complaint process in one table (docs/process.md): every stage change there is, what causes it,
 * and what the outside world is owed when it happens. The case refuses any stage change that is not
 * a row here, and a unit test holds each row's `owes` to what the case records.
 *
 * Read it top to bottom: it is the process.
 */
import type { Stage } from './complaint';
import type { EffectKind } from './effects';

/** What moves a case: a timeline event of the case, caused by a command, a timer or an effect's outcome. */
export type TransitionEvent =
  | 'judged-upheld'
  | 'judged-not-upheld'
  | 'investigation-complete'
  | 'remedies-proposed'
  | 'remedy-approved'
  | 'remedies-returned'
  | 'customer-accepted'
  | 'customer-rejected'
  | 'remedy-implemented'
  | 'implementation-failed'
  | 'callback-due'
  | 'reopened'
  | 'closed';

export interface Transition {
  from: Stage | 'any-open';
  on: TransitionEvent;
  /** Who or what causes it. */
  by: string;
  to: Stage;
  /**
   * Effects the transition owes (lifecycle events are owed for every published timeline entry).
   * Every stage change owes the archive its record (reports see open complaints as they
   * are); a closing one owes the final record.
   */
  owes: readonly EffectKind[];
}

/** The process. Stages: awaiting-judgment → investigating → proposing → awaiting-approval → awaiting-customer → implementing → awaiting-callback → closed. */
export const transitions: readonly Transition[] = [
  // 001/003: the owner judges validity; upheld goes to the departments, not upheld gets a reasoned reply.
  { from: 'awaiting-judgment', on: 'judged-upheld', by: 'judgeValidity', to: 'investigating', owes: ['department-dispatch', 'customer-notice', 'archive'] },
  { from: 'awaiting-judgment', on: 'judged-not-upheld', by: 'judgeValidity', to: 'not-upheld', owes: ['customer-notice', 'archive'] },
  // 004: a disputed "not upheld" is judged again one level up; silence until the window ends closes it.
  { from: 'not-upheld', on: 'reopened', by: 'disputeJudgment', to: 'awaiting-judgment', owes: ['archive'] },
  { from: 'not-upheld', on: 'closed', by: 'dispute window timer', to: 'closed', owes: ['customer-notice', 'archive'] },
  // 002/003: every responsible department reports its findings (hand-overs owe a new dispatch).
  { from: 'investigating', on: 'investigation-complete', by: 'recordFindings', to: 'proposing', owes: ['archive'] },
  // 003: remedies are proposed and approved within the approver's authority.
  { from: 'proposing', on: 'remedies-proposed', by: 'proposeRemedies', to: 'awaiting-approval', owes: ['archive'] },
  { from: 'awaiting-approval', on: 'remedy-approved', by: 'approveRemedy', to: 'awaiting-customer', owes: ['customer-notice', 'archive'] },
  { from: 'awaiting-approval', on: 'remedies-returned', by: 'returnRemedies', to: 'proposing', owes: ['archive'] },
  // 003/004: the customer signs off, or asks for a better remedy; silence is the policy's to decide.
  { from: 'awaiting-customer', on: 'customer-accepted', by: 'recordCustomerAnswer or silence timer', to: 'implementing', owes: ['archive'] },
  { from: 'awaiting-customer', on: 'customer-rejected', by: 'recordCustomerAnswer', to: 'proposing', owes: ['archive'] },
  // 004: implement (payment, cancellation or fix), penalise the party at fault, tell the customer.
  { from: 'implementing', on: 'callback-due', by: 'implementation done, callback drawn', to: 'awaiting-callback', owes: ['penalty', 'customer-notice', 'staff-notice', 'archive'] },
  { from: 'implementing', on: 'closed', by: 'implementation done, no callback', to: 'closed', owes: ['penalty', 'customer-notice', 'archive'] },
  { from: 'implementing', on: 'implementation-failed', by: 'payment, cancellation or fix refused', to: 'proposing', owes: ['archive'] },
  // 004: the callback; a dissatisfied customer reopens the case one level up.
  { from: 'awaiting-callback', on: 'closed', by: 'recordCallback (satisfied)', to: 'closed', owes: ['customer-notice', 'archive'] },
  { from: 'awaiting-callback', on: 'reopened', by: 'recordCallback (dissatisfied)', to: 'proposing', owes: ['archive'] },
  // Any open stage: the customer withdraws.
  { from: 'any-open', on: 'closed', by: 'withdraw', to: 'closed', owes: ['customer-notice', 'archive'] },
];

/** What the implementation of an accepted remedy owes, by the remedy's kind (on `customer-accepted`). */
export const implementationOwes = {
  refund: ['payment'],
  'fee-reduction': ['payment'],
  compensation: ['payment'],
  'service-cancellation': ['service-cancellation'],
  'service-fix': ['service-fix'],
  explanation: [],
} as const satisfies Record<string, readonly EffectKind[]>;

/** Commands that change no stage but owe effects. */
export const commandsOwing = {
  handOverToDepartment: ['department-dispatch'],
  reassignOwner: ['customer-notice'],
} as const satisfies Record<string, readonly EffectKind[]>;

/** The row that allows moving from `from` to `to` on `on`, if any. */
export function transitionFor(from: Stage, on: string, to: Stage): Transition | undefined {
  return transitions.find((t) => (t.from === from || (t.from === 'any-open' && from !== 'closed')) && t.on === on && t.to === to);
}
