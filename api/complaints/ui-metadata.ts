/**
 * What the Temporal Web UI shows of a complaint before anyone opens it: a one-line summary in the
 * workflow list and the intake's facts as Markdown on its page. Set once, at start (the workflow
 * keeps its current details up to date itself). Neither names the customer: whoever lists
 * workflows reads these in plaintext, so they carry the complaint's id, its classification and
 * who owns it, never the customer's name, contact, identity or words (the API serves those).
 */
import type { ComplaintIntake } from '../../domain/complaint';

/** The list's one line: `C-… · billing-dispute · urgent · vip`. */
export function complaintUiSummary(complaintId: string, intake: ComplaintIntake): string {
  return `${complaintId} · ${intake.category} · ${intake.severity} · ${intake.customer.tier}`;
}

/** The intake's facts, in Markdown: what it is and who owns it, not who complained or what they said. */
export function complaintUiDetails(intake: ComplaintIntake): string {
  return [
    `### Complaint (${intake.category})`,
    '',
    `- **Received:** ${intake.receivedAt ?? 'now'} via ${intake.channel}, accepted by ${intake.acceptedBy.name} (${intake.acceptedBy.id})`,
    `- **Category / severity / kind:** ${intake.category} / ${intake.severity}${intake.urgentReason ? ` (${intake.urgentReason})` : ''} / ${intake.kind}${intake.partner ? ` (partner ${intake.partner})` : ''}`,
    `- **Customer tier:** ${intake.customer.tier}${intake.customer.identityVerified ? ', identity verified' : ''}`,
  ].join('\n');
}
