/**
 * The complaint's inbox: every command it has heard of by id (sent as an update or as the
 * `submitCommand` signal), the queue of signalled commands waiting for their judgment, and the ids
 * of the outside events already heard. Deterministic workflow state, carried over continue-as-new.
 */
import { commandNames } from '../domain/vocabulary';
import type { CommandName } from '../domain/complaint';
import type { CommandRejection } from '../domain/case-state';
import { jsonBytes } from '../domain/case-file-size';
import type { CommandStatus, InboxSnapshot, SubmittedCommand } from '../contract/complaint';

/** Longest command id kept (the API's are `<command>:<caller>:<key>`, each part bounded). */
const MAX_COMMAND_ID = 512;

export class CommandInbox {
  private readonly statuses = new Map<string, CommandStatus>();
  private readonly eventIds: Set<string>;
  private readonly queue: SubmittedCommand[] = [];
  /** A queued command is being judged right now (its activity is out). */
  judging = false;
  /** The run is about to continue as new: queued commands wait for the next run. */
  holding = false;
  /** What the queued commands hold, in bytes (bounded: case-file-size.ts). */
  queuedBytes = 0;

  constructor(snapshot?: InboxSnapshot) {
    for (const s of snapshot?.commands ?? []) this.statuses.set(s.commandId, s);
    this.eventIds = new Set(snapshot?.eventIds);
    for (const queued of snapshot?.queued ?? []) this.enqueue(queued);
  }

  /** What the inbox carries with the case (the ids it remembers, not the queue), in bytes. */
  sizeInBytes(): number {
    return jsonBytes([...this.statuses.values()]) + jsonBytes([...this.eventIds]);
  }

  /** How many commands it remembers by id (decided or not). */
  get remembered(): number {
    return this.statuses.size;
  }

  /**
   * Forgets the oldest decided commands past `keep`: a resend that old is not told from a new
   * command any more (Temporal's own update dedupe still holds within the run). Queued ones stay.
   */
  forgetOldestDecided(keep: number): void {
    for (const [id, status] of this.statuses) {
      if (this.statuses.size <= keep) return;
      if (status.status !== 'pending' && !this.queue.some((q) => q.commandId === id)) this.statuses.delete(id);
    }
  }

  snapshot(): InboxSnapshot {
    return { commands: [...this.statuses.values()], eventIds: [...this.eventIds], queued: [...this.queue] };
  }

  status(commandId: string): CommandStatus | null {
    return this.statuses.get(commandId) ?? null;
  }

  /** Whether a command under this id was applied already. */
  applied(commandId: string | undefined): boolean {
    return commandId !== undefined && this.statuses.get(commandId)?.status === 'applied';
  }

  /** No command waits to be judged (continue-as-new and completion wait for this). */
  get idle(): boolean {
    return this.queue.length === 0 && !this.judging;
  }

  get next(): SubmittedCommand | undefined {
    return this.queue[0];
  }

  /**
   * A signalled command arrives: queued in arrival order, unless its id was heard before (a
   * resend, or the same command already sent as an update). A malformed one is refused unheard;
   * one that `refuse` turns away (the queue is full) is refused at once under its id.
   */
  submit(raw: unknown, now: Date, refuse?: (command: SubmittedCommand, bytes: number) => string | undefined): { malformed: string } | { refused: SubmittedCommand; reason: string } | undefined {
    const problem = malformed(raw);
    if (problem) return { malformed: problem };
    const command = raw as SubmittedCommand;
    if (this.statuses.has(command.commandId)) return undefined;
    const at = now.toISOString();
    const reason = refuse?.(command, jsonBytes(command));
    if (reason) {
      const rejection = { kind: 'case-file-full' as const, message: reason };
      this.statuses.set(command.commandId, { commandId: command.commandId, command: command.command, via: 'signal', status: 'refused', receivedAt: at, decidedAt: at, rejection });
      return { refused: command, reason };
    }
    this.statuses.set(command.commandId, { commandId: command.commandId, command: command.command, via: 'signal', status: 'pending', receivedAt: at });
    this.enqueue(command);
    return undefined;
  }

  private enqueue(command: SubmittedCommand): void {
    this.queue.push(command);
    this.queuedBytes += jsonBytes(command);
  }

  /** The queued command at the head was judged: applied, or refused with the validator's reason. */
  decided(commandId: string, rejection: Pick<CommandRejection, 'kind' | 'message' | 'field'> | undefined, now: Date): void {
    const head = this.queue.shift();
    if (head?.commandId !== commandId) throw new Error(`inbox out of order: decided ${commandId}, head ${head?.commandId}`);
    this.queuedBytes -= jsonBytes(head);
    const status = this.statuses.get(commandId)!;
    if (status.status === 'applied' && !rejection) return; // its update was applied (status set then)
    status.status = rejection ? 'refused' : 'applied';
    status.decidedAt = now.toISOString();
    if (rejection) status.rejection = { kind: rejection.kind, message: rejection.message, ...(rejection.field ? { field: rejection.field } : {}) };
  }

  /**
   * A command applied as an update: its id is its update id. A signalled one pending under the
   * same id (sent back by the activity, or sent again synchronously) is the same command, applied.
   */
  appliedAsUpdate(updateId: string, command: CommandName, now: Date): void {
    const at = now.toISOString();
    const pending = this.statuses.get(updateId);
    if (pending?.status === 'pending') Object.assign(pending, { status: 'applied', decidedAt: at });
    else this.statuses.set(updateId, { commandId: updateId, command, via: 'update', status: 'applied', receivedAt: at, decidedAt: at });
  }

  /** Whether this outside event is heard for the first time (and remembers it). */
  firstHearing(name: string, eventId: string): boolean {
    const key = `${name}:${eventId}`;
    if (this.eventIds.has(key)) return false;
    this.eventIds.add(key);
    return true;
  }
}

/** Why a `submitCommand` payload cannot even be queued (the CLI sends whatever JSON it is given). */
function malformed(raw: unknown): string | undefined {
  const c = raw as Partial<SubmittedCommand> | null;
  if (typeof c !== 'object' || c === null) return 'the signal carries no command object';
  if (typeof c.commandId !== 'string' || c.commandId.trim() === '' || c.commandId.length > MAX_COMMAND_ID) {
    return `commandId: a non-empty string of at most ${MAX_COMMAND_ID} characters`;
  }
  if (!(commandNames as readonly unknown[]).includes(c.command)) return `command: one of ${commandNames.join(', ')}`;
  if (typeof c.input !== 'object' || c.input === null || Array.isArray(c.input)) return 'input: the command body with its actor, as an object';
  return undefined;
}
