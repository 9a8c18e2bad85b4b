/**
 * The complaint's activities: thin adapters from the workflow to the ports. Built by a factory from
 * their dependencies; workflows import the *type* of the result only.
 */
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { EffectResult } from '../domain/effects';
import type { ArchiveRecord, EffectRequest, SameArchiveRecord, ComplaintPorts, CommandVerdict, SubmittedCommandRequest } from './ports';
import { noEffectMetrics, type EffectMetrics } from './metrics';
/** The record an archive effect writes: its own, or (under its own key) the one an earlier effect of its batch carries. */
function archiveRecordOf(message: ArchiveRecord | SameArchiveRecord, batch: readonly EffectRequest[]): ArchiveRecord {
  if (!('sameRecordAs' in message)) return message;
  const carrier = batch.find((e) => e.key === message.sameRecordAs);
  if (carrier?.kind !== 'archive' || 'sameRecordAs' in carrier.message) {
    throw ApplicationFailure.nonRetryable(`archive effect ${message.idempotencyKey}: no record under ${message.sameRecordAs} in its batch`, 'ArchiveRecordMissing');
  }
  return { ...carrier.message, idempotencyKey: message.idempotencyKey };
}

/** The activities over `ports`; `metrics` counts staff notices, closed complaints and failing effects (worker/metrics.ts serves them). */
export function createActivities(ports: ComplaintPorts, metrics: EffectMetrics = noEffectMetrics) {
  /** One effect through its port (`batch`: the rest of its batch, for a record the same as an earlier one). */
  async function carryOut(effect: EffectRequest, batch: readonly EffectRequest[]): Promise<string | undefined> {
    switch (effect.kind) {
      case 'customer-notice':
        await ports.customers.notify(effect.message);
        return undefined;
      case 'staff-notice':
        await ports.staff.notify(effect.message);
        metrics.staffNotified(effect.message);
        return undefined;
      case 'department-dispatch':
        await ports.departments.dispatch(effect.message);
        return undefined;
      case 'service-fix':
        await ports.departments.scheduleFix(effect.message);
        return undefined;
      case 'payment':
        return (await ports.billing.pay(effect.message)).reference;
      case 'service-cancellation':
        await ports.billing.cancelService(effect.message);
        return undefined;
      case 'penalty':
        await ports.penalties.record(effect.message);
        return undefined;
      case 'archive': {
        const record = archiveRecordOf(effect.message, batch);
        await ports.archive.archive(record);
        metrics.archived(record);
        return undefined;
      }
      case 'lifecycle-events':
        await ports.lifecycle.publish(effect.message);
        return undefined;
      default: {
        const unknown: never = effect;
        throw ApplicationFailure.nonRetryable(`unknown effect ${JSON.stringify(unknown)}`, 'UnknownEffect');
      }
    }
  }

  /** One effect of a batch and how it came out: a refusal or an outage is an outcome, not a failure. */
  async function carryOutReported(effect: EffectRequest, batch: readonly EffectRequest[]): Promise<EffectResult> {
    try {
      return { key: effect.key, outcome: 'done', reference: await carryOut(effect, batch) };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const refused = err instanceof ApplicationFailure && err.nonRetryable === true;
      metrics.activityFailed(effect.kind, refused);
      return { key: effect.key, outcome: refused ? 'refused' : 'unavailable', reason: reason.slice(0, 500) };
    }
  }

  return {
    /**
     * Hands a command sent without waiting back to its complaint as the update the synchronous
     * route sends (same id, so applied once): the update's validator judges it, by today's rules,
     * against the case as it is; the verdict comes back as data.
     */
    async submitCommand(request: SubmittedCommandRequest): Promise<CommandVerdict> {
      if (!ports.commands) throw ApplicationFailure.nonRetryable('no command port: the worker sends commands through its own Temporal connection', 'CommandPortMissing');
      return ports.commands.sendAsUpdate(request);
    },

    /**
     * Carries out a batch of owed effects, in order, each through its port under its idempotency
     * key, and reports how each came out. An outside system's refusal or absence is an outcome, not
     * an activity failure: the workflow's failure policy decides what follows, per effect, so one
     * system that is down holds up no other effect.
     */
    async carryOutEffects(batch: { complaintId: string; effects: EffectRequest[] }): Promise<EffectResult[]> {
      const results: EffectResult[] = [];
      const alive = keepAlive(() => results.length);
      try {
        for (const effect of batch.effects) results.push(await carryOutReported(effect, batch.effects));
      } finally {
        alive.stop();
      }
      return results;
    },
  };
}

/**
 * How often a running batch tells Temporal it is alive: a third of the batches' heartbeat timeout
 * (30 s, workflows/complaint.ts), so a worker killed mid-batch is still noticed within it.
 */
export const HEARTBEAT_EVERY_MS = 10_000;

/**
 * Heartbeats every HEARTBEAT_EVERY_MS, with the number of effects done, until stopped. Most batches
 * end in milliseconds and send none: a heartbeat is a server round trip and a write of the
 * complaint's state, once per batch if sent before each effect (the SDK sends the first at once).
 * The server's heartbeat timer runs from the batch's start, so a batch that never heartbeats is
 * retried within the timeout all the same.
 */
function keepAlive(done: () => number): { stop(): void } {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    // Called outside an activity (unit tests of the activities): nothing to tell.
    return { stop: () => undefined };
  }
  const timer = setInterval(() => context.heartbeat(done()), HEARTBEAT_EVERY_MS);
  return { stop: () => clearInterval(timer) };
}

/** The activities as the workflow sees them. */
export type ComplaintActivities = ReturnType<typeof createActivities>;
