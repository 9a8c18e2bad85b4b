/**
 * The command port over Temporal: a command sent without waiting goes back to its complaint as the
 * update the synchronous route sends, with the command id as its update id.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { RejectionKind } from '../../domain/case-state';
import { commandUpdate, complaintWorkflowId, rejectionFailureTypes, type CommandInput } from '../../contract/complaint';
import type { CommandPort, CommandVerdict } from '../ports';

export function createTemporalCommandPort(client: Client): CommandPort {
  return {
    async sendAsUpdate({ complaintId, commandId, name, input }): Promise<CommandVerdict> {
      const handle = client.workflow.getHandle(complaintWorkflowId(complaintId));
      try {
        await handle.executeUpdate(commandUpdate(name), { args: [input as CommandInput<typeof name>], updateId: commandId });
        return { accepted: true };
      } catch (err) {
        const refused = err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? rejectionOf(err.cause) : undefined;
        if (refused) return refused;
        // The complaint closed while the command waited: a closed complaint takes no command.
        if (err instanceof WorkflowNotFoundError) return { accepted: false, rejection: { kind: 'wrong-stage', message: 'the complaint is closed' } };
        throw err; // the server away, a deadline: the activity is retried, and the same id applied once
      }
    },
  };
}

function rejectionOf(failure: ApplicationFailure): CommandVerdict | undefined {
  const kind = (Object.keys(rejectionFailureTypes) as RejectionKind[]).find((k) => rejectionFailureTypes[k] === failure.type);
  if (!kind) return undefined;
  const field = (failure.details?.[0] as { field?: unknown } | undefined)?.field;
  return { accepted: false, rejection: { kind, message: failure.message, ...(typeof field === 'string' ? { field } : {}) } };
}
