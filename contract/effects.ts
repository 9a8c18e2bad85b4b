/**
 * The messages a complaint sends to the outside world: what each effect of the ledger carries to
 * its port, and a command sent without waiting as it goes back to its complaint. Every message
 * carries an idempotency key derived from the complaint and the effect, so a retried effect is
 * applied once. Shared by the workflow (which builds them), the activities and the archive.
 */
import type { CommandName, ComplaintKind, CustomerTier, Department, RemedyKind } from '../domain/complaint';
import type { ComplaintState, RejectionKind, TimelineEvent } from '../domain/case-state';
import type { NoticeKind, StaffNoticeKind } from '../domain/effects';
import type { LifecycleEvent } from '../domain/lifecycle-events';

export type { NoticeKind, StaffNoticeKind } from '../domain/effects';

/** What every effect's message carries. */
export interface Effect {
  /** Unique per effect: the receiver applies each key once. */
  idempotencyKey: string;
  complaintId: string;
}

export interface CustomerNotice extends Effect {
  customerId: string;
  contact: { phone?: string; email?: string };
  kind: NoticeKind;
  message: string;
  /** A time promised to the customer in this notice, if any. */
  promisedBy?: string;
}

export interface DepartmentDispatch extends Effect {
  department: Department;
  category: string;
  summary: string;
  customerTier: CustomerTier;
  kind: ComplaintKind;
}

export interface PaymentOrder extends Effect {
  customerId: string;
  kind: Extract<RemedyKind, 'refund' | 'fee-reduction' | 'compensation'>;
  amountFen: number;
  reason: string;
}

export interface ServiceCancellation extends Effect {
  customerId: string;
  service: string;
}

export interface ServiceFixOrder extends Effect {
  department: Department;
  description: string;
  promisedBy: string;
}

export interface PenaltyRecord extends Effect {
  department: Department;
  partyAtFault: string;
  cause: string;
}

/** A message to staff: an escalation reaching a level, an SLA warning, a callback to make. */
export interface StaffNotice extends Effect {
  kind: StaffNoticeKind;
  /** Who must act: a person id or a role's duty address (e.g. supervisor-on-duty). */
  recipient: string;
  escalationLevel: number;
  message: string;
  /** When the recipient should act (e.g. the callback's contact window). */
  actBy?: string;
}

/** A batch of lifecycle events for the subscribers (webhooks). */
export interface LifecycleEventBatch extends Effect {
  events: LifecycleEvent[];
}

export interface ArchiveRecord extends Effect {
  state: ComplaintState;
  timeline: TimelineEvent[];
}

/** A command sent without waiting, as the activity hands it back to its complaint. */
export interface SubmittedCommandRequest {
  complaintId: string;
  /** The update id: the same id is applied once (Temporal deduplicates it). */
  commandId: string;
  name: CommandName;
  /** The command body with its actor. */
  input: Record<string, unknown>;
}

/** How the complaint judged it: applied, or refused with what the synchronous route would have answered. */
export type CommandVerdict = { accepted: true } | { accepted: false; rejection: { kind: RejectionKind; message: string; field?: string } };

/** One effect of a batch, as the workflow hands it to `carryOutEffects`: its ledger key and the port's message. */
export type EffectRequest =
  | { key: string; kind: 'customer-notice'; message: CustomerNotice }
  | { key: string; kind: 'staff-notice'; message: StaffNotice }
  | { key: string; kind: 'department-dispatch'; message: DepartmentDispatch }
  | { key: string; kind: 'service-fix'; message: ServiceFixOrder }
  | { key: string; kind: 'payment'; message: PaymentOrder }
  | { key: string; kind: 'service-cancellation'; message: ServiceCancellation }
  | { key: string; kind: 'penalty'; message: PenaltyRecord }
  | { key: string; kind: 'archive'; message: ArchiveRecord | SameArchiveRecord }
  | { key: string; kind: 'lifecycle-events'; message: LifecycleEventBatch };

/**
 * An archive record the same as an earlier one of its batch (each is the case file as it stands
 * when the batch goes out): the batch carries the case file once, the archive still hears each key.
 */
export interface SameArchiveRecord extends Effect {
  /** The key of the archive effect earlier in the same batch that carries the record. */
  sameRecordAs: string;
}
