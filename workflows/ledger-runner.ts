/**
 * Carries a complaint's effects ledger out: what is owed and due, in ledger order, as one batch
 * activity, each outcome reported back to the case (which applies the failure policy).
 */
import { condition, proxyActivities } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/common';
import type { ComplaintActivities } from '../activities';
import type { EffectRequest } from '../contract/effects';
import type { ComplaintCase, OwedEffect } from '../domain/case';
import { EFFECT_BATCH_LIMIT_BYTES, jsonBytes } from '../domain/case-file-size';
import { assertNever, describeEffect } from '../domain/effects';
import { lifecycleEventsOf } from '../domain/lifecycle-events';
import type { SearchAttributePublisher } from './search-attribute-publisher';

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

/**
 * Carries the effects ledger out: whatever is owed and due, in ledger order, as one batch activity;
 * each outcome goes back to the case, which applies the failure policy. Effects waiting for a
 * retry (or for the contact window) set the only other timer. Ends once the case is closed and
 * every effect is settled. `busy` while a batch is out (continue-as-new waits for it).
 */
export class LedgerRunner {
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
export function batchOf(c: ComplaintCase, due: OwedEffect[]): { batch: OwedEffect[]; requests: EffectRequest[] } {
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
