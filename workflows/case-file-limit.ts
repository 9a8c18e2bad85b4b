/**
 * The case file's size limits as the workflow keeps them (the numbers and the reasons for them are
 * in domain/case-file-size.ts). What the limits decide on the signal side is replayed, so it sits
 * behind CASE_FILE_LIMIT_PATCH, asked only when a limit is reached.
 */
import { log, patched } from '@temporalio/workflow';
import type { ComplaintCase } from '../domain/case';
import { NOTE_NOT_KEPT, REMEMBERED_COMMANDS, caseFileFullness } from '../domain/case-file-size';
import { CASE_FILE_LIMIT_PATCH } from '../contract/versions';
import type { CommandInbox } from './command-inbox';

export type Fullness = ReturnType<typeof caseFileFullness>;

/** The case file and what its inbox carries, by the limits: room, full, or at its ceiling. */
export function fullness(c: ComplaintCase, inbox: CommandInbox): Fullness {
  return caseFileFullness(c.sizeInBytes() + inbox.sizeInBytes());
}

/** Whether `what` may go on the record: not once the case file is at its ceiling (said in the worker's log). */
export function recordFits(c: ComplaintCase, room: Fullness, what: string): boolean {
  if (room !== 'at-ceiling' || !patched(CASE_FILE_LIMIT_PATCH)) return true;
  log.warn(`Not recorded: ${what}; the case file of ${c.state.complaintId} is at its ceiling`);
  return false;
}

/** An outside event as a full case file keeps it: its note (free text of any length) left out. */
export function withinCaseFile<E extends object>(room: Fullness, event: E): E {
  if (!('note' in event) || !event.note || room === 'room' || !patched(CASE_FILE_LIMIT_PATCH)) return event;
  return { ...event, note: NOTE_NOT_KEPT };
}

/** The inbox remembers the latest commands by id, not every one the complaint ever had. */
export function keepInboxBounded(inbox: CommandInbox): void {
  if (inbox.remembered > REMEMBERED_COMMANDS && patched(CASE_FILE_LIMIT_PATCH)) inbox.forgetOldestDecided(REMEMBERED_COMMANDS);
}
