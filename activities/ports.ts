/**
 * The outside systems a complaint touches, as small ports taking the messages of
 * `contract/effects.ts`. Each port has a real adapter (HTTP to a configured endpoint, or a local
 * outbox file in development) and tests use in-memory doubles.
 */
import type {
  ArchiveRecord,
  CommandVerdict,
  CustomerNotice,
  DepartmentDispatch,
  LifecycleEventBatch,
  PaymentOrder,
  PenaltyRecord,
  ServiceCancellation,
  ServiceFixOrder,
  StaffNotice,
  SubmittedCommandRequest,
} from '../contract/effects';

export type * from '../contract/effects';

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

/**
 * Erasing customers whose personal data is past the retention period: the archive's customer keys
 * (archive/customer-keys.ts), destroyed as an erasure request would.
 */
export interface PersonalDataRetention {
  /** Customers whose every complaint closed before `closedBefore`, in reference order after `afterRef`. */
  pastRetention(closedBefore: string, limit: number, afterRef?: string): Promise<string[]>;
  /** Erases one customer; `open` when a complaint of theirs is open (again) and holds it back. */
  erase(customerRef: string, reason: string, isStarted: (complaintId: string) => Promise<boolean>): Promise<'erased' | 'open' | 'gone'>;
}

/**
 * Temporal itself, as a port: a signalled command goes back to its complaint as the very update
 * the synchronous route sends, so the update's validator judges it (and replay never does).
 */
export interface CommandPort {
  sendAsUpdate(request: SubmittedCommandRequest): Promise<CommandVerdict>;
}

/** Everything the activities need from the outside world. */
export interface ComplaintPorts {
  /** Absent: the worker builds it from its own connection (worker/worker.ts). */
  commands?: CommandPort;
  customers: CustomerNotifier;
  staff: StaffNotifier;
  lifecycle: LifecyclePublisher;
  departments: DepartmentGateway;
  billing: BillingSystem;
  penalties: PenaltyLedger;
  archive: ComplaintArchive;
  /** Absent (no customer keys in the archive): the retention sweep fails, saying so. */
  retention?: PersonalDataRetention;
}
