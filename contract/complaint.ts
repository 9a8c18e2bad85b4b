/**
 * The complaint workflow's contract: task queue, workflow id, input, and every message (updates for
 * commands, the same commands as a signal for callers who do not wait, signals for events from
 * outside systems, queries for reads). Shared by the workflow, the worker, the API and the tests.
 * Imports only @temporalio/workflow and types. Wire names never change once deployed.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, CommandBody, CommandName, ComplaintIntake } from '../domain/complaint';
import type { CaseSnapshot as CaseFileSnapshot, ComplaintState, TimelineEvent } from '../domain/case';
import type { DeadlineMove } from '../domain/clocks';
import type { BusinessCalendar } from '../domain/calendar';
import type { HandlingPolicy } from '../domain/policy';
import type { OutsideEventName, OutsideEvents } from '../domain/outside-events';
import type { RejectionKind } from '../domain/case-state';
import type { CommandProof, TrustedKey } from '../domain/command-proof';

/** The task queue every complaint workflow and activity runs on. */
export const TASK_QUEUE = 'complaints';

/** The workflow type name, as it appears in the Temporal UI. */
export const COMPLAINT_WORKFLOW_TYPE = 'complaint';

/** A complaint's workflow id: one workflow per complaint, forever. */
export function complaintWorkflowId(complaintId: string): string {
  return `complaint-${complaintId}`;
}

/** What starts a complaint: its id, the validated intake record, and the policy and calendar in force. */
export interface ComplaintWorkflowInput {
  complaintId: string;
  intake: ComplaintIntake;
  policy: HandlingPolicy;
  calendar: BusinessCalendar;
  /** A run continued as new: the case as the previous run left it (its state, timeline and policy in force). */
  resume?: CaseSnapshot;
  /**
   * The archive hears of each stage change. Set by starters that know it (the API), so
   * no patch marker is needed; absent, `patched('archive-on-stage-change')` decides (older runs: no).
   */
  archiveStageChanges?: boolean;
  /**
   * Started on the effects ledger, as every starter of this code does (the API sets it): the
   * complaint need not ask `patched('effects-ledger')`, whose marker and TemporalChangeVersion
   * upsert would cost every new complaint two history events (`complaintStartInput`). Absent, it asks.
   */
  onEffectsLedger?: true;
  /**
   * A widening policy or calendar waits for a second manager (four eyes), as for every complaint
   * this code starts (`complaintStartInput`). Absent, the first rule change asks
   * `patched('four-eyes-on-rules')`: complaints from before it replay as they ran.
   */
  fourEyesOnRules?: true;
  /**
   * The public keys whose proofs this complaint accepts (domain/command-proof.ts): every command and
   * outside event must carry one. Pinned at start like the policy; absent (complaints from before
   * proven actors), commands are taken on the actor they name.
   */
  trustedKeys?: TrustedKey[];
  /** Continue as new once the history holds this many events (default CONTINUE_AS_NEW_AFTER_EVENTS). */
  continueAsNewAfterEvents?: number;
}

/**
 * What a complaint carries into its next run when its history grows long: its case (state,
 * timeline, policy, and its calendar once one is applied) and its command inbox.
 */
export interface CaseSnapshot extends CaseFileSnapshot {
  /** Every command the complaint has heard of by id, and every outside event id (to hear each once). */
  inbox?: InboxSnapshot;
}

/** What the command inbox carries over continue-as-new. */
export interface InboxSnapshot {
  commands: CommandStatus[];
  eventIds: string[];
  /** Signalled commands not yet judged, in arrival order. */
  queued: SubmittedCommand[];
}

/**
 * A complaint's history is kept short: past this many events (hundreds of notes or contacts) it
 * continues as new, carrying its case over. Temporal's own suggestion (at 4 K events or 10 MiB)
 * also triggers it.
 */
export const CONTINUE_AS_NEW_AFTER_EVENTS = 2_000;

/** How a complaint workflow ends (its result in the Temporal UI). */
export interface ComplaintResult {
  complaintId: string;
  outcome: ComplaintState['outcome'];
  closedAt?: string;
  escalationLevel: number;
}

/** A command update's input: the command body plus its actor, as plain JSON. */
export type CommandInput<C extends CommandName> = CommandBody<C> & { actor: Actor; proof?: CommandProof[] };

function command<C extends CommandName>(name: C) {
  return defineUpdate<ComplaintState, [CommandInput<C>], C>(name);
}

