/**
 * Records the history of a complaint driven partly by signals (commands sent with
 * `Prefer: respond-async`, and events from outside) for test/replay: the replay test then shows
 * that a rule tightened later still replays what was accepted then.
 *
 *   npx tsx scripts/record-signals-history.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { complaintWorkflowId } from '../contract/complaint';
import { OWNER_ID, startStack, type Stack } from './lib/stack';
import { standardIntake, waitFor, type StandardParty } from './lib/standard-complaint';

async function send(stack: Stack, party: StandardParty, path: string, body: unknown, extra: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...stack.headersFor(party), ...extra },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const stack = await startStack();
  try {
    const async = { Prefer: 'respond-async' };
    const opened = await send(stack, 'service', '/complaints', standardIntake('signals', 'regular', OWNER_ID));
    const id = opened.complaintId as string;
    const path = `/complaints/${id}`;
    const o = { baseUrl: stack.baseUrl, headersFor: stack.headersFor };
    // The judgment, sent without waiting by the agent who owns the complaint.
    await send(stack, 'owner', `${path}/validity-judgment`, { upheld: true, reason: 'double charge confirmed', departments: ['billing'] }, async);
    await waitFor(o, id, (s) => s.stage === 'investigating');
    await send(stack, 'billing', `${path}/events/dispatch-acknowledgement`, { eventId: 'ack-1', department: 'billing', reference: 'BILL-1' });
    await send(stack, 'service', `${path}/events/repeat-contact`, { eventId: 'rc-1', channel: 'hotline', note: 'any news?' });
    await send(stack, 'billing', `${path}/findings`, { department: 'billing', cause: 'The October invoice was issued twice', partyAtFault: 'billing system' });
    await send(stack, 'billing', `${path}/remedy-proposals`, { options: [{ kind: 'explanation', description: 'The duplicate charge was reversed' }] });
    await send(stack, 'supervisor', `${path}/remedy-approval`, { optionId: 'R1-1' }, async);
    await waitFor(o, id, (s) => s.stage === 'awaiting-customer');
    // Refused (wrong stage): recorded on the timeline, changes nothing.
    await send(stack, 'owner', `${path}/callback`, { satisfied: true, comments: '' }, async);
    await send(stack, 'owner', `${path}/customer-answer`, { accepted: true });
    await waitFor(o, id);
    const handle = stack.env.client.workflow.getHandle(complaintWorkflowId(id));
    await handle.result();
    const history = await handle.fetchHistory();
    const file = join(__dirname, '..', 'test', 'replay', 'histories', 'regular-complaint-signals.history.bin');
    writeFileSync(file, temporal.api.history.v1.History.encode(history).finish());
    console.log(`written ${file} (${history.events?.length} events)`);
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
