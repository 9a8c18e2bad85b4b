/**
 * How large a complaint's case file may grow. The case travels whole in single Temporal payloads:
 * the answer to every command (its state), every archive record (state and timeline) and the input
 * of its next run after continue-as-new (state, timeline and inbox). Temporal refuses a payload over
 * 2 MiB (the server's default blob limit), and a workflow task that tries one fails, again and
 * again: a case past it would be jammed for good, commands unanswered, clocks unfired.
 *
 * So the case file takes no more notes at 1 MiB, and nothing else that adds to the record at will
 * at 1.25 MiB; the commands waiting to be judged (sent without waiting) take at most another 256
 * KiB: the commands that move a complaint on are few per stage and always fit in what is left.
 * Pure; the workflow measures, these decide.
 *
 * Changing a number here changes what running complaints decide on signals (a note left out, an
 * event not recorded, a queued command refused), which replay repeats: give the workflow's
 * CASE_FILE_LIMIT_PATCH a new id with it. Commands judged by the update validator are not replayed.
 */
import type { CommandName } from './complaint';
import { commandRules, describeCommand } from './command-rules';

/** The case file (state, timeline, the inbox's ids) takes no more notes past this. */
export const CASE_FILE_LIMIT_BYTES = 1024 * 1024;

/**
 * Past this the case file takes no command that adds to the record at will, and records nothing
 * more from outside (events, commands refused unheard): a flood of them cannot take it to
 * Temporal's limit. The commands that move it on still apply.
 */
export const CASE_FILE_CEILING_BYTES = 1280 * 1024;

/** The commands sent without waiting and not judged yet hold at most this (their bodies). */
export const WAITING_COMMANDS_LIMIT_BYTES = 256 * 1024;

/**
 * One batch of effects carries at most this in messages (ledger order; the rest go in the next
 * batch, and one effect larger than this goes alone). An archive record is the whole case file.
 */
export const EFFECT_BATCH_LIMIT_BYTES = 1536 * 1024;

/** How many commands the inbox remembers by id (to tell a resend from a new command) before it forgets the oldest. */
export const REMEMBERED_COMMANDS = 1000;

/** What an outside event's note becomes in a full case file. */
export const NOTE_NOT_KEPT = '(note not kept: the case file is full)';

/** The length of `text` in UTF-8 bytes, as it travels (a CJK character is 3 bytes, an emoji 4). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    // Each half of a surrogate pair: 2 of the pair's 4 bytes (a lone half is 3, close enough).
    else if (unit >= 0xd800 && unit <= 0xdfff) bytes += 2;
    else bytes += 3;
  }
  return bytes;
}

/** The size of `value` as a JSON payload, in bytes. */
export function jsonBytes(value: unknown): number {
  return utf8Bytes(JSON.stringify(value) ?? '');
}

/**
 * Commands that add to the record and may come any number of times, in any open stage (a note, a
 * contact, a reassignment, an escalation by hand, a reclassification, a new policy or calendar).
 * Withdrawal ends the case, and the stage commands are bounded by the process: neither is refused.
 */
export function addsToTheRecordAtWill(name: CommandName): boolean {
  return commandRules[name].stages === 'any-open' && name !== 'withdraw';
}

/**
 * The size past which `name` is refused: a note (the bulk of any large case) at the limit; the
 * other commands that add to the record at the ceiling, so a full case file can still be handed to
 * another owner, escalated, reclassified or put on a new calendar; stage commands never.
 */
export function caseFileLimitFor(name: CommandName): number | undefined {
  if (!addsToTheRecordAtWill(name)) return undefined;
  return name === 'addNote' ? CASE_FILE_LIMIT_BYTES : CASE_FILE_CEILING_BYTES;
}

/** Whether a case file of `bytes` has room, is full (takes no more notes), or is at its ceiling. */
export function caseFileFullness(bytes: number): 'room' | 'full' | 'at-ceiling' {
  if (bytes >= CASE_FILE_CEILING_BYTES) return 'at-ceiling';
  return bytes >= CASE_FILE_LIMIT_BYTES ? 'full' : 'room';
}

/** Why `name` is refused with the case file at `bytes`, or undefined when it is taken. */
export function caseFileRefusal(name: CommandName, bytes: number): string | undefined {
  const limit = caseFileLimitFor(name);
  if (limit === undefined || bytes < limit) return undefined;
  return (
    `cannot ${describeCommand(name)}: the case file is full (${kib(bytes)} KiB of the ${kib(limit)} KiB it may hold for this); ` +
    'keep long texts in the CRM and refer to them. The complaint still moves on to its closure, and can be withdrawn'
  );
}

/** Why a command sent without waiting cannot join the queue of `queuedBytes`, or undefined. */
export function waitingRoomRefusal(name: CommandName, queuedBytes: number, commandBytes: number, limit = WAITING_COMMANDS_LIMIT_BYTES): string | undefined {
  if (queuedBytes + commandBytes <= limit) return undefined;
  return `cannot ${describeCommand(name)}: the commands waiting to be judged hold ${kib(queuedBytes)} KiB of ${kib(limit)} KiB; send it again once they are judged`;
}

function kib(bytes: number): string {
  return (bytes / 1024).toFixed(0);
}