/** Every command on a complaint, one update each; each returns the new state. */
export const commandUpdates = {
  judgeValidity: command('judgeValidity'),
  recordFindings: command('recordFindings'),
  handOverToDepartment: command('handOverToDepartment'),
  proposeRemedies: command('proposeRemedies'),
  requireConsultation: command('requireConsultation'),
  recordConsultation: command('recordConsultation'),
  approveRemedy: command('approveRemedy'),
  returnRemedies: command('returnRemedies'),
  recordCustomerAnswer: command('recordCustomerAnswer'),
  recordCallback: command('recordCallback'),
  disputeJudgment: command('disputeJudgment'),
  withdraw: command('withdraw'),
  addNote: command('addNote'),
  recordContact: command('recordContact'),
  reassignOwner: command('reassignOwner'),
  escalate: command('escalate'),
  reclassify: command('reclassify'),
  confirmServiceRestored: command('confirmServiceRestored'),
  applyPolicy: command('applyPolicy'),
  applyCalendar: command('applyCalendar'),
  approveRuleChange: command('approveRuleChange'),
} satisfies { [C in CommandName]: ReturnType<typeof command<C>> };

/** The update for one command, typed by its name (for generic senders: API, tests). */
export function commandUpdate<C extends CommandName>(name: C): ReturnType<typeof command<C>> {
  return commandUpdates[name] as unknown as ReturnType<typeof command<C>>;
}

/** Named exports for the commands, in the domain's words. */
export const judgeValidityUpdate = commandUpdates.judgeValidity;
export const recordFindingsUpdate = commandUpdates.recordFindings;
export const approveRemedyUpdate = commandUpdates.approveRemedy;
export const recordCustomerAnswerUpdate = commandUpdates.recordCustomerAnswer;
export const recordCallbackUpdate = commandUpdates.recordCallback;

/**
 * A command sent without waiting (`Prefer: respond-async`, or `temporal workflow signal --name
 * submitCommand`): the server records it at once, worker or not; the complaint judges it with the
 * update's rules when it runs, applies the accepted ones in arrival order and records a refusal on
 * its timeline. `commandId` makes it idempotent, also against the same command sent as an update
 * (whose update id is the command id).
 */
export interface SubmittedCommand {
  commandId: string;
  command: CommandName;
  /** The command body with its actor: the same JSON the update takes. */
  input: { actor: Actor } & Record<string, unknown>;
}

export const submitCommandSignal = defineSignal<[SubmittedCommand]>('submitCommand');

/** Where a command stands: pending until the complaint judged it, then applied or refused. */
export interface CommandStatus {
  commandId: string;
  command: CommandName;
  via: 'update' | 'signal';
  status: 'pending' | 'applied' | 'refused';
  receivedAt: string;
  decidedAt?: string;
  /** Why it was refused: what the synchronous route would have answered. */
  rejection?: { kind: RejectionKind; message: string; field?: string };
}

/** A command's status by its id, or null when the complaint has not heard of it. */
export const commandStatusQuery = defineQuery<CommandStatus | null, [string]>('commandStatus');

/**
 * Events from outside systems, one signal each (names usable from the Temporal CLI with plain
 * JSON). The server records each the moment it arrives; `eventId` makes a resend harmless.
 */
export const outsideEventSignals = {
  repeatContact: defineSignal<[OutsideEvents['repeatContact']]>('repeatContact'),
  externalReferral: defineSignal<[OutsideEvents['externalReferral']]>('externalReferral'),
  dispatchAcknowledged: defineSignal<[OutsideEvents['dispatchAcknowledged']]>('dispatchAcknowledged'),
  settlementConfirmed: defineSignal<[OutsideEvents['settlementConfirmed']]>('settlementConfirmed'),
} satisfies { [E in OutsideEventName]: ReturnType<typeof defineSignal<[OutsideEvents[E]]>> };

/** The complaint's current state. */
export const complaintStateQuery = defineQuery<ComplaintState>('complaintState');

/** Every event of the complaint, with its time and actor. */
export const complaintTimelineQuery = defineQuery<TimelineEvent[]>('complaintTimeline');

/** Dry run: the running deadlines the given calendar would move on this complaint (changes nothing). */
export const calendarDryRunQuery = defineQuery<DeadlineMove[], [BusinessCalendar]>('calendarDryRun');

/** Failure types a rejected command carries (ApplicationFailure.type), mapped to HTTP by the API. */
export const rejectionFailureTypes = {
  forbidden: 'CommandForbidden',
  'wrong-stage': 'CommandInWrongStage',
  invalid: 'CommandInvalid',
  'case-file-full': 'CaseFileFull',
} as const;
