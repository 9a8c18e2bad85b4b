/**
 * Signals on the time-skipping server: commands sent without waiting (judged by the update's own
 * rules, applied in arrival order, refusals recorded), the same command id sent both ways, and
 * every event from outside at every stage where it can arrive.
 */
import type { ComplaintState } from '../../domain/case';
import type { Stage } from '../../domain/complaint';
import { actors, shippedPolicy } from '../support/fixtures';
import { useWorkflowTestbed, type ComplaintHandle } from '../support/workflow-testbed';
import { commandUpdate } from '../../contract/complaint';

const bed = useWorkflowTestbed();

async function until(c: ComplaintHandle, done: (s: ComplaintState) => boolean, what: string, timeoutMs = 10_000): Promise<ComplaintState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await c.state();
    if (done(s)) return s;
    if (Date.now() > deadline) throw new Error(`complaint ${c.complaintId}: ${what} never happened (stage ${s.stage})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const upheld = { actor: actors.owner, upheld: true as const, reason: 'double charge', departments: ['billing' as const] };

describe('commands sent without waiting (the submitCommand signal)', () => {
  test('an accepted one is applied, its status says so, and its outcome is a lifecycle event', async () => {
    const c = await bed.start();
    await c.submit('judgeValidity', upheld, 'judge-1');
    const status = await c.decided('judge-1');
    expect(status).toMatchObject({ commandId: 'judge-1', command: 'judgeValidity', via: 'signal', status: 'applied' });
    expect(status.rejection).toBeUndefined();
    expect((await c.reaches('investigating')).assignments.map((a) => a.department)).toEqual(['billing']);
    const timeline = await c.timeline();
    expect(timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['judged-upheld', 'command-applied']));
    await c.settled();
    const published = c.effects('lifecycle-events').flatMap((b) => (b.events as Array<{ type: string }>).map((e) => e.type));
    expect(published).toContain('complaint.command-applied');
  });

  test('a refused one changes nothing; the refusal and its reason are on the timeline and in its status', async () => {
    const c = await bed.start();
    const before = await c.state();
    // A callback while the complaint awaits its judgment: the synchronous route answers 409.
    await c.submit('recordCallback', { actor: actors.owner, satisfied: true, comments: '' }, 'early-callback');
    const status = await c.decided('early-callback');
    expect(status.status).toBe('refused');
    expect(status.rejection).toMatchObject({ kind: 'wrong-stage', message: expect.stringContaining('awaiting-judgment') });
    // A department may not judge: forbidden, as the validator says.
    await c.submit('judgeValidity', { ...upheld, actor: actors.billing }, 'dept-judges');
    expect((await c.decided('dept-judges')).rejection?.kind).toBe('forbidden');
    const after = await c.state();
    expect(after.stage).toBe(before.stage);
    expect(after.callback).toBeUndefined();
    const refused = (await c.timeline()).filter((e) => e.type === 'command-refused');
    expect(refused.map((e) => e.summary)).toEqual([expect.stringContaining('record callback'), expect.stringContaining('a department may not judge validity')]);
  });

  test('accepted commands are applied in arrival order', async () => {
    const c = await bed.start();
    for (let i = 1; i <= 5; i++) await c.submit('addNote', { actor: actors.owner, text: `note ${i}` }, `note-${i}`);
    await c.decided('note-5');
    expect((await c.state()).notes.map((n) => n.text)).toEqual(['note 1', 'note 2', 'note 3', 'note 4', 'note 5']);
  });

  test('the same id twice without waiting is applied once', async () => {
    const c = await bed.start();
    await c.submit('addNote', { actor: actors.owner, text: 'once' }, 'dup');
    await c.submit('addNote', { actor: actors.owner, text: 'once' }, 'dup');
    await c.submit('addNote', { actor: actors.owner, text: 'marker' }, 'marker');
    await c.decided('marker');
    expect((await c.state()).notes.map((n) => n.text)).toEqual(['once', 'marker']);
  });

  test('the same id synchronously, then without waiting: applied once', async () => {
    const c = await bed.start();
    await c.handle.executeUpdate(commandUpdate('addNote'), { args: [{ actor: actors.owner, text: 'sync first' }], updateId: 'same-key' });
    await c.submit('addNote', { actor: actors.owner, text: 'sync first' }, 'same-key');
    await c.submit('addNote', { actor: actors.owner, text: 'marker' }, 'marker');
    await c.decided('marker');
    expect((await c.state()).notes.map((n) => n.text)).toEqual(['sync first', 'marker']);
    expect(await c.decided('same-key')).toMatchObject({ via: 'update', status: 'applied' });
  });

  test('the same id without waiting, then synchronously: applied once, and the update answers what became of it', async () => {
    const c = await bed.start();
    await c.submit('addNote', { actor: actors.owner, text: 'async first' }, 'same-key');
    const state = await c.handle.executeUpdate(commandUpdate('addNote'), { args: [{ actor: actors.owner, text: 'async first' }], updateId: 'same-key' });
    expect(state.notes.map((n) => n.text)).toEqual(['async first']);
    // A refused one is refused again, with the same reason, and still changes nothing.
    await c.submit('recordCallback', { actor: actors.owner, satisfied: true, comments: '' }, 'refused-key');
    await expect(
      c.handle.executeUpdate(commandUpdate('recordCallback'), { args: [{ actor: actors.owner, satisfied: true, comments: '' }], updateId: 'refused-key' }),
    ).rejects.toMatchObject({ cause: { type: 'CommandInWrongStage' } });
    expect((await c.state()).callback).toBeUndefined();
  });

  test('racing a synchronous command: the two judgments of one complaint apply exactly one', async () => {
    const c = await bed.start();
    const notUpheld = { actor: actors.owner, upheld: false, reason: 'the charge is correct' } as const;
    const [sync] = await Promise.allSettled([c.send('judgeValidity', notUpheld), c.submit('judgeValidity', upheld, 'racing-judgment')]);
    const asyncStatus = await c.decided('racing-judgment');
    const judgments = (await c.timeline()).filter((e) => e.type === 'judged-upheld' || e.type === 'judged-not-upheld');
    expect(judgments).toHaveLength(1);
    // Whichever came first won; the other was refused as in the wrong stage.
    expect([sync.status === 'fulfilled', asyncStatus.status === 'applied'].filter(Boolean)).toHaveLength(1);
  });

  test('a malformed submitCommand (say, from the CLI) is refused on the timeline; the complaint goes on', async () => {
    const c = await bed.start();
    await c.handle.signal('submitCommand', { command: 'addNote', input: { actor: actors.owner, text: 'no id' } });
    await c.handle.signal('submitCommand', { commandId: 'x', command: 'fly', input: {} });
    await c.submit('addNote', { actor: actors.owner, text: 'after' }, 'after');
    await c.decided('after');
    const refused = (await c.timeline()).filter((e) => e.type === 'outside-event-ignored').map((e) => e.summary);
    expect(refused).toEqual([expect.stringContaining('commandId'), expect.stringContaining('command: one of')]);
    expect((await c.handle.describe()).status.name).toBe('RUNNING');
  });
});

// ---- Events from outside, at every stage where they can arrive ----

const confirmPayments = {
  callback: { sampleRate: 1 },
  outsideEvents: { ...shippedPolicy.outsideEvents, settlement: { awaitConfirmationOf: ['payment' as const], confirmWithinHours: 24 } },
};

/** Drives a complaint to `stage` by the standard path (a refund whose payment system confirms later). */
async function driveTo(c: ComplaintHandle, stage: Stage): Promise<ComplaintState> {
  if (stage === 'awaiting-judgment') return c.state();
  if (stage === 'not-upheld') {
    await c.send('judgeValidity', { actor: actors.owner, upheld: false, reason: 'the charge is correct' });
    return c.reaches(stage);
  }
  await c.send('judgeValidity', upheld);
  if (stage === 'investigating') return c.reaches(stage);
  await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'duplicate rating run', partyAtFault: 'billing batch' });
  if (stage === 'proposing') return c.reaches(stage);
  await c.send('proposeRemedies', { actor: actors.billing, options: [{ kind: 'refund', description: 'Refund the duplicate charge', amountFen: 3000 }] });
  if (stage === 'awaiting-approval') return c.reaches(stage);
  await c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' });
  if (stage === 'awaiting-customer') return c.reaches(stage);
  await c.send('recordCustomerAnswer', { actor: actors.owner, accepted: true });
  const implementing = await until(c, (s) => s.implementation?.awaitingConfirmation !== undefined, 'payment submitted');
  if (stage === 'implementing') return implementing;
  await c.hear('settlementConfirmed', { eventId: 'pay-ok', effectKey: implementing.implementation!.awaitingConfirmation!.effectKey, outcome: 'confirmed', reference: 'BANK-1' });
  return c.reaches('awaiting-callback');
}

const openStages: Stage[] = ['awaiting-judgment', 'not-upheld', 'investigating', 'proposing', 'awaiting-approval', 'awaiting-customer', 'implementing', 'awaiting-callback'];

describe.each(openStages)('events from outside while the complaint is %s', (stage) => {
  test('a repeat contact is recorded (and escalates only after a promise passed unmet); a referral takes the urgent path at once', async () => {
    const c = await bed.start({ policy: confirmPayments });
    const before = await driveTo(c, stage);

    await c.hear('repeatContact', { eventId: `rc-${stage}`, channel: 'hotline', note: 'where is my refund?' });
    await c.hear('repeatContact', { eventId: `rc-${stage}`, channel: 'hotline', note: 'where is my refund?' }); // a resend
    const repeated = await until(c, (s) => (s.repeatContacts ?? []).length > 0, 'repeat contact');
    expect(repeated.repeatContacts).toEqual([expect.objectContaining({ channel: 'hotline', escalated: false })]);
    expect(repeated.escalationLevel).toBe(before.escalationLevel);
    await c.settled();
    expect(c.effects('staff-notices').filter((n) => n.kind === 'repeat-contact').map((n) => n.recipient)).toEqual([actors.owner.id]);

    await c.hear('externalReferral', { eventId: `ref-${stage}`, source: 'regulator', reference: 'MIIT-2026-77' });
    const referred = await until(c, (s) => (s.referrals ?? []).length > 0, 'referral');
    expect(referred.intake.severity).toBe('urgent');
    expect(referred.intake.urgentReason).toBe('regulator-referral');
    expect(referred.escalationLevel).toBeGreaterThanOrEqual(shippedPolicy.outsideEvents.externalReferral.escalateToLevel);
    expect(referred.escalations.at(-1)).toMatchObject({ trigger: 'external-referral' });
    expect(referred.stage).toBe(stage);
  });

  test('a dispatch acknowledgement counts only from a department the complaint was dispatched to', async () => {
    const c = await bed.start({ policy: confirmPayments });
    await driveTo(c, stage);
    await c.hear('dispatchAcknowledged', { eventId: `ack-${stage}`, department: 'billing', reference: 'BILL-42' });
    await c.hear('dispatchAcknowledged', { eventId: `ack-net-${stage}`, department: 'network' });
    const ignored = await until(c, () => true, 'read');
    await new Promise((r) => setTimeout(r, 300));
    const timeline = await c.timeline();
    const dispatched = !['awaiting-judgment', 'not-upheld'].includes(stage);
    const billing = (await c.state()).assignments.find((a) => a.department === 'billing');
    if (dispatched) {
      expect(billing?.acknowledgedAt).toBeDefined();
      expect(billing?.acknowledgementReference).toBe('BILL-42');
      expect(timeline.filter((e) => e.type === 'dispatch-acknowledged')).toHaveLength(1);
    } else {
      expect(billing).toBeUndefined();
    }
    // network was never responsible: recorded, nothing else (billing too before any judgment).
    const notes = timeline.filter((e) => e.type === 'outside-event-ignored').map((e) => e.summary);
    expect(notes).toEqual(dispatched ? [expect.stringContaining('network is not responsible')] : [expect.stringContaining('billing'), expect.stringContaining('network')]);
    expect(ignored.stage).toBe(stage);
  });
});

test('an event racing a command: both are heard, in some order, and neither is lost', async () => {
  const c = await bed.start();
  // A supervisor judges: once escalated (the referral does that), the front line no longer may.
  await Promise.all([c.send('judgeValidity', { ...upheld, actor: actors.supervisor }), c.hear('externalReferral', { eventId: 'race', source: 'media', note: 'trending post' })]);
  const s = await until(c, (x) => (x.referrals ?? []).length === 1 && x.stage === 'investigating', 'both');
  expect(s.intake.urgentReason).toBe('media-exposure');
  expect((await c.timeline()).map((e) => e.type)).toEqual(expect.arrayContaining(['judged-upheld', 'referred']));
});

test('a repeat contact after a promised time passed unmet escalates (001)', async () => {
  const c = await bed.start();
  const before = await c.state();
  // The acknowledgement promised the reply by the reply clock's deadline: let it pass.
  await bed.env.sleep(Date.parse(before.promisedTimes[0]!.by) - (await bed.env.currentTimeMs()) + 60_000);
  await until(c, (s) => s.promisedTimes[0]!.status === 'missed', 'missed promise');
  const level = (await c.state()).escalationLevel;
  await c.hear('repeatContact', { eventId: 'chasing', channel: 'app' });
  const s = await until(c, (x) => (x.repeatContacts ?? []).length === 1, 'repeat contact');
  expect(s.repeatContacts![0]!.escalated).toBe(true);
  expect(s.escalations.at(-1)?.trigger).toBe('repeat-contact');
  expect(s.escalationLevel).toBe(level + 1);
});

describe('a payment system that confirms later', () => {
  test('the remedy waits for the confirmation; a confirmation of something else changes nothing', async () => {
    const c = await bed.start({ policy: confirmPayments });
    const waiting = await driveTo(c, 'implementing');
    expect(waiting.stage).toBe('implementing');
    await c.hear('settlementConfirmed', { eventId: 'wrong', effectKey: 'no-such-key', outcome: 'confirmed' });
    await c.hear('settlementConfirmed', { eventId: 'right', effectKey: waiting.implementation!.awaitingConfirmation!.effectKey, outcome: 'confirmed', reference: 'BANK-9' });
    const done = await c.reaches('awaiting-callback');
    expect(done.implementation?.paymentReference).toBe('BANK-9');
    const types = (await c.timeline()).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['settlement-submitted', 'outside-event-ignored', 'settlement-confirmed', 'remedy-implemented']));
  });

  test('a confirmation that never comes escalates when its time has passed', async () => {
    const c = await bed.start({ policy: confirmPayments });
    const waiting = await driveTo(c, 'implementing');
    await bed.env.sleep('25 hours');
    const overdue = await until(c, (s) => s.implementation?.awaitingConfirmation?.escalated === true, 'escalation');
    expect(overdue.stage).toBe('implementing');
    // Up one level (or, with the ladder already climbed by the other clocks meanwhile, recorded at the top).
    const escalation = (await c.timeline()).find((e) => /confirmation-overdue/.test(e.summary));
    expect(escalation?.summary).toContain(waiting.implementation!.awaitingConfirmation!.effectKey);
    expect(['escalated', 'escalation-at-top']).toContain(escalation?.type);
  });

  test('a failed settlement sends the case back for a better remedy', async () => {
    const c = await bed.start({ policy: confirmPayments });
    const waiting = await driveTo(c, 'implementing');
    await c.hear('settlementConfirmed', { eventId: 'bounced', effectKey: waiting.implementation!.awaitingConfirmation!.effectKey, outcome: 'failed', reason: 'account closed' });
    const back = await c.reaches('proposing');
    expect(back.implementation?.failure).toBe('account closed');
    expect(back.escalations.at(-1)?.trigger).toBe('implementation-failed');
  });
});
