/**
 * Who may do what, over HTTP against the real dev server and worker: the whole role × command
 * matrix (one request per pair), who may open and read complaints, and the object-level rules
 * (a department's own complaints, an agent's own complaints, approval limits, the actor is the
 * authenticated principal). Every caller authenticates as in production (bearer JWT / API key).
 */
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import request from 'supertest';
import { roles, type CommandName, type Role } from '../../domain/complaint';
import type { ComplaintState, TimelineEvent } from '../../domain/case';
import { commandPaths } from '../../api/complaints/commands';
import { complaintWorkflowId } from '../../contract/complaint';
import { expectProblem } from '../support/errors';
import { actors, commandBodies, intakeBody, newComplaintId } from '../support/fixtures';
import { asActor, asService } from '../support/http';
import { useIntegrationTestbed } from '../support/integration-testbed';

type Principal = { id: string; role: string; department?: string };

const testbed = useIntegrationTestbed({ idPrefix: 'AUTHZ' });

/**
 * The matrix as the product defines it (x: the role may send the command). Written out here, not
 * derived from the code's table, so a change to who may do what has to change this test too.
 */
const MATRIX = `
  command                   agent  department  supervisor  manager  general-manager  service  auditor  engineer  privacy-officer
  judgeValidity               x        .           x          x            .            .        .        .         .
  recordFindings              .        x           .          .            .            .        .        .         .
  handOverToDepartment        .        x           .          .            .            .        .        .         .
  proposeRemedies             x        x           x          .            .            .        .        .         .
  requireConsultation         .        .           x          x            .            .        .        .         .
  recordConsultation          .        x           x          x            x            .        .        .         .
  approveRemedy               .        .           x          x            x            .        .        .         .
  returnRemedies              .        .           x          x            x            .        .        .         .
  recordCustomerAnswer        x        .           x          .            .            .        .        .         .
  recordCallback              x        .           x          .            .            .        .        .         .
  disputeJudgment             x        .           x          .            .            x        .        .         .
  withdraw                    x        .           x          .            .            x        .        .         .
  addNote                     x        x           x          x            x            .        .        .         .
  recordContact               x        .           x          .            .            .        .        .         .
  reassignOwner               .        .           x          x            .            .        .        .         .
  escalate                    x        .           x          x            .            .        .        .         .
  reclassify                  .        .           x          x            .            .        .        .         .
  confirmServiceRestored      x        x           x          .            .            .        .        .         .
  applyPolicy                 .        .           .          x            .            .        .        .         .
  applyCalendar               .        .           .          x            .            .        .        .         .
  approveRuleChange           .        .           .          x            .            .        .        .         .
`;

const [header, ...rows] = MATRIX.trim().split('\n').map((line) => line.trim().split(/\s+/));
const matrixRoles = header!.slice(1) as Role[];
const allowed = Object.fromEntries(
  rows.map(([command, ...marks]) => [command, new Set(matrixRoles.filter((_, i) => marks[i] === 'x'))]),
) as Record<CommandName, Set<Role>>;

/** Commands every open stage accepts: only a closed complaint refuses them for their stage. */
const anyOpenStage = new Set<CommandName>(['withdraw', 'addNote', 'recordContact', 'reassignOwner', 'escalate', 'reclassify', 'applyPolicy', 'applyCalendar', 'approveRuleChange']);

/** One principal per role: the agent owns the complaints, the billing desk is responsible for them. */
const principalOf: Record<Role, Principal> = {
  agent: actors.owner,
  department: actors.billing,
  supervisor: actors.supervisor,
  manager: actors.manager,
  'general-manager': actors.generalManager,
  service: actors.service,
  auditor: actors.auditor,
  engineer: actors.engineer,
  'privacy-officer': actors.privacyOfficer,
};

const upheldForBilling = { upheld: true, reason: 'The October package was billed twice', departments: ['billing'] };
const refund = (amountFen: number) => ({ kind: 'refund', description: `refund ${amountFen / 100} CNY`, amountFen });

/** The workflow ids the app asked Temporal about: proves which requests never reached it. */
const reached: string[] = [];
let app: Express;

beforeAll(() => {
  app = testbed.appWith({ client: spying(testbed.client) });
});

