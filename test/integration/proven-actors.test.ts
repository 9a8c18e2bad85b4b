/**
 * Someone who reaches Temporal but holds no key of the service, trying through the raw Temporal
 * client (not the API) to act on a complaint the API opened: a forged actor for every role on an
 * update, on the submitCommand signal and on each outside-event signal; a proof made with another
 * key, for another complaint, command, id or body, or past its expiry. Each is refused and changes
 * nothing; a command the service signed is taken.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import request from 'supertest';
import { createCommandSigner, developmentCommandSigner } from '../../api/auth/command-signer';
import { commandUpdate, complaintStateQuery, complaintTimelineQuery, complaintWorkflowId, outsideEventSignals, submitCommandSignal } from '../../contract/complaint';
import { roles, type Role } from '../../domain/complaint';
import { outsideEventNames } from '../../domain/outside-events';
import { intakeBody, newComplaintId } from '../support/fixtures';
import { asService } from '../support/http';
import { useIntegrationTestbed } from '../support/integration-testbed';

const testbed = useIntegrationTestbed({ idPrefix: 'PROOF' });
const signer = developmentCommandSigner();
const attacker = createCommandSigner([{ kid: 'dev-1', seed: new Uint8Array(32).fill(9) }]);

async function openComplaint(): Promise<{ id: string; handle: WorkflowHandle }> {
  const res = await request(testbed.app).post('/complaints').set(asService()).send(intakeBody({ content: `Charged twice (${newComplaintId('case')}).` })).expect(201);
  return { id: res.body.complaintId, handle: testbed.client.workflow.getHandle(complaintWorkflowId(res.body.complaintId)) };
}

const note = (text: string) => ({ text });
const actorOf = (role: Role) => ({ id: `forged-${role}`, role, ...(role === 'department' ? { department: 'billing' } : {}) });

async function refusal(send: Promise<unknown>): Promise<string> {
  try {
    await send;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return String((err as WorkflowUpdateFailedError).cause?.message);
  }
  throw new Error('the forged command was taken');
}

async function acceptedUpdates(handle: WorkflowHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
}

it('a forged actor of any role, on any update, is refused before it enters history', async () => {
  const { handle } = await openComplaint();
  const before = await acceptedUpdates(handle);
  for (const role of roles) {
    const message = await refusal(handle.executeUpdate(commandUpdate('addNote'), { args: [{ actor: actorOf(role), ...note('forged') } as never], updateId: `forged-${role}` }));
    expect(message).toMatch(/no proof of its sender/);
  }
  expect(await refusal(handle.executeUpdate(commandUpdate('approveRemedy'), { args: [{ actor: { id: 'nobody-real', role: 'manager' }, optionId: 'R1-1' } as never] }))).toMatch(/no proof/);
  expect(await acceptedUpdates(handle)).toBe(before);
  expect((await handle.query(complaintStateQuery)).notes).toEqual([]);
});

it('a proof from another key, for another complaint, command, id, actor or body, or expired, is refused', async () => {
  const { id, handle } = await openComplaint();
  const other = await openComplaint();
  const actor = { id: 'sup-1', role: 'supervisor' as const };
  const body = note('signed elsewhere');
  const send = (proof: unknown, updateId: string, sent: object = body) => handle.executeUpdate(commandUpdate('addNote'), { args: [{ ...sent, actor, proof } as never], updateId });
  const facts = (over: object = {}) => ({ complaintId: id, name: 'addNote', id: 'u-1', actor, body, ...over });
  expect(await refusal(send(attacker.prove(facts()), 'u-1'))).toMatch(/does not match/);
  expect(await refusal(send(signer.prove(facts({ complaintId: other.id })), 'u-1'))).toMatch(/does not match/);
  expect(await refusal(send(signer.prove(facts({ name: 'escalate' })), 'u-1'))).toMatch(/does not match/);
  expect(await refusal(send(signer.prove(facts({ id: 'u-2' })), 'u-1'))).toMatch(/does not match/);
  expect(await refusal(send(signer.prove(facts({ actor: { id: 'mgr-1', role: 'manager' } })), 'u-1'))).toMatch(/does not match/);
  expect(await refusal(send(signer.prove(facts()), 'u-1', note('another text')))).toMatch(/does not match/);
  expect(await refusal(send(signer.prove(facts(), new Date(Date.now() - 60 * 60_000)), 'u-1'))).toMatch(/expired/);
  expect((await handle.query(complaintStateQuery)).notes).toEqual([]);

  // What the service signed is taken, once: the same id again changes nothing.
  const proof = signer.prove(facts());
  await send(proof, 'u-1');
  await send(proof, 'u-1');
  expect((await handle.query(complaintStateQuery)).notes.map((n: { text: string }) => n.text)).toEqual(['signed elsewhere']);
  // Nor does the same proof under another id.
  expect(await refusal(send(proof, 'u-9'))).toMatch(/does not match/);
});

it('a forged command sent without waiting is recorded as refused and changes nothing', async () => {
  const { handle } = await openComplaint();
  await handle.signal(submitCommandSignal, { commandId: 'forged-async', command: 'addNote', input: { actor: { id: 'nobody-real', role: 'manager' }, text: 'forged' } });
  let refused: { summary: string } | undefined;
  for (const deadline = Date.now() + 20_000; !refused && Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    refused = ((await handle.query(complaintTimelineQuery)) as Array<{ type: string; summary: string }>).find((e) => e.type === 'command-refused');
  }
  expect(refused?.summary).toMatch(/no proof of its sender/);
  expect((await handle.query(complaintStateQuery)).notes).toEqual([]);
});

it('each forged outside event is recorded as refused; the complaint hears none of them', async () => {
  const { handle } = await openComplaint();
  const events = {
    repeatContact: { eventId: 'e-1', channel: 'hotline' },
    externalReferral: { eventId: 'e-2', source: 'regulator' },
    dispatchAcknowledged: { eventId: 'e-3', department: 'billing' },
    settlementConfirmed: { eventId: 'e-4', effectKey: 'x', outcome: 'confirmed' },
  } as const;
  const before = await handle.query(complaintStateQuery);
  for (const name of outsideEventNames) {
    await handle.signal(outsideEventSignals[name] as never, { ...events[name], sentBy: { id: 'billing-system', role: 'service' } } as never);
  }
  let ignored: Array<{ summary: string }> = [];
  for (const deadline = Date.now() + 20_000; ignored.length < outsideEventNames.length && Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    ignored = ((await handle.query(complaintTimelineQuery)) as Array<{ type: string; summary: string }>).filter((e) => e.type === 'outside-event-ignored');
  }
  expect(ignored.map((e) => e.summary)).toEqual(outsideEventNames.map((name) => expect.stringMatching(new RegExp(`^${name} e-\\d refused: no proof of its sender`))));
  const after = await handle.query(complaintStateQuery);
  expect({ repeatContacts: after.repeatContacts, referrals: after.referrals, escalationLevel: after.escalationLevel }).toEqual({ repeatContacts: before.repeatContacts, referrals: before.referrals, escalationLevel: before.escalationLevel });
});

it('an outside event the service proves is heard, and names the system that sent it', async () => {
  const { id, handle } = await openComplaint();
  await request(testbed.app).post(`/complaints/${id}/events/repeat-contact`).set(asService()).send({ eventId: 'crm-contact-1', channel: 'hotline' }).expect(202);
  let heard: { actor?: string } | undefined;
  for (const deadline = Date.now() + 20_000; !heard && Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    heard = ((await handle.query(complaintTimelineQuery)) as Array<{ type: string; actor?: string }>).find((e) => e.type === 'repeat-contact');
  }
  expect(heard?.actor).toBe('crm');
});
