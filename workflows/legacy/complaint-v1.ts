/**
 * FROZEN: the complaint workflow as it ran before the effects ledger (patch `effects-ledger`).
 *
 * Complaints started before that release replay and finish on this code, exactly as they ran;
 * new complaints never enter it. Do not change it: any change here can break the replay of those
 * runs. Remove it (and `complaint-case-v1.ts`) with `deprecatePatch('effects-ledger')` once no
 * complaint started before the ledger is open (see README, "Changing workflow code").
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair, UpdateDefinition } from '@temporalio/common';
import type { ComplaintActivities } from '../../activities';
import type { NoticeKind } from '../../activities/ports';
import type { CommandName } from '../../domain/complaint';
import { remedyAmountFen } from '../../domain/complaint';
import { CommandRejection, ComplaintCase, type ComplaintState, type IncomingCommand } from './complaint-case-v1';
import { nextContactTime } from '../../domain/calendar';
import { lifecycleEventsOf } from '../../domain/lifecycle-events';
import { hours } from '../../domain/durations';
import { isDrawnForCallback } from '../../domain/callback';
import {
  commandUpdates,
  complaintStateQuery,
  complaintTimelineQuery,
  rejectionFailureTypes,
  type ComplaintResult,
  type ComplaintWorkflowInput,
} from '../definitions';
import { complaintSearchAttributes as sa } from '../search-attributes';
import type { ComplaintState as ComplaintStateNow } from '../../domain/complaint-case';

const effects = proxyActivities<ComplaintActivities>({
  startToCloseTimeout: '30 seconds',
  // Outside systems may be down for a while; keep trying, but back off to at most every 10 minutes.
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** A customer complaint as it ran before the effects ledger. */
export async function complaintV1(input: ComplaintWorkflowInput): Promise<ComplaintResult> {
  const { complaintId, intake, policy, calendar } = input;
  const c = ComplaintCase.open(complaintId, intake, policy, calendar, new Date());
  const published = new SearchAttributePublisher();
  wireMessages(c, published);
  published.publish(c);

  // The clocks run alongside the stages, on one timer set for the nearest deadline.
  const clocks = keepClocks(c, published);
  // Added after the first release: runs started before it (and their saved histories) skip it.
  const lifecycle = patched('lifecycle-webhooks') ? publishLifecycleEvents(c) : Promise.resolve();
  // The archive knows every submitted complaint from the start (reports count submissions); the
  // record written at closure replaces this one (a newer version always wins). Not awaited here,
  // so the stages are not held up by the archive.
  const filedOnIntake = patched('archive-on-intake')
    ? effects.archiveComplaint({ ...effectKey(c, 'archive-intake'), state: c.state as unknown as ComplaintStateNow, timeline: c.timeline })
    : Promise.resolve();
  await acknowledge(c);

  while (!c.isClosed) {
    switch (c.stage) {
      case 'awaiting-judgment':
        await stageLeft(c);
        break;
      case 'not-upheld':
        await replyNotUpheldAndAwaitDispute(c);
        break;
      case 'investigating':
        await investigate(c);
        break;
      case 'proposing':
      case 'awaiting-approval':
        await stageLeft(c);
        break;
      case 'awaiting-customer':
        await presentRemedyAndAwaitAnswer(c);
        break;
      case 'implementing':
        await implementRemedy(c);
        break;
      case 'awaiting-callback':
        await stageLeft(c);
        break;
    }
    published.publish(c);
  }

  await clocks;
  await tellCustomerClosed(c);
  await lifecycle;
  // Let a command that raced the closure finish before the record is handed over.
  await condition(allHandlersFinished);
  await filedOnIntake;
  await effects.archiveComplaint({ ...effectKey(c, 'archive'), state: c.state as unknown as ComplaintStateNow, timeline: c.timeline });
  return { complaintId, outcome: c.state.outcome, closedAt: c.state.closedAt, escalationLevel: c.state.escalationLevel };
}

// ---- The stages ----

/**
 * Publishes the case's lifecycle events to subscribed services, in timeline order, one activity per
 * batch of new events (at least once; receivers dedupe by event id). Ends after `closed`.
 */
async function publishLifecycleEvents(c: ComplaintCase): Promise<void> {
  let upTo = 0;
  for (;;) {
    await condition(() => c.timeline.length > upTo);
    const events = lifecycleEventsOf(c.state.complaintId, c.timeline.slice(upTo));
    const from = upTo;
    upTo = c.timeline.length;
    if (events.length) {
      await effects.publishLifecycleEvents({ ...effectKey(c, `lifecycle-${from + 1}-${upTo}`), events });
    }
    if (c.isClosed && upTo === c.timeline.length) return;
  }
}

/** 003: tell the customer the complaint is accepted, when the reply will come (the reply clock), and how. */
async function acknowledge(c: ComplaintCase): Promise<void> {
  const replyBy = c.state.promisedTimes.find((p) => p.what === 'reply')?.by;
  await notify(c, 'acknowledgement', `Your complaint ${c.state.complaintId} is accepted; ${c.state.owner.name} will reply by ${replyBy}.`, replyBy);
}

