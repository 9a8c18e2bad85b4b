/**
 * The complaint's inbox: every command it has heard of by id (sent as an update or as the
 * `submitCommand` signal), the queue of signalled commands waiting for their judgment, and the ids
 * of the outside events already heard. Deterministic workflow state, carried over continue-as-new.
 */
import { commandNames } from '../domain/vocabulary';
import type { CommandName } from '../domain/complaint';
import type { CommandRejection } from '../domain/case-state';
import type { CommandStatus, InboxSnapshot, SubmittedCommand } from './definitions';

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

  constructor(snapshot?: InboxSnapshot) {
    for (const s of snapshot?.commands ?? []) this.statuses.set(s.commandId, s);
    this.eventIds = new Set(snapshot?.eventIds);
    this.queue.push(...(snapshot?.queued ?? []));
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
   * resend, or the same command already sent as an update). Returns why a malformed one is refused.
   */
  submit(raw: unknown, now: Date): string | undefined {
    const problem = malformed(raw);
    if (problem) return problem;
    const command = raw as SubmittedCommand;
    if (this.statuses.has(command.commandId)) return undefined;
    this.statuses.set(command.commandId, { commandId: command.commandId, command: command.command, via: 'signal', status: 'pending', receivedAt: now.toISOString() });
    this.queue.push(command);
    return undefined;
  }

  /** The queued command at the head was judged: applied, or refused with the validator's reason. */
  decided(commandId: string, rejection: Pick<CommandRejection, 'kind' | 'message' | 'field'> | undefined, now: Date): void {
    const head = this.queue.shift();
    if (head?.commandId !== commandId) throw new Error(`inbox out of order: decided ${commandId}, head ${head?.commandId}`);
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
