/**
 * The complaint workflow: one durable run per complaint, from acceptance to archive (DOMAIN §1–§8).
 *
 * The case file (`ComplaintCase`) is the process: commands (updates) and the clock move it through
 * the stages of `domain/process.ts`, and every transition records the effects it owes. This
 * function only keeps time and carries the effects ledger out, in order, each effect once,
 * however fast commands arrive. Validators decide; handlers apply and never wait on the outside.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ActivityOptions, SearchAttributeUpdatePair, SignalDefinition, UpdateDefinition } from '@temporalio/common';
import type { ComplaintActivities } from '../activities';
import type { EffectRequest } from '../activities/ports';
import type { CommandName } from '../domain/complaint';
import { CommandRejection, ComplaintCase, describeCommand, type ComplaintState, type IncomingCommand, type OwedEffect } from '../domain/complaint-case';
import { checkOutsideEvent } from '../domain/command-rules';
import { EFFECT_BATCH_LIMIT_BYTES, NOTE_NOT_KEPT, REMEMBERED_COMMANDS, caseFileFullness, jsonBytes, waitingRoomRefusal } from '../domain/case-file-size';
import { outsideEventNames } from '../domain/outside-events';
import { assertNever, describeEffect } from '../domain/effects';
import { lifecycleEventsOf } from '../domain/lifecycle-events';
import {
  CONTINUE_AS_NEW_AFTER_EVENTS,
  calendarDryRunQuery,
  commandStatusQuery,
  commandUpdates,
  complaintStateQuery,
  complaintTimelineQuery,
  outsideEventSignals,
  rejectionFailureTypes,
  submitCommandSignal,
  type ComplaintResult,
  type ComplaintWorkflowInput,
} from './definitions';
import { complaintSearchAttributes as sa } from './search-attributes';
import { CommandInbox } from './command-inbox';

/**
 * A signalled command goes back to the complaint as its update (the activity sends it): the
 * update's validator judges it when it arrives, and history records what was applied.
 */
