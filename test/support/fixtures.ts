/** Test data: a valid intake record and the shipped policy. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ComplaintIntake, ComplaintIntakeInput } from '../../domain/complaint';
import { intakeSchema } from '../../domain/complaint';
import { parseBusinessCalendar, type BusinessCalendar } from '../../domain/calendar';
import { parseHandlingPolicy, type HandlingPolicy } from '../../domain/policy';

export const shippedPolicy: HandlingPolicy = parseHandlingPolicy(
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'policy.json'), 'utf8')),
);

export const shippedCalendar: BusinessCalendar = parseBusinessCalendar(
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'calendars', 'cn.json'), 'utf8')),
);

/** A complete, valid intake body as a client would send it. */
export function intakeBody(overrides: Partial<ComplaintIntakeInput> = {}): ComplaintIntakeInput {
  return {
    customer: {
      id: 'cust-001',
      name: 'Li Wei',
      identityVerified: true,
      tier: 'regular',
      contact: { phone: '+86 138 0000 0000' },
    },
    channel: 'hotline',
    category: 'billing-dispute',
    severity: 'normal',
    service: 'Mobile plan 128',
    content: 'Charged twice for the October data package.',
    demand: 'Refund the duplicate charge',
    acceptedBy: { id: 'agent-7', name: 'Zhang Min' },
    ...overrides,
  };
}

export function intake(overrides: Partial<ComplaintIntakeInput> = {}): ComplaintIntake {
  return intakeSchema.parse(intakeBody(overrides));
}

let counter = 0;
/** A complaint id unique within the test run. */
export function newComplaintId(prefix = 'T'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** Actors, as commands carry them. */
export const actors = {
  owner: { id: 'agent-7', role: 'agent' },
  otherAgent: { id: 'agent-9', role: 'agent' },
  supervisor: { id: 'sup-1', role: 'supervisor' },
  supervisor2: { id: 'sup-2', role: 'supervisor' },
  manager: { id: 'mgr-1', role: 'manager' },
  billing: { id: 'billing-desk', role: 'department', department: 'billing' },
  network: { id: 'noc', role: 'department', department: 'network' },
  service: { id: 'crm', role: 'service' },
  auditor: { id: 'aud-1', role: 'auditor' },
} as const;
