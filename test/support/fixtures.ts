/** Test data: a valid intake record and the shipped policy. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandName, ComplaintIntake, ComplaintIntakeInput } from '../../domain/complaint';
import { intakeSchema } from '../../domain/complaint';
import type { BusinessCalendar } from '../../domain/calendar';
import { loadCalendar } from '../../config/settings';
import { parseHandlingPolicy, type HandlingPolicy } from '../../domain/policy';
import { contactAtAnyHour } from '../../scripts/lib/wall-clock-policy';

export const shippedPolicy: HandlingPolicy = parseHandlingPolicy(
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'policy.json'), 'utf8')),
);

/**
 * The shipped policy with contact at any hour, for tests on the dev server's wall clock: under the
 * shipped one a notice waits for 08:00 in Shanghai, and a test run at night waited with it.
 */
export const wallClockPolicy: HandlingPolicy = contactAtAnyHour(shippedPolicy);

export const shippedCalendar: BusinessCalendar = loadCalendar(join(__dirname, '..', '..', 'config', 'calendars', 'cn'));

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
  generalManager: { id: 'gm-1', role: 'general-manager' },
  billing: { id: 'billing-desk', role: 'department', department: 'billing' },
  network: { id: 'noc', role: 'department', department: 'network' },
  service: { id: 'crm', role: 'service' },
  auditor: { id: 'aud-1', role: 'auditor' },
  engineer: { id: 'eng-1', role: 'engineer' },
  privacyOfficer: { id: 'privacy-1', role: 'privacy-officer' },
} as const;

const refund = (amountFen: number) => ({ kind: 'refund', description: 'Refund the duplicate charge', amountFen });

/** One valid body per command, for a complaint about a billing fault (the billing desk is responsible). */
export const commandBodies: Record<CommandName, Record<string, unknown>> = {
  judgeValidity: { upheld: true, reason: 'The bill shows the package twice', departments: ['billing'] },
  recordFindings: { department: 'billing', cause: 'A retry charged the package twice', partyAtFault: 'billing system', evidence: ['bill 2026-10'] },
  handOverToDepartment: { from: 'billing', to: 'network', reason: 'The retry came from the data gateway' },
  proposeRemedies: { options: [refund(3000)] },
  requireConsultation: { approvers: ['sup-1', 'mgr-1', 'gm-1', 'billing-desk'], reason: 'Repeated billing fault' },
  recordConsultation: { opinion: 'Refund in full', supports: true },
  approveRemedy: { optionId: 'R1-1' },
  returnRemedies: { reason: 'Consider compensation as well' },
  recordCustomerAnswer: { accepted: true },
  recordCallback: { satisfied: true },
  disputeJudgment: { reason: 'The customer has a second bill showing the charge' },
  withdraw: { reason: 'The customer found the refund already paid' },
  addNote: { text: 'Customer prefers SMS' },
  recordContact: { channel: 'phone', purpose: 'progress', summary: 'Told the customer billing is checking' },
  reassignOwner: { newOwner: { id: 'agent-9', name: 'Wang Fang' }, reason: 'Agent 7 is on leave' },
  escalate: { reason: 'The customer threatens to call the regulator' },
  reclassify: { severity: 'urgent', reason: 'Posted on social media' },
  confirmServiceRestored: { note: 'Base station back' },
  applyPolicy: { policy: shippedPolicy as unknown as Record<string, unknown>, reason: 'New quarter policy' },
  applyCalendar: { calendar: shippedCalendar as unknown as Record<string, unknown>, reason: 'The 2027 holidays are published' },
  approveRuleChange: { reason: 'Checked against the quarter budget' },
};

/** The shipped policy with the manager's approval limit raised: a change that needs a second manager. */
export const raisedLimitPolicy = { ...shippedPolicy, version: `${shippedPolicy.version}-raised`, approval: { ...shippedPolicy.approval, limitsFen: { ...shippedPolicy.approval.limitsFen, manager: 900_000 } } };
