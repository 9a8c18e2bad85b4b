/**
 * Four eyes on the rules, attempted over HTTP against the real app, dev server and worker: a
 * manager raises the approval limits and tries to approve the raise, then a remedy under it.
 */
import request from 'supertest';
import { actors, commandBodies, intakeBody, newComplaintId, raisedLimitPolicy } from '../support/fixtures';
import { asActor, asService } from '../support/http';
import { expectProblem } from '../support/errors';
import { useIntegrationTestbed } from '../support/integration-testbed';

const testbed = useIntegrationTestbed({ idPrefix: 'FOUR' });
const managerA = actors.manager;
const managerB = { id: 'mgr-2', role: 'manager' };
const managerC = { id: 'mgr-3', role: 'manager' };

const post = (id: string, path: string, by: { id: string; role: string }, body: object) => request(testbed.app).post(`/complaints/${id}/${path}`).set(asActor(by)).send(body);

it('a raise waits for a second manager; neither of them approves a remedy under it, a third does', async () => {
  const opened = await request(testbed.app).post('/complaints').set(asService()).send(intakeBody({ content: `Charged twice (${newComplaintId('case')}).` })).expect(201);
  const id = opened.body.complaintId as string;

  const proposed = await post(id, 'policy', managerA, { policy: raisedLimitPolicy, reason: 'New quarter limits' }).expect(200);
  expect(proposed.body.policyVersion).not.toBe(raisedLimitPolicy.version);
  expect(proposed.body.pendingRuleChange).toMatchObject({ kind: 'policy', proposedBy: managerA.id, widenings: ['approval.limitsFen.manager: 500000 → 900000 fen'] });

  expectProblem(await post(id, 'rule-change-approval', managerA, { reason: 'I checked it myself' }), 403, 'command-forbidden', /no one approves a rule change they proposed/);
  const approved = await post(id, 'rule-change-approval', managerB, { reason: 'Within the quarter budget' }).expect(200);
  expect(approved.body.policyVersion).toBe(raisedLimitPolicy.version);
  expect(approved.body.limitsRaised).toEqual({ by: [managerA.id, managerB.id], before: { supervisor: 50000, manager: 500000 } });

  await post(id, 'validity-judgment', actors.owner, commandBodies.judgeValidity).expect(200);
  await post(id, 'findings', actors.billing, commandBodies.recordFindings).expect(200);
  await post(id, 'remedy-proposals', actors.billing, { options: [{ kind: 'compensation', description: 'Compensate the outage', amountFen: 700_000 }] }).expect(200);
  for (const raiser of [managerA, managerB]) {
    expectProblem(await post(id, 'remedy-approval', raiser, { optionId: 'R1-1' }), 403, 'command-forbidden', /under a limit they raised/);
  }
  const decided = await post(id, 'remedy-approval', managerC, { optionId: 'R1-1' }).expect(200);
  expect(decided.body.stage).toBe('awaiting-customer');
  const timeline = (await request(testbed.app).get(`/complaints/${id}/timeline`).set(asActor(actors.supervisor)).expect(200)).body as Array<{ type: string; actor?: string }>;
  expect(timeline.filter((e) => e.type.startsWith('rule-change')).map((e) => [e.type, e.actor])).toEqual([
    ['rule-change-proposed', managerA.id],
    ['rule-change-approved', managerB.id],
  ]);
});
