/**
 * The versions of the complaint workflow's code that a running complaint may have started on, and
 * the start input that says which one a new complaint starts on. A marker id never changes once
 * deployed: histories carry it.
 */
import type { ComplaintWorkflowInput } from './complaint';

/** Complaints on the effects ledger (every complaint this code starts, and every one it can replay). */
export const EFFECTS_LEDGER_PATCH = 'effects-ledger';

/** The archive hears of each stage change; runs from before it replay without these records. */
export const ARCHIVE_ON_STAGE_CHANGE_PATCH = 'archive-on-stage-change';

/**
 * A full case file takes no more notes from outside, records nothing more at its ceiling, bounds
 * the queue of commands sent without waiting and the ids the inbox remembers. Asked only when a
 * limit is reached, so only such complaints carry the marker.
 */
export const CASE_FILE_LIMIT_PATCH = 'case-file-limit';

/** A policy or calendar that widens the rules waits for a second manager; asked at the first rule change of a complaint started without the flag. */
export const FOUR_EYES_ON_RULES_PATCH = 'four-eyes-on-rules';

/**
 * A new complaint's start input, saying in the input what it runs on: no patch marker to ask,
 * which would cost every new complaint a marker and a TemporalChangeVersion search-attribute write
 * in its first task. Every starter of complaints (the API, scripts, the bench) starts them so.
 */
export function complaintStartInput(input: Omit<ComplaintWorkflowInput, 'archiveStageChanges' | 'onEffectsLedger' | 'fourEyesOnRules' | 'resume'>): ComplaintWorkflowInput {
  return { ...input, archiveStageChanges: true, onEffectsLedger: true, fourEyesOnRules: true };
}
