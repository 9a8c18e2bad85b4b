/**
 * Every command and outside event proves its sender before it changes a complaint started with
 * trusted keys (domain/command-proof.ts): the proof travels beside the body, is checked here, and
 * is taken off before the rules see the body. Complaints started without keys (before proven
 * actors) take commands as they always did.
 */
import { proofRefusal, type CommandProof, type TrustedKey } from '../domain/command-proof';

/** A message's own fields, and the proof that came with it. */
export function splitProof<T extends object>(message: T): { proof: CommandProof[] | undefined; rest: T } {
  if (!message || typeof message !== 'object' || !('proof' in message)) return { proof: undefined, rest: message };
  const { proof, ...rest } = message as T & { proof?: unknown };
  return { proof: Array.isArray(proof) ? (proof as CommandProof[]) : [], rest: rest as T };
}

/** Why a command may not act on the complaint under its actor's name, or undefined when its proof holds. */
export function commandSenderRefusal(
  keys: readonly TrustedKey[] | undefined,
  complaintId: string,
  name: string,
  id: string | undefined,
  message: { actor?: unknown; proof?: unknown },
  nowMs: number,
): string | undefined {
  if (!keys) return undefined;
  const { proof, rest } = splitProof(message);
  const { actor, ...body } = rest as { actor?: { id: string; role: string; department?: string } };
  if (!actor || typeof actor !== 'object' || !id) return 'no proof of its sender: commands reach a complaint through the service, which signs them';
  return proofRefusal(proof, { complaintId, name, id, actor, body }, keys, nowMs);
}

/** The same for an event from outside: its sender is the system the service authenticated (`sentBy`). */
export function eventSenderRefusal(keys: readonly TrustedKey[] | undefined, complaintId: string, name: string, raw: unknown, nowMs: number): string | undefined {
  if (!keys) return undefined;
  const { proof, rest } = splitProof((raw ?? {}) as { sentBy?: { id: string; role: string; department?: string }; eventId?: unknown });
  const { sentBy, ...event } = rest;
  if (!sentBy || typeof event.eventId !== 'string') return 'no proof of its sender: events reach a complaint through the service, which signs them';
  return proofRefusal(proof, { complaintId, name, id: event.eventId, actor: sentBy, body: event }, keys, nowMs);
}

/** The event as the rules know it: without its proof and sender. */
export function eventWithoutProof(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object') return raw;
  const { proof: _proof, sentBy: _sentBy, ...event } = raw as Record<string, unknown>;
  return event;
}
