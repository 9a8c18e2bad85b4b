/**
 * What the Temporal Web UI shows of a complaint before anyone opens it: a one-line summary in the
 * workflow list (id, customer, category, severity, tier) and the intake as readable Markdown on its
 * page. Set once, at start (the workflow keeps its current details up to date itself).
 */
import type { ComplaintIntake } from '../../domain/complaint';

/** The list's one line: `C-… · Li Wei (vip) · billing-dispute · urgent`. */
export function complaintUiSummary(complaintId: string, intake: ComplaintIntake): string {
  return `${complaintId} · ${intake.customer.name} (${intake.customer.tier}) · ${intake.category} · ${intake.severity}`;
}

/** The intake record, in Markdown. */
export function complaintUiDetails(intake: ComplaintIntake): string {
  const contact = [intake.customer.contact.phone, intake.customer.contact.email].filter(Boolean).join(', ');
  return [
    `### Complaint from ${intake.customer.name}`,
    '',
    `- **Customer:** ${intake.customer.id} (${intake.customer.tier}${intake.customer.identityVerified ? ', identity verified' : ''}), ${contact}`,
    `- **Received:** ${intake.receivedAt ?? 'now'} via ${intake.channel}, accepted by ${intake.acceptedBy.name} (${intake.acceptedBy.id})`,
    `- **Category / severity / kind:** ${intake.category} / ${intake.severity}${intake.urgentReason ? ` (${intake.urgentReason})` : ''} / ${intake.kind}${intake.partner ? ` (partner ${intake.partner})` : ''}`,
    `- **Service:** ${intake.service}`,
    '',
    `**Complaint:** ${intake.content}`,
    '',
    `**Demand:** ${intake.demand}`,
  ].join('\n');
}
