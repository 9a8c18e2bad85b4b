/**
 * The outside systems a complaint touches, as small ports. Every message carries an idempotency key
 * derived by the workflow from the complaint and the effect, so a retried activity has one effect.
 * Each port has a real adapter (HTTP to a configured endpoint, or a local outbox file in
 * development) and tests use in-memory doubles.
 */
import type { ComplaintKind, CustomerTier, Department, RemedyKind } from '../domain/complaint';
import type { ComplaintState, TimelineEvent } from '../domain/complaint-case';
import type { LifecycleEvent } from '../domain/lifecycle-events';
import type { CustomerNoticeKind } from '../domain/contact';

interface Effect {
  /** Unique per effect: the receiver applies each key once. */
  idempotencyKey: string;
  complaintId: string;
}

/** What the customer is told, and why (003: acknowledge; 001: contact on every step). */
/** The kinds of customer notice (one list, in domain/contact.ts, which the contact window rule names). */
export type NoticeKind = CustomerNoticeKind;

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
  kind: 'escalated' | 'sla-warning' | 'sla-breached' | 'promise-missed' | 'callback-due' | 'taken-over';
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

export interface CustomerNotifier {
  notify(notice: CustomerNotice): Promise<void>;
}
export interface LifecyclePublisher {
  publish(batch: LifecycleEventBatch): Promise<void>;
}
export interface StaffNotifier {
  notify(notice: StaffNotice): Promise<void>;
}
export interface DepartmentGateway {
  dispatch(order: DepartmentDispatch): Promise<void>;
  scheduleFix(order: ServiceFixOrder): Promise<void>;
}
export interface BillingSystem {
  pay(order: PaymentOrder): Promise<{ reference: string }>;
  cancelService(order: ServiceCancellation): Promise<void>;
}
export interface PenaltyLedger {
  record(penalty: PenaltyRecord): Promise<void>;
}
export interface ComplaintArchive {
  archive(record: ArchiveRecord): Promise<void>;
}

/** Everything the activities need from the outside world. */
export interface ComplaintPorts {
  customers: CustomerNotifier;
  staff: StaffNotifier;
  lifecycle: LifecyclePublisher;
  departments: DepartmentGateway;
  billing: BillingSystem;
  penalties: PenaltyLedger;
  archive: ComplaintArchive;
}