/**
 * DOMAIN §6–§7: one timer, always on the nearest deadline of any clock, promise or escalation
 * level; re-armed only when that deadline moves. Warnings, breaches and escalations are applied
 * to the case and their staff notices sent.
 */
async function keepClocks(c: ComplaintCase, published: SearchAttributePublisher): Promise<void> {
  while (!c.isClosed) {
    const due = c.nextDue();
    const changed = () => c.isClosed || c.nextDue() !== due || c.hasStaffNotices();
    if (due === undefined) await condition(changed);
    else await condition(changed, Math.max(1, due - Date.now()));
    c.tick(new Date());
    for (const notice of c.takeStaffNotices()) {
      noticesSent += 1;
      await effects.notifyStaff({ ...effectKey(c, `staff-${noticesSent}-${notice.kind}`), ...notice, escalationLevel: c.state.escalationLevel });
    }
    published.publish(c);
  }
}

/** 004: a reasoned reply; the customer may dispute it within the window, which reopens the case. */
async function replyNotUpheldAndAwaitDispute(c: ComplaintCase): Promise<void> {
  const judgment = c.timeline.findLast((e) => e.type === 'judged-not-upheld')!;
  await notify(c, 'not-upheld', judgment.summary);
  // The window runs from the judgment, not from when the reply was delivered.
  const windowEnds = Date.parse(judgment.at) + hours(c.policy.notUpheld.disputeWindowHours);
  const disputed = await condition(() => c.stage !== 'not-upheld', Math.max(0, windowEnds - Date.now()));
  if (!disputed) c.disputeWindowPassed(new Date());
}

/** 002/003: dispatch to every responsible department (in parallel) and wait for all findings. */
async function investigate(c: ComplaintCase): Promise<void> {
  let customerTold = false;
  while (c.stage === 'investigating') {
    await Promise.all(
      c.departmentsAwaitingDispatch().map(async ({ department, assignment }) => {
        await effects.dispatchToDepartment({
          ...effectKey(c, `dispatch-${assignment}-${department}`),
          department,
          category: c.state.intake.category,
          summary: c.state.intake.content,
          customerTier: c.state.intake.customer.tier,
          kind: c.state.intake.kind,
        });
        c.markDispatched(department, new Date());
      }),
    );
    if (!customerTold) {
      customerTold = true;
      await notify(c, 'investigating', 'Your complaint is upheld and under investigation; we will keep you informed.');
    }
    await condition(() => c.stage !== 'investigating' || c.departmentsAwaitingDispatch().length > 0);
  }
}

/** 003/004: explain the approved remedy, remind a silent customer, then let the policy decide. */
async function presentRemedyAndAwaitAnswer(c: ComplaintCase): Promise<void> {
  const remedy = c.state.approvedRemedy!;
  await notify(c, 'remedy-proposed', `Proposed remedy: ${remedy.option.description}`);
  const { reminderEveryHours, reminders } = c.policy.customerAnswer;
  const answered = () => c.stage !== 'awaiting-customer';
  for (let sent = 0; sent < reminders; sent++) {
    if (await condition(answered, hours(reminderEveryHours))) return;
    const wait = untilContactWindow(c);
    if (wait > 0 && (await condition(answered, wait))) return;
    await notify(c, 'reminder', `Please tell us whether you accept the proposed remedy: ${remedy.option.description}`);
    c.customerReminded(new Date());
  }
  if (await condition(answered, hours(reminderEveryHours))) return;
  c.customerSilent(new Date());
  // With the `escalate` policy the case stays with the customer, now at a higher level.
  await condition(answered);
}

/** 004: implement promptly, penalise the party at fault, tell the customer, decide the callback. */
async function implementRemedy(c: ComplaintCase): Promise<void> {
  const remedy = c.state.approvedRemedy!;
  const { option } = remedy;
  c.implementationStarted(new Date());
  try {
    switch (option.kind) {
      case 'refund':
      case 'fee-reduction':
      case 'compensation':
        {
          const { reference } = await effects.executePayment({
            ...effectKey(c, `payment-${remedy.id}`),
            customerId: c.state.intake.customer.id,
            kind: option.kind,
            amountFen: remedyAmountFen(option),
            reason: option.description,
          });
          c.paymentExecuted(remedyAmountFen(option), reference, new Date());
        }
        break;
      case 'service-cancellation':
        await effects.cancelService({ ...effectKey(c, `cancellation-${remedy.id}`), customerId: c.state.intake.customer.id, service: option.service });
        break;
      case 'service-fix':
        // 001 case 1: "restored by" is a promise; the department confirms the restoration.
        c.promise('service restored', option.promisedBy, new Date(), ['service-restored']);
        await effects.scheduleServiceFix({
          ...effectKey(c, `fix-${remedy.id}`),
          department: c.responsibleDepartments()[0]!,
          description: option.description,
          promisedBy: option.promisedBy,
        });
        await condition(() => c.state.implementation?.restoredAt !== undefined || c.stage !== 'implementing');
        if (c.stage !== 'implementing') return;
        break;
      case 'explanation':
        break;
    }
  } catch (err) {
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
      c.implementationFailed(new Date(), err.cause.message);
      return;
    }
    throw err;
  }
  for (const fault of c.partiesAtFault()) {
    await effects.recordPenalty({ ...effectKey(c, `penalty-${remedy.id}-${fault.department}`), department: fault.department, partyAtFault: fault.party, cause: fault.cause });
  }
  await notify(c, 'remedy-done', `Done: ${option.description}`);
  const callbackRequired = isDrawnForCallback(c.state.complaintId, c.state.intake.customer.tier, c.policy.callback.sampleRate);
  c.implementationCompleted(new Date(), callbackRequired);
}

