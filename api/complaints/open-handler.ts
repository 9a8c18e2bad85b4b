/** Opening a complaint: POST /complaints starts its workflow, once per Idempotency-Key. */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { COMPLAINT_WORKFLOW_TYPE, TASK_QUEUE, complaintStateQuery, complaintWorkflowId } from '../../contract/complaint';
import { complaintStartInput } from '../../contract/versions';
import type { PrincipalLocals } from '../http/auth';
import { problem } from '../http/problem';
import type { ValidatedHandler } from '../http/validate';
import type { ApiDeps } from '../deps';
import { complaintIdForKey, generateComplaintId, intakeDigest } from './identity';
import { complaintUiDetails, complaintUiSummary } from './ui-metadata';
import { intakeSearchAttributes } from '../../contract/search-attributes';
import { customerRefs } from './customer-ref';
import { developmentCommandSigner } from '../auth/command-signer';
import { routeIntakeAroundSuspension } from '../../archive/scorecard';
import type { openComplaintRequest } from './schemas';
import type { ComplaintAccess, ComplaintWorkflow } from './access';
import { complaintOpened } from './answers';

/** The memo key holding the digest of the intake a complaint was opened with. */
const INTAKE_DIGEST_MEMO = 'intakeDigest';

export function openHandler(deps: ApiDeps, access: ComplaintAccess) {
  const { policy, calendar, assessment, newComplaintId = generateComplaintId } = deps;
  const { client, complaint, orFromArchive } = access;
  const refOf = customerRefs(deps.customerRefKey);
  // Each new complaint trusts the API's signing keys: only commands they prove act on it.
  const { trustedKeys } = deps.commandSigner ?? developmentCommandSigner();

  /** POST /complaints: accept a complaint (201), or recognise a retry of the same one (200). */
  const open: ValidatedHandler<typeof openComplaintRequest, PrincipalLocals> = async (_req, res) => {
    const { headers, body: intake } = res.locals.input;
    const { principal } = res.locals;
    // The first responder owns the complaint; an agent opens only the complaints it takes itself.
    if (principal.role === 'agent' && intake.acceptedBy.id !== principal.id) {
      throw problem('access-denied', `Agent ${principal.id} may open only complaints it accepts itself`, {
        errors: [{ field: 'acceptedBy.id', reason: `must be ${principal.id}, the agent sending the request` }],
      });
    }
    // 000 §2d: a partner under suspension gets no new transferred complaints: the platform keeps them.
    const startIntake = (i: typeof intake) => {
      const { intake: routed } = routeIntakeAroundSuspension(i, (partner) => assessment?.partners[partner]?.suspended === true);
      return { ...routed, receivedAt: routed.receivedAt ?? new Date().toISOString() };
    };
    const key = headers['idempotency-key'];
    const complaintId = key ? complaintIdForKey(key, principal.id) : newComplaintId();
    const workflowId = complaintWorkflowId(complaintId);
    // Digest what the client sent: a defaulted receivedAt would differ on every retry.
    const digest = intakeDigest(intake);
    let status = 201;
    // Its personal data is encrypted under its customer's own key from the first payload on.
    await deps.archive?.customerKeys?.bindComplaint(complaintId, refOf(intake.customer.id));
    try {
      await client.workflow.start<ComplaintWorkflow>(COMPLAINT_WORKFLOW_TYPE, {
        taskQueue: TASK_QUEUE,
        workflowId,
        args: [complaintStartInput({ complaintId, intake: startIntake(intake), policy, calendar, trustedKeys })],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { [INTAKE_DIGEST_MEMO]: digest },
        // Findable from the first moment, with no upsert by the workflow.
        typedSearchAttributes: intakeSearchAttributes(intake, policy, refOf(intake.customer.id)),
        // Told apart in the Web UI's list, and readable on its page, without opening anything.
        staticSummary: complaintUiSummary(complaintId, intake),
        staticDetails: complaintUiDetails(startIntake(intake)),
      });
    } catch (err) {
      if (!(key && err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const { memo } = await complaint(complaintId).describe();
      if (memo?.[INTAKE_DIGEST_MEMO] !== digest) {
        throw problem('idempotency-key-reused', 'This Idempotency-Key already opened a complaint with a different body; use a new key', {
          errors: [{ field: 'Idempotency-Key', reason: 'already used for a different complaint' }],
        });
      }
      status = 200;
    }
    // A replay tells where the complaint is now, not where it started.
    const stage = status === 201 ? 'awaiting-judgment' : (await orFromArchive(() => complaint(complaintId).query(complaintStateQuery), complaintId, (r) => r.state, res)).stage;
    const opened = complaintOpened(complaintId, stage);
    res.status(status).location(opened.links.self).json(opened);
  };

  return { open };
}
