/**
 * Events from outside systems that reach a running complaint as signals (the server records them
 * the moment they arrive, worker or not), and what the policy says each one does. Pure; no zod
 * (the policy's schema is in outside-event-policy.ts, the events' in outside-event-schemas.ts).
 */
import type { Department } from './vocabulary';

/** The signal names, usable from `temporal workflow signal --name <name>` with plain JSON. */
export const outsideEventNames = ['repeatContact', 'externalReferral', 'dispatchAcknowledged', 'settlementConfirmed'] as const;
export type OutsideEventName = (typeof outsideEventNames)[number];

/** The customer contacted us again about this complaint (a repeat contact, 重复投诉). */
export interface RepeatContact {
  eventId: string;
  channel: string;
  note?: string;
}

/** A regulator referral or a media exposure arrived while the complaint is open (001: urgent path). */
export interface ExternalReferral {
  eventId: string;
  source: 'regulator' | 'media';
  reference?: string;
  note?: string;
}

/** A department's system confirms it has the dispatched case. */
export interface DispatchAcknowledged {
  eventId: string;
  department: Department;
  reference?: string;
}

/** A payment or cancellation system answers, later, for a submitted settlement. */
export interface SettlementConfirmed {
  eventId: string;
  /** The ledger key of the payment or cancellation effect it answers for. */
  effectKey: string;
  outcome: 'confirmed' | 'failed';
  reference?: string;
  reason?: string;
}

export interface OutsideEvents {
  repeatContact: RepeatContact;
  externalReferral: ExternalReferral;
  dispatchAcknowledged: DispatchAcknowledged;
  settlementConfirmed: SettlementConfirmed;
}

/** Settlement effects whose outside system may answer later. */
export const settlementKinds = ['payment', 'service-cancellation'] as const;
export type SettlementKind = (typeof settlementKinds)[number];

/** policy.outsideEvents: what each event does (data; defaults from the seeds where they speak). */
export interface OutsideEventPolicy {
  source?: string;
  repeatContact: {
    /**
     * `promise-missed` (default): a repeat contact escalates when a promised time or an SLA clock
     * has already passed unmet (001: the customer chasing a broken promise goes up a level);
     * `always`: every repeat contact escalates; `never`: recorded and counted only.
     */
    escalateWhen: 'promise-missed' | 'always' | 'never';
  };
  externalReferral: {
    /** 001: a referral or exposure takes the urgent path (shorter clocks) from that moment. */
    makeUrgent: boolean;
    /** …and goes at once to at least this escalation level (0 = owner). */
    escalateToLevel: number;
  };
  settlement: {
    /** Kinds whose adapter's "done" means submitted: the remedy waits for the confirmation event. */
    awaitConfirmationOf: SettlementKind[];
    /** How long the implementation waits for a confirmation before escalating. */
    confirmWithinHours: number;
  };
}

/** The defaults (policies recorded before this existed get them too). */
export const defaultOutsideEventPolicy: OutsideEventPolicy = {
  source: '001: special complaints (media, regulator) take the urgent path and escalate at once; repeat contacts after a missed promise go up a level. Confirmation wait: chosen.',
  repeatContact: { escalateWhen: 'promise-missed' },
  externalReferral: { makeUrgent: true, escalateToLevel: 2 },
  settlement: { awaitConfirmationOf: [], confirmWithinHours: 24 },
};

/** Whether a repeat contact escalates, per the policy, given what has passed unmet. */
export function repeatContactEscalates(policy: OutsideEventPolicy['repeatContact'], somethingPassedUnmet: boolean): boolean {
  switch (policy.escalateWhen) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'promise-missed':
      return somethingPassedUnmet;
  }
}