async function tellCustomerClosed(c: ComplaintCase): Promise<void> {
  if (c.state.outcome === 'withdrawn') {
    await notify(c, 'withdrawn', 'Your complaint is withdrawn as you asked.');
  } else {
    await notify(c, 'closed', `Your complaint is closed (${c.state.outcome}).`);
  }
}

// ---- Messages ----

function wireMessages(c: ComplaintCase, published: SearchAttributePublisher): void {
  setHandler(complaintStateQuery, () => c.state as unknown as ComplaintStateNow);
  setHandler(complaintTimelineQuery, () => c.timeline);
  for (const name of Object.keys(commandUpdates) as CommandName[]) {
    // One generic handler per command: the case file knows each command's rules.
    const update = commandUpdates[name] as unknown as UpdateDefinition<ComplaintState, [IncomingCommand], string>;
    setHandler(
      update,
      async (command) => {
        c.apply(name, command, new Date());
        published.publish(c);
        if (name === 'reassignOwner') {
          // 001: the customer keeps one known contact; tell them who it is now.
          await notify(c, 'owner-changed', `${c.state.owner.name} now handles your complaint.`);
        }
        return c.state;
      },
      { validator: (command) => validate(c, name, command) },
    );
  }
}

/** The update validator: a refused command never enters history (ApplicationFailure → HTTP 4xx). */
function validate(c: ComplaintCase, name: CommandName, command: IncomingCommand): void {
  try {
    c.check(name, command);
  } catch (err) {
    if (err instanceof CommandRejection) {
      throw ApplicationFailure.create({
        type: rejectionFailureTypes[err.kind],
        message: err.message,
        details: [{ field: err.field }],
        nonRetryable: true,
      });
    }
    throw err;
  }
}

// ---- Helpers ----

/** How long until the customer's contact window opens (0 inside it): 004, do not disturb at rest. */
function untilContactWindow(c: ComplaintCase): number {
  const now = new Date();
  return nextContactTime(c.calendar, now, c.policy.contactWindow).getTime() - now.getTime();
}

/** Waits until a command moves the case out of its current stage. */
async function stageLeft(c: ComplaintCase): Promise<void> {
  const from = c.stage;
  await condition(() => c.stage !== from);
}

// Module state is per workflow run (each run has its own sandbox); replay rebuilds it in order.
let noticesSent = 0;

async function notify(c: ComplaintCase, kind: NoticeKind, message: string, promisedBy?: string): Promise<void> {
  noticesSent += 1;
  const { intake } = c.state;
  await effects.notifyCustomer({
    ...effectKey(c, `notice-${noticesSent}-${kind}`),
    customerId: intake.customer.id,
    contact: intake.customer.contact,
    kind,
    message,
    promisedBy,
  });
}

/** One idempotency key per effect: the workflow id, its run, and what the effect is. */
function effectKey(c: ComplaintCase, effect: string): { idempotencyKey: string; complaintId: string } {
  return { idempotencyKey: `${workflowInfo().workflowId}/${effect}`, complaintId: c.state.complaintId };
}

/** Keeps the search attributes current, upserting only what changed, once per stage change. */
class SearchAttributePublisher {
  private last = new Map<string, string>();

  publish(c: ComplaintCase): void {
    const s = c.state;
    const next: SearchAttributeUpdatePair[] = [
      { key: sa.stage, value: s.stage },
      { key: sa.category, value: s.intake.category },
      { key: sa.severity, value: s.intake.severity },
      { key: sa.owner, value: s.owner.id },
      { key: sa.departments, value: c.responsibleDepartments() },
      { key: sa.escalationLevel, value: s.escalationLevel },
      { key: sa.customerTier, value: s.intake.customer.tier },
      { key: sa.customerId, value: s.intake.customer.id },
      { key: sa.slaBreached, value: s.slaBreached },
    ];
    const changed = next.filter((pair) => this.last.get(pair.key.name) !== JSON.stringify(pair.value));
    if (changed.length === 0) return;
    upsertSearchAttributes(changed);
    for (const pair of changed) this.last.set(pair.key.name, JSON.stringify(pair.value));
  }
}
