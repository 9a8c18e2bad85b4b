/**
 * The complaint handlers: open a complaint (start its workflow), read it (queries), and send it
 * commands (updates). They only translate HTTP to the workflow's contract; the workflow's
 * validators decide whether a command is accepted, and the error mapper turns refusals into 4xx.
 */
import { developmentCommandSigner } from '../auth/command-signer';
import type { ApiDeps } from '../deps';
import { complaintAccess } from './access';
import { openHandler } from './open-handler';
import { readHandlers } from './read-handlers';
import { commandHandlers } from './command-handlers';

export { complaintOpened, commandStatusLink, commandStatusView, type ComplaintOpened, type CommandAccepted, type OutsideEventAccepted } from './answers';

/** How long a read waits for the complaint's worker before answering the last known state. */
export const READ_WAIT_MS = 2_000;
/** How long a command waits for the complaint's worker before answering 503 with Retry-After. */
export const COMMAND_WAIT_MS = 10_000;

export function complaintHandlers(deps: ApiDeps) {
  const { client, archive } = deps;
  const readWaitMs = deps.readWaitMs ?? READ_WAIT_MS;
  const commandWaitMs = deps.commandWaitMs ?? COMMAND_WAIT_MS;
  const access = complaintAccess({ client, archive, readWaitMs, commandWaitMs });
  const { open } = openHandler(deps, access);
  const { list, read, timeline, commandStatus } = readHandlers(deps, access);
  const { command, outsideEvent } = commandHandlers(access, deps.commandSigner ?? developmentCommandSigner());
  return { open, list, read, timeline, command, commandStatus, outsideEvent };
}
