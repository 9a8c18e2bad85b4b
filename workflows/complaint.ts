/**
 * The complaint workflow: one durable run per complaint, from acceptance to archive
 * (docs/process.md).
 *
 * The case file (`ComplaintCase`) is the process: commands (updates) and the clock move it through
 * the stages of `domain/process.ts`, and every transition records the effects it owes. This
 * function only keeps time and carries the effects ledger out, in order, each effect once,
 * however fast commands arrive. Validators decide; handlers apply and never wait on the outside.
 */
import { allHandlersFinished, condition, continueAsNew, patched, workflowInfo } from '@temporalio/workflow';
import { ComplaintCase } from '../domain/case';
import { CONTINUE_AS_NEW_AFTER_EVENTS, type ComplaintResult, type ComplaintWorkflowInput } from '../contract/complaint';
import { ARCHIVE_ON_STAGE_CHANGE_PATCH, EFFECTS_LEDGER_PATCH } from '../contract/versions';
import { CommandInbox } from './command-inbox';
import { LedgerRunner } from './ledger-runner';
import { judgeSubmittedCommands, refuseQueuedOnClosure, wireMessages } from './messages';
import { SearchAttributePublisher } from './search-attribute-publisher';

/** A customer complaint, as one durable process. */
export async function complaint(input: ComplaintWorkflowInput): Promise<ComplaintResult> {
  // A starter that says so in its input (the API) started it on the ledger: no patch marker to
  // ask, which would cost every new complaint a marker and a TemporalChangeVersion
  // search-attribute write in its first task. (A run whose history has the marker must ask.)
  if (input.onEffectsLedger !== true && !patched(EFFECTS_LEDGER_PATCH)) {
    // Only a replay of a complaint started before the effects ledger gets here: this code cannot
    // carry one on. It fails its workflow task (and waits) rather than act differently from its
    // history; such a complaint finishes on the release before this one (docs/effects-and-versioning.md).
    throw new Error(`Complaint ${input.complaintId} was started before the effects ledger; finish it on the previous release`);
  }
  const { complaintId, intake, policy, calendar } = input;
  const c = input.resume ? ComplaintCase.resume(input.resume, calendar) : ComplaintCase.open(complaintId, intake, policy, calendar, new Date());
  // Complaints started before it replay without a record per stage change (it can add a batch).
  // Versioned by the start input where the starter says so (the API does): a patch marker would
  // also cost every new complaint a TemporalChangeVersion search-attribute write at its start.
  c.archivesStageChanges = input.archiveStageChanges ?? patched(ARCHIVE_ON_STAGE_CHANGE_PATCH);
  // Without the flag, asked at the first rule change (wireMessages): no marker for complaints that have none.
  c.fourEyesOnRules = input.fourEyesOnRules === true;
  const published = new SearchAttributePublisher();
  const inbox = new CommandInbox(input.resume?.inbox);
  wireMessages(c, inbox, published, input.trustedKeys);
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
 * The clocks (docs/clocks.md): one timer, on the nearest deadline of any clock, promise, escalation level or the
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
