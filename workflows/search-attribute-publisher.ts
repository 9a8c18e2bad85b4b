/**
 * A complaint's search attributes and its page in the Temporal UI, kept current from the case.
 */
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { ComplaintCase } from '../domain/case';
import { complaintSearchAttributes as sa } from '../contract/search-attributes';

/** Keeps the search attributes current, upserting only what changed: one upsert per stage change. */
export class SearchAttributePublisher {
  private readonly last = new Map<string, string>();
  /** The starter set CustomerId (a keyed reference, from the API): a customer never changes, so it is never upserted. */
  private readonly customerGiven: boolean;

  constructor() {
    // What the starter already set needs no upsert.
    const given = workflowInfo().typedSearchAttributes;
    for (const key of Object.values(sa)) {
      const value = given.get(key as never);
      if (value !== undefined) this.last.set(key.name, JSON.stringify(value));
    }
    this.customerGiven = this.last.has(sa.customerId.name);
    // Started by the API: what it leaves unset is at its start value (an empty list is not stored,
    // and a flag added since is false until it is raised), so it needs no upsert either.
    if (this.last.has(sa.stage.name)) {
      for (const [key, value] of [[sa.departments, '[]'], [sa.effectsFailing, 'false'], [sa.calendarFallback, 'false']] as const) {
        if (!this.last.has(key.name)) this.last.set(key.name, value);
      }
    }
  }

  publish(c: ComplaintCase): void {
    // What the complaint is and waits for, on its page in the Temporal UI (not history: free).
    setCurrentDetails(c.currentDetails());
    const s = c.state;
    const next: SearchAttributeUpdatePair[] = [
      { key: sa.stage, value: s.stage },
      { key: sa.category, value: s.intake.category },
      { key: sa.severity, value: s.intake.severity },
      { key: sa.owner, value: s.owner.id },
      { key: sa.departments, value: c.responsibleDepartments() },
      { key: sa.escalationLevel, value: s.escalationLevel },
      { key: sa.customerTier, value: s.intake.customer.tier },
      // Only for a complaint whose starter set none (as older starters did not): its raw id, as before.
      ...(this.customerGiven ? [] : [{ key: sa.customerId, value: s.intake.customer.id }]),
      { key: sa.slaBreached, value: s.slaBreached },
      { key: sa.effectsFailing, value: s.effectsFailing },
      { key: sa.calendarFallback, value: s.calendarFallback.length > 0 },
    ];
    const changed = next.filter((pair) => this.last.get(pair.key.name) !== JSON.stringify(pair.value));
    if (changed.length === 0) return;
    upsertSearchAttributes(changed);
    for (const pair of changed) this.last.set(pair.key.name, JSON.stringify(pair.value));
  }
}