const commandOptions: ActivityOptions = {
  // An update round trip takes milliseconds; a worker killed mid-way is noticed within 15 s and the
  // activity sent again under the same update id (applied once).
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

const effectOptions: ActivityOptions = {
  // A batch that runs for a while heartbeats every 10 s (activities/index.ts): a worker killed
  // mid-batch is noticed within 30 s and the batch retried (its done effects again under the same
  // keys, which receivers apply once).
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  // Outside systems' refusals and outages come back as outcomes; this retries only the batch
  // itself (a lost worker, a timeout), for as long as it takes.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** A single line for the UI: the first few items, and how many more. */
function summarise(items: string[]): string {
  const shown = items.slice(0, 4).join(', ');
  return items.length > 4 ? `${shown} and ${items.length - 4} more` : shown;
}

/** Versioning: complaints started before the effects ledger finish on the frozen v1 code. */
export const EFFECTS_LEDGER_PATCH = 'effects-ledger';

/** Versioning: the archive hears of each stage change (issue 14); runs from before replay without it. */
export const ARCHIVE_ON_STAGE_CHANGE_PATCH = 'archive-on-stage-change';

/**
 * Versioning: a full case file takes no more notes from outside, records nothing more at its
 * ceiling, bounds the queue of commands sent without waiting and the ids the inbox remembers
 * (issue 11). Asked only when a limit is reached, so only such complaints carry the marker.
 */
export const CASE_FILE_LIMIT_PATCH = 'case-file-limit';

/** A customer complaint, as one durable process. */
export async function complaint(input: ComplaintWorkflowInput): Promise<ComplaintResult> {
  // A starter that says so in its input (the API) started it on the ledger: no patch marker to
  // ask, which would cost every new complaint a marker and a TemporalChangeVersion
  // search-attribute write in its first task. (A run whose history has the marker must ask.)
  const onLedger = input.onEffectsLedger === true || patched(EFFECTS_LEDGER_PATCH);
  if (!onLedger) {
    // A lazy require: only complaints started before the ledger evaluate the frozen v1 code (and
    // the zod it validates with) in their sandbox.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see above
    const { complaintV1 } = require('./legacy/complaint-v1') as typeof import('./legacy/complaint-v1');
    return complaintV1(input);
  }
  const { complaintId, intake, policy, calendar } = input;
  const c = input.resume ? ComplaintCase.resume(input.resume, calendar) : ComplaintCase.open(complaintId, intake, policy, calendar, new Date());
  // Complaints started before it replay without a record per stage change (it can add a batch).
  // Versioned by the start input where the starter says so (the API does): a patch marker would
  // also cost every new complaint a TemporalChangeVersion search-attribute write at its start.
  c.archivesStageChanges = input.archiveStageChanges ?? patched(ARCHIVE_ON_STAGE_CHANGE_PATCH);
  const published = new SearchAttributePublisher();
  const inbox = new CommandInbox(input.resume?.inbox);
  wireMessages(c, inbox, published);
  published.publish(c);

  const ledger = new LedgerRunner(c, published);
  const lifetime = await Promise.race([
    Promise.all([keepTime(c, published), ledger.run(), judgeSubmittedCommands(c, inbox, published)]).then(() => 'closed' as const),
    historyGrewLong(input.continueAsNewAfterEvents ?? CONTINUE_AS_NEW_AFTER_EVENTS),
  ]);
  if (lifetime === 'history-long') {
    // Queued commands wait for the next run (they travel in the inbox, in order).
    inbox.holding = true;
    // Handlers drained, no batch in flight, no command being judged: the next run takes the case
    // (and the inbox's queue, in order) over exactly as it is.
    await condition(() => allHandlersFinished() && !ledger.busy && !inbox.judging);
    await continueAsNew<typeof complaint>({ ...input, resume: { ...c.snapshot(), inbox: inbox.snapshot() } });
  }
  // Let a command that raced the closure finish before the run completes; a command signalled
  // after it is refused (a closed complaint takes no command, whatever the rules).
  await condition(allHandlersFinished);
  refuseQueuedOnClosure(c, inbox);
  return { complaintId, outcome: c.state.outcome, closedAt: c.state.closedAt, escalationLevel: c.state.escalationLevel };
}

/** Resolves once this run's history is long enough to continue as new (ours, or Temporal's suggestion). */
async function historyGrewLong(maxEvents: number): Promise<'history-long'> {
  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= maxEvents);
  return 'history-long';
}

/**
 * DOMAIN §6–§7: one timer, on the nearest deadline of any clock, promise, escalation level or the
 * stage's own wait (dispute window, reminder, silence). It is re-armed only when that deadline
 * moves earlier; a deadline that moved later lets the armed timer fire, tick, and re-arm.
 */
async function keepTime(c: ComplaintCase, published: SearchAttributePublisher): Promise<void> {
  while (!c.isClosed) {
    const next = c.nextDeadline();
    if (next === undefined) {
      await condition(() => c.isClosed || c.nextDue() !== undefined);
      continue;
    }
    const due = next.at;
    const fired = !(await condition(() => c.isClosed || (c.nextDue() ?? Infinity) < due, Math.max(1, due - Date.now()), { summary: next.what }));
    if (fired) {
      c.tick(new Date());
      published.publish(c);
    }
  }
}

/**
 * Carries the effects ledger out: whatever is owed and due, in ledger order, as one batch activity;
 * each outcome goes back to the case, which applies the failure policy. Effects waiting for a
 * retry (or for the contact window) set the only other timer. Ends once the case is closed and
 * every effect is settled. `busy` while a batch is out (continue-as-new waits for it).
 */
class LedgerRunner {
  busy = false;

  constructor(
    private readonly c: ComplaintCase,
    private readonly published: SearchAttributePublisher,
  ) {}

  async run(): Promise<void> {
    const c = this.c;
    for (;;) {
      const done = () => c.isClosed && c.effectsSettled;
      const ready = () => done() || c.hasEffectsDue(new Date());
      const retryAt = c.nextEffectRetry();
      if (retryAt === undefined) await condition(ready);
      else await condition(ready, Math.max(1, retryAt - Date.now()), { summary: 'effects waiting: a retry, or the contact window' });
      if (done()) return;
      const due = c.takeEffectsDue(new Date());
      if (due.length === 0) continue;
      const { batch, requests } = batchOf(c, due);
      this.busy = true;
      try {
        // The activity's summary in the Temporal UI names the effects of the batch.
        const { carryOutEffects } = proxyActivities<ComplaintActivities>({ ...effectOptions, summary: summarise(batch.map((e) => describeEffect(e))) });
        const results = await carryOutEffects({ complaintId: c.state.complaintId, effects: requests });
        c.settleEffects(results, new Date());
      } finally {
        this.busy = false;
      }
      this.published.publish(c);
    }
  }
}

/**
 * The next batch of the effects due, in ledger order, as many as fit in EFFECT_BATCH_LIMIT_BYTES
 * (at least one; the rest go in the next batch). Each archive record is the case file as it stands
 * now, so the batch carries it once: the first record carries it, the others name that one.
 */
function batchOf(c: ComplaintCase, due: OwedEffect[]): { batch: OwedEffect[]; requests: EffectRequest[] } {
  const batch: OwedEffect[] = [];
  const requests: EffectRequest[] = [];
  let carrier: string | undefined;
  let bytes = 0;
  for (const e of due) {
    const request: EffectRequest =
      e.kind === 'archive' && carrier
        ? { key: e.key, kind: 'archive', message: { idempotencyKey: e.key, complaintId: c.state.complaintId, sameRecordAs: carrier } }
        : effectRequest(c, e);
    const size = jsonBytes(request);
    if (requests.length > 0 && bytes + size > EFFECT_BATCH_LIMIT_BYTES) break;
    if (e.kind === 'archive') carrier ??= e.key;
    batch.push(e);
    requests.push(request);
    bytes += size;
  }
  return { batch, requests };
}

/** The port's message for an owed effect: what the ledger recorded, filled in from the case. */
function effectRequest(c: ComplaintCase, e: OwedEffect): EffectRequest {
  const s = c.state;
  const base = { idempotencyKey: e.key, complaintId: s.complaintId };
  switch (e.kind) {
    case 'customer-notice':
      return { key: e.key, kind: e.kind, message: { ...base, customerId: s.intake.customer.id, contact: s.intake.customer.contact, kind: e.notice, message: e.message, promisedBy: e.promisedBy } };
    case 'staff-notice':
      return { key: e.key, kind: e.kind, message: { ...base, kind: e.notice, recipient: e.recipient, escalationLevel: e.escalationLevel, message: e.message, actBy: e.actBy } };
    case 'department-dispatch':
      return { key: e.key, kind: e.kind, message: { ...base, department: e.department, category: s.intake.category, summary: s.intake.content, customerTier: s.intake.customer.tier, kind: s.intake.kind } };
    case 'service-fix':
      return { key: e.key, kind: e.kind, message: { ...base, department: e.department, description: e.description, promisedBy: e.promisedBy } };
    case 'payment':
      return { key: e.key, kind: e.kind, message: { ...base, customerId: s.intake.customer.id, kind: e.paymentKind, amountFen: e.amountFen, reason: e.reason } };
    case 'service-cancellation':
      return { key: e.key, kind: e.kind, message: { ...base, customerId: s.intake.customer.id, service: e.service } };
    case 'penalty':
      return { key: e.key, kind: e.kind, message: { ...base, department: e.department, partyAtFault: e.partyAtFault, cause: e.cause } };
    case 'archive':
      // The record as it stands when it is written (a newer version always wins in the archive).
      return { key: e.key, kind: e.kind, message: { ...base, state: s, timeline: c.timeline } };
    case 'lifecycle-events':
      return { key: e.key, kind: e.kind, message: { ...base, events: lifecycleEventsOf(s.complaintId, c.timeline.slice(e.afterSeq, e.throughSeq)) } };
    default:
      return assertNever(e);
  }
}

// ---- Messages ----

function wireMessages(c: ComplaintCase, inbox: CommandInbox, published: SearchAttributePublisher): void {
  setHandler(complaintStateQuery, () => c.state);
  setHandler(complaintTimelineQuery, () => c.timeline);
  setHandler(calendarDryRunQuery, (calendar) => c.calendarMoves(calendar));
  setHandler(commandStatusQuery, (commandId) => inbox.status(commandId));
  for (const name of Object.keys(commandUpdates) as CommandName[]) {
    // One generic handler per command: the validator judges, the handler applies. Neither waits,
    // except for the same command (same id) already signalled and not yet judged.
    const update = commandUpdates[name] as unknown as UpdateDefinition<ComplaintState, [IncomingCommand], string>;
    setHandler(
      update,
      (command) => {
        const id = currentUpdateInfo()?.id;
        // Applied before under this id (in an earlier run, which Temporal's own dedupe forgets).
        if (inbox.applied(id)) return c.state;
        c.apply(name, command, new Date());
        if (id) inbox.appliedAsUpdate(id, name, new Date());
        keepInboxBounded(inbox);
        published.publish(c);
        return c.state;
      },
      {
        validator: (command) => {
          if (inbox.applied(currentUpdateInfo()?.id)) return;
          validate(c, inbox, name, command);
        },
      },
    );
  }
  setHandler(submitCommandSignal, (submitted) => {
    // Queued in arrival order; judged and applied by judgeSubmittedCommands.
    const now = new Date();
    const turnedAway = inbox.submit(submitted, now, (command, bytes) => {
      const full = waitingRoomRefusal(command.command, inbox.queuedBytes, bytes);
      return full && patched(CASE_FILE_LIMIT_PATCH) ? full : undefined;
    });
    keepInboxBounded(inbox);
    if (!turnedAway || !recordFits(c, fullness(c, inbox), 'a refused submitCommand signal')) return;
    if ('malformed' in turnedAway) c.refuseEvent('submitCommand', undefined, turnedAway.malformed, now);
    else c.recordSubmittedCommand(turnedAway.refused.command, turnedAway.refused.commandId, actorIdOf(turnedAway.refused.input), turnedAway.reason, now);
    published.publish(c);
  });
  for (const name of outsideEventNames) {
    setHandler(outsideEventSignals[name] as SignalDefinition<[unknown]>, (raw) => {
      const now = new Date();
      const room = fullness(c, inbox); // measured once: the whole case file as JSON
      if (!recordFits(c, room, `the outside event ${name}`)) return;
      const checked = checkOutsideEvent(name, raw);
      if ('refused' in checked) {
        const eventId = (raw as { eventId?: unknown } | null)?.eventId;
        c.refuseEvent(name, typeof eventId === 'string' ? eventId : undefined, checked.refused, now);
      } else if (inbox.firstHearing(name, checked.event.eventId)) {
        c.hear(name, withinCaseFile(room, checked.event), now);
      } else {
        return; // heard before: a resend changes nothing
      }
      published.publish(c);
    });
  }
}

/**
 * Commands sent without waiting, one at a time in arrival order: each goes back to the complaint as
 * the update the synchronous route sends (same id), so the update's validator judges it against the
 * case as it is when it arrives, and replay applies what history says was applied (never judging
 * again). The outcome goes on the timeline, and so to the webhook subscribers.
 */
async function judgeSubmittedCommands(c: ComplaintCase, inbox: CommandInbox, published: SearchAttributePublisher): Promise<void> {
  for (;;) {
    await condition(() => (inbox.next !== undefined && !inbox.holding) || c.isClosed);
    const next = inbox.next;
    if (!next) return;
    if (inbox.holding) continue;
    let refusal: { kind: CommandRejection['kind']; message: string; field?: string } | undefined;
    if (c.isClosed) {
      refusal = closedRefusal(next.command);
    } else {
      inbox.judging = true;
      try {
        const { submitCommand } = proxyActivities<ComplaintActivities>({ ...commandOptions, summary: `${describeCommand(next.command)} (sent without waiting)` });
        const verdict = await submitCommand({ complaintId: c.state.complaintId, commandId: next.commandId, name: next.command, input: next.input });
        refusal = verdict.accepted ? undefined : verdict.rejection;
      } finally {
        inbox.judging = false;
      }
    }
    const now = new Date();
    if (!refusal || recordFits(c, fullness(c, inbox), `the refusal of ${next.commandId}`)) c.recordSubmittedCommand(next.command, next.commandId, actorIdOf(next.input), refusal?.message, now);
    inbox.decided(next.commandId, refusal, now);
    keepInboxBounded(inbox);
    published.publish(c);
  }
}

/** Commands still queued when the run completes: a closed complaint takes none (no judgment needed). */
function refuseQueuedOnClosure(c: ComplaintCase, inbox: CommandInbox): void {
  for (let next = inbox.next; next; next = inbox.next) {
    const refusal = closedRefusal(next.command);
    c.recordSubmittedCommand(next.command, next.commandId, actorIdOf(next.input), refusal.message, new Date());
    inbox.decided(next.commandId, refusal, new Date());
  }
}

function closedRefusal(name: CommandName): { kind: CommandRejection['kind']; message: string } {
  return { kind: 'wrong-stage', message: `cannot ${describeCommand(name)} while the complaint is closed` };
}

function actorIdOf(input: { actor?: unknown }): string | undefined {
  const id = (input.actor as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

// ---- The case file's size (domain/case-file-size.ts) ----

type Fullness = ReturnType<typeof caseFileFullness>;

/** The case file and what its inbox carries, by the limits: room, full, or at its ceiling. */
function fullness(c: ComplaintCase, inbox: CommandInbox): Fullness {
  return caseFileFullness(c.sizeInBytes() + inbox.sizeInBytes());
}

/** Whether `what` may go on the record: not once the case file is at its ceiling (said in the worker's log). */
function recordFits(c: ComplaintCase, room: Fullness, what: string): boolean {
  if (room !== 'at-ceiling' || !patched(CASE_FILE_LIMIT_PATCH)) return true;
  log.warn(`Not recorded: ${what}; the case file of ${c.state.complaintId} is at its ceiling`);
  return false;
}

/** An outside event as a full case file keeps it: its note (free text of any length) left out. */
function withinCaseFile<E extends object>(room: Fullness, event: E): E {
  if (!('note' in event) || !event.note || room === 'room' || !patched(CASE_FILE_LIMIT_PATCH)) return event;
  return { ...event, note: NOTE_NOT_KEPT };
}

/** The inbox remembers the latest commands by id, not every one the complaint ever had. */
function keepInboxBounded(inbox: CommandInbox): void {
  if (inbox.remembered > REMEMBERED_COMMANDS && patched(CASE_FILE_LIMIT_PATCH)) inbox.forgetOldestDecided(REMEMBERED_COMMANDS);
}

/** The update validator: a refused command never enters history (ApplicationFailure → HTTP 4xx). */
function validate(c: ComplaintCase, inbox: CommandInbox, name: CommandName, command: IncomingCommand): void {
  try {
    c.check(name, command, () => inbox.sizeInBytes());
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

/** Keeps the search attributes current, upserting only what changed: one upsert per stage change. */
class SearchAttributePublisher {
  private readonly last = new Map<string, string>();

  constructor() {
    // What the starter already set needs no upsert.
    const given = workflowInfo().typedSearchAttributes;
    for (const key of Object.values(sa)) {
      const value = given.get(key as never);
      if (value !== undefined) this.last.set(key.name, JSON.stringify(value));
    }
    // Started by the API: what it leaves unset is at its start value (an empty list is not stored,
    // and a flag added since is false until it is raised), so it needs no upsert either.
    if (this.last.has(sa.stage.name)) {
      for (const [key, value] of [[sa.departments, '[]'], [sa.effectsFailing, 'false'], [sa.calendarFallback, 'false']] as const) {
        if (!this.last.has(key.name)) this.last.set(key.name, value);
      }
    }
  }

  publish(c: ComplaintCase): void {
    // What the complaint is and waits for, on its page in the Temporal UI (not history: free).
    setCurrentDetails(c.currentDetails());
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
      { key: sa.effectsFailing, value: s.effectsFailing },
      { key: sa.calendarFallback, value: s.calendarFallback.length > 0 },
    ];
    const changed = next.filter((pair) => this.last.get(pair.key.name) !== JSON.stringify(pair.value));
    if (changed.length === 0) return;
    upsertSearchAttributes(changed);
    for (const pair of changed) this.last.set(pair.key.name, JSON.stringify(pair.value));
  }
}