/** The client, recording every workflow handle the app asks for. */
function spying(client: Client): Client {
  const workflow = new Proxy(client.workflow, {
    get(target, property, receiver) {
      if (property !== 'getHandle') return Reflect.get(target, property, receiver);
      return (workflowId: string, ...rest: unknown[]) => {
        reached.push(workflowId);
        return (target.getHandle as (...args: unknown[]) => unknown).call(target, workflowId, ...rest);
      };
    },
  });
  return new Proxy(client, { get: (target, property, receiver) => (property === 'workflow' ? workflow : Reflect.get(target, property, receiver)) });
}

async function open(by: Principal | 'service' = 'service', overrides: Record<string, unknown> = {}): Promise<string> {
  const body = intakeBody({ content: `Charged twice for the October data package (${newComplaintId('case')}).`, ...overrides });
  const res = await request(app).post('/complaints').set(by === 'service' ? asService() : asActor(by)).send(body);
  if (res.status !== 201) throw new Error(`opening answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.complaintId as string;
}

function send(id: string, command: CommandName, by: Principal, body: object = commandBodies[command]): Promise<request.Response> {
  return request(app).post(`/complaints/${id}/${commandPaths[command]}`).set(asActor(by)).send(body);
}

async function ok(id: string, command: CommandName, by: Principal, body?: object): Promise<ComplaintState> {
  const res = await send(id, command, by, body);
  if (res.status !== 200) throw new Error(`${command} as ${by.id} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as ComplaintState;
}

describe('the role × command matrix', () => {
  /**
   * Awaiting the customer's answer, billing responsible: its stage refuses every command but the
   * customer's answer and the any-stage ones (a department that never had a case is refused
   * before its stage is even looked at, so the department here has to be the responsible one).
   */
  let awaitingCustomer: string;
  /** Investigating, billing responsible: refuses the customer's answer for its stage. */
  let investigating: string;
  /** Withdrawn and finished: refuses every command. */
  let closed: string;

  beforeAll(async () => {
    investigating = await open();
    await ok(investigating, 'judgeValidity', actors.owner, upheldForBilling);
    awaitingCustomer = await open();
    await ok(awaitingCustomer, 'judgeValidity', actors.owner, upheldForBilling);
    await ok(awaitingCustomer, 'recordFindings', actors.billing);
    await ok(awaitingCustomer, 'proposeRemedies', actors.billing);
    expect((await ok(awaitingCustomer, 'approveRemedy', actors.supervisor)).stage).toBe('awaiting-customer');
    closed = await open();
    // Billing had it: a department that never had a complaint is told nothing, not even that it is closed.
    await ok(closed, 'judgeValidity', actors.owner, upheldForBilling);
    await ok(closed, 'withdraw', actors.owner);
    await testbed.client.workflow.getHandle(complaintWorkflowId(closed)).result();
  });

  it('covers every command and every role', () => {
    expect(Object.keys(allowed).sort()).toEqual(Object.keys(commandPaths).sort());
    expect([...matrixRoles].sort()).toEqual([...roles].sort());
  });

  const pairs = (Object.keys(commandPaths) as CommandName[]).flatMap((command) => roles.map((role) => [command, role] as const));

  /*
   * Each command goes to a complaint in a stage that does not accept it, so nothing is ever
   * applied: a role that may not send it is refused by the API (403) before Temporal is asked; a
   * role that may is let through, and the complaint itself answers that its stage does not accept
   * the command (409): its own validator agreed on the role.
   */
  it.each(pairs)('%s as %s', async (command, role) => {
    const target = anyOpenStage.has(command) ? closed : command === 'recordCustomerAnswer' ? investigating : awaitingCustomer;
    const asked = reached.length;
    const res = await send(target, command, principalOf[role]);
    if (allowed[command].has(role)) {
      expectProblem(res, 409, anyOpenStage.has(command) ? 'complaint-closed' : 'command-in-wrong-stage');
      expect(reached.slice(asked)).toEqual([complaintWorkflowId(target)]);
    } else {
      expectProblem(res, 403, 'command-forbidden', new RegExp(`^An? ${role} may not `));
      expect(res.body.errors).toEqual([{ field: 'role', reason: expect.stringContaining('needs one of') }]);
      expect(reached.slice(asked)).toEqual([]);
    }
  });

  it('left the complaints as they were', async () => {
    const read = async (id: string) => (await request(app).get(`/complaints/${id}`).set(asService()).expect(200)).body as ComplaintState;
    expect((await read(awaitingCustomer)).stage).toBe('awaiting-customer');
    const s = await read(investigating);
    expect(s.stage).toBe('investigating');
    expect(s.assignments.map((a) => a.status)).not.toContain('reported');
    expect(s.notes).toEqual([]);
    expect(s.escalationLevel).toBe(0);
  });
});

describe('opening and reading complaints, by role', () => {
  it('services, the accepting agent, supervisors and managers open complaints; departments and auditors may not', async () => {
    for (const role of ['service', 'agent', 'supervisor', 'manager'] as const) {
      const by = principalOf[role];
      const id = await open(by, role === 'agent' ? { acceptedBy: { id: by.id, name: 'Zhang Min' } } : {});
      expect(id).toMatch(/^AUTHZ-/);
    }
    for (const role of ['department', 'auditor'] as const) {
      const res = await request(app).post('/complaints').set(asActor(principalOf[role])).send(intakeBody());
      expectProblem(res, 403, 'access-denied', `${role === 'auditor' ? 'An' : 'A'} ${role} may not open complaints`);
    }
  });

  it('an agent opens only the complaints it accepts itself', async () => {
    const res = await request(app).post('/complaints').set(asActor(actors.otherAgent)).send(intakeBody());
    expectProblem(res, 403, 'access-denied');
    expect(res.body.errors).toEqual([{ field: 'acceptedBy.id', reason: `must be ${actors.otherAgent.id}, the agent sending the request` }]);
  });

  it('every role but the engineer and the privacy officer reads a complaint it may see: the case file, the timeline and the list', async () => {
    const id = await open();
    await ok(id, 'judgeValidity', actors.owner, upheldForBilling);
    // Engineers read histories through the codec endpoint, not complaints through the API.
    for (const path of [`/complaints/${id}`, `/complaints/${id}/timeline`, '/complaints']) {
      expectProblem(await request(app).get(path).set(asActor(actors.engineer)), 403, 'access-denied', /An engineer may not read complaints/);
      // Privacy officers erase a customer's data; they need not read it.
      expectProblem(await request(app).get(path).set(asActor(actors.privacyOfficer)), 403, 'access-denied', /A privacy-officer may not read complaints/);
    }
    for (const role of roles.filter((r) => r !== 'engineer' && r !== 'privacy-officer')) {
      const by = asActor(principalOf[role]);
      expect((await request(app).get(`/complaints/${id}`).set(by).expect(200)).body.complaintId).toBe(id);
      expect(((await request(app).get(`/complaints/${id}/timeline`).set(by).expect(200)).body as TimelineEvent[]).length).toBeGreaterThan(0);
      await request(app).get('/complaints').query({ limit: 1 }).set(by).expect(200);
    }
  });
});

describe('object-level rules', () => {
  it('a department that never had a complaint learns nothing of it: every command and read answers as for an unknown id', async () => {
    const id = await open();
    const unknown = newComplaintId('AUTHZ-none');
    const departmental = (Object.keys(commandPaths) as CommandName[]).filter((c) => allowed[c].has('department'));
    const answers = async (target: string) => {
      const all = [
        ...(Object.keys(commandPaths) as CommandName[]).map((command) => send(target, command, actors.billing)),
        request(app).get(`/complaints/${target}`).set(asActor(actors.billing)),
        request(app).get(`/complaints/${target}/timeline`).set(asActor(actors.billing)),
      ];
      return (await Promise.all(all)).map((res) => ({ ...res.body, detail: (res.body.detail as string).replace(target, '<id>'), instance: undefined, requestId: undefined }));
    };
    const [existing, missing] = [await answers(id), await answers(unknown)];
    // The same answers, whether the complaint exists or not...
    expect(existing).toEqual(missing);
    // ...404 for every read and every command a department may send (consultation opinions too:
    // the stage is not told), and the role's 403 for the others, which says nothing of the complaint.
    const byCommand = Object.fromEntries((Object.keys(commandPaths) as CommandName[]).map((c, i) => [c, existing[i].status as number]));
    expect(departmental).toContain('recordConsultation');
    for (const c of Object.keys(commandPaths) as CommandName[]) expect([c, byCommand[c]]).toEqual([c, departmental.includes(c) ? 404 : 403]);
    expect(existing.slice(-2).map((b) => [b.status, b.type, b.detail])).toEqual([
      [404, 'complaint-not-found', 'There is no complaint <id>'],
      [404, 'complaint-not-found', 'There is no complaint <id>'],
    ]);
  });

  it('a department acts on, reads and lists only the complaints it is responsible for', async () => {
    const customerId = newComplaintId('cust');
    const id = await open('service', { customer: { ...intakeBody().customer, id: customerId } });
    await ok(id, 'judgeValidity', actors.owner, upheldForBilling);

    // The network desk never had it: to the network desk, it does not exist.
    expectProblem(await send(id, 'recordFindings', actors.network, { ...commandBodies.recordFindings, department: 'network' }), 404, 'complaint-not-found');
    expectProblem(await send(id, 'addNote', actors.network), 404, 'complaint-not-found');
    expectProblem(await request(app).get(`/complaints/${id}`).set(asActor(actors.network)), 404, 'complaint-not-found');
    expectProblem(await request(app).get(`/complaints/${id}/timeline`).set(asActor(actors.network)), 404, 'complaint-not-found');

    // The billing desk is: it lists the complaint (visibility is eventually consistent), the network desk does not.
    const listed = async (by: Principal) => ((await request(app).get('/complaints').query({ customerId }).set(asActor(by)).expect(200)).body.items as Array<{ complaintId: string }>).map((i) => i.complaintId);
    const deadline = Date.now() + 10_000;
    while (!(await listed(actors.billing)).includes(id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await listed(actors.billing)).toEqual([id]);
    expect(await listed(actors.network)).toEqual([]);
    expect(await listed(actors.supervisor)).toEqual([id]);

    const s = await ok(id, 'addNote', actors.billing, { text: 'Checking the rating run' });
    expect(s.notes).toEqual([expect.objectContaining({ by: actors.billing.id })]);
  });

  it('an agent acts only on complaints it owns; a supervisor on any; after a reassignment the new owner acts', async () => {
    const id = await open();
    expectProblem(await send(id, 'judgeValidity', actors.otherAgent, upheldForBilling), 403, 'command-forbidden', 'only the owner (agent-7) or a supervisor may judge validity');
    expectProblem(await send(id, 'addNote', actors.otherAgent), 403, 'command-forbidden');

    await ok(id, 'addNote', actors.supervisor, { text: 'Customer called again' });
    await ok(id, 'reassignOwner', actors.supervisor, { newOwner: { id: actors.otherAgent.id, name: 'Wang Fang' }, reason: 'Agent 7 is on leave' });
    await ok(id, 'addNote', actors.otherAgent, { text: 'Taken over' });
    expectProblem(await send(id, 'addNote', actors.owner), 403, 'command-forbidden', /only the owner \(agent-9\)/);
  });

  it("approval only within the approver's amount limit, and never of one's own proposal", async () => {
    const id = await open();
    await ok(id, 'judgeValidity', actors.owner, upheldForBilling);
    await ok(id, 'recordFindings', actors.billing);
    // 6 000 CNY is above the manager's limit, for the general manager; 600 CNY is above the supervisor's, within the manager's.
    await ok(id, 'proposeRemedies', actors.supervisor, { options: [refund(600_000), refund(60_000)] });

    expectProblem(await send(id, 'approveRemedy', actors.manager, { optionId: 'R1-1' }), 403, 'command-forbidden', /beyond a manager's approval limit of 500000 fen: the general-manager approves it/);
    expectProblem(await send(id, 'approveRemedy', actors.supervisor, { optionId: 'R1-2' }), 403, 'command-forbidden', 'no one approves a remedy they proposed');
    const s = await ok(id, 'approveRemedy', actors.manager, { optionId: 'R1-2' });
    expect(s.stage).toBe('awaiting-customer');
    expect(s.approvals).toEqual([expect.objectContaining({ optionId: 'R1-2', by: actors.manager.id })]);
  });

  it('the actor is the authenticated principal, whatever the body says', async () => {
    const id = await open();
    const posing = { ...upheldForBilling, actor: { id: 'sup-1', role: 'supervisor' } };
    expectProblem(await send(id, 'judgeValidity', actors.otherAgent, posing), 403, 'command-forbidden', /only the owner/);

    const s = await ok(id, 'addNote', actors.owner, { text: 'A note', actor: { id: 'mgr-1', role: 'manager' } });
    expect(s.notes).toEqual([expect.objectContaining({ by: actors.owner.id, text: 'A note' })]);
  });
});
