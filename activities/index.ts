/**
 * The complaint's activities: thin adapters from the workflow to the ports. Built by a factory from
 * their dependencies; workflows import the *type* of the result only.
 */
import type {
  ArchiveRecord,
  ComplaintPorts,
  CustomerNotice,
  DepartmentDispatch,
  PaymentOrder,
  PenaltyRecord,
  ServiceCancellation,
  ServiceFixOrder,
  StaffNotice,
  LifecycleEventBatch,
} from './ports';
import { noEffectMetrics, type EffectMetrics } from './metrics';

/** The activities over `ports`; `metrics` counts staff notices and closed complaints (worker/metrics.ts serves them). */
export function createActivities(ports: ComplaintPorts, metrics: EffectMetrics = noEffectMetrics) {
  return {
    /** Tells the customer something about their complaint. */
    async notifyCustomer(notice: CustomerNotice): Promise<void> {
      await ports.customers.notify(notice);
    },
    /** Tells staff what needs them: an escalation, an SLA warning or breach, a callback to make. */
    async notifyStaff(notice: StaffNotice): Promise<void> {
      await ports.staff.notify(notice);
      metrics.staffNotified(notice);
    },
    /** Publishes lifecycle events to the subscribed backend services (signed webhooks). */
    async publishLifecycleEvents(batch: LifecycleEventBatch): Promise<void> {
      await ports.lifecycle.publish(batch);
    },
    /** Hands the complaint to a responsible department's system (002: within 12 h of receipt). */
    async dispatchToDepartment(order: DepartmentDispatch): Promise<void> {
      await ports.departments.dispatch(order);
    },
    /** Pays a refund, fee reduction or compensation; returns the billing system's reference. */
    async executePayment(order: PaymentOrder): Promise<{ reference: string }> {
      return ports.billing.pay(order);
    },
    /** Cancels the service the complaint is about. */
    async cancelService(order: ServiceCancellation): Promise<void> {
      await ports.billing.cancelService(order);
    },
    /** Orders the responsible department to fix the service by the promised time. */
    async scheduleServiceFix(order: ServiceFixOrder): Promise<void> {
      await ports.departments.scheduleFix(order);
    },
    /** Records the penalty against the staff or department at fault (004). */
    async recordPenalty(penalty: PenaltyRecord): Promise<void> {
      await ports.penalties.record(penalty);
    },
    /** Hands the whole closed record over to the archive (002, 003). */
    async archiveComplaint(record: ArchiveRecord): Promise<void> {
      await ports.archive.archive(record);
      metrics.archived(record);
    },
  };
}

/** The activities as the workflow sees them. */
export type ComplaintActivities = ReturnType<typeof createActivities>;
