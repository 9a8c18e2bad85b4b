/**
 * The case file's rule table (docs/process.md), driven directly: ComplaintCase.open + check/apply with
 * a fixed clock, the shipped policy and the fixture intake. No Temporal.
 *
 * The clock: 2026-11-02 09:00 in Asia/Shanghai (UTC+8) is 2026-11-02T01:00:00.000Z.
 */
import { commandSchemas, roles, type Actor, type CommandName, type Role } from '../../domain/complaint';
import { transitions } from '../../domain/process';
import { ComplaintCase, CommandRejection, mayRead, rolesAllowedTo, type EffectResult, type IncomingCommand, type OwedEffect } from '../../domain/case';
import type { HandlingPolicy } from '../../domain/policy';
import { actors, commandBodies, intake, raisedLimitPolicy, shippedCalendar, shippedPolicy } from '../support/fixtures';

const now = new Date('2026-11-02T09:00:00+08:00');
const NOW_ISO = '2026-11-02T01:00:00.000Z';
/** `n` minutes after `now`. */
const after = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

const auditor = { id: 'aud-1', role: 'auditor' } as const;
const serviceDesk = { id: 'svc-desk', role: 'department', department: 'service' } as const;
const productDesk = { id: 'product-desk', role: 'department', department: 'product' } as const;

function openCase(policy: HandlingPolicy = shippedPolicy): ComplaintCase {
  return ComplaintCase.open('C-000001', intake(), policy, shippedCalendar, now);
}

/** The refused command's rejection; fails if the command was accepted or failed otherwise. */
function rejection(fn: () => unknown): CommandRejection {
  try {
    fn();
  } catch (err) {
    if (err instanceof CommandRejection) return err;
    throw err;
  }
  throw new Error('expected a CommandRejection, but the command was accepted');
}

// ---- Command bodies (valid) and the steps that walk a case through its stages ----

const refund = (amountFen: number) => ({ kind: 'refund', description: 'Refund the duplicate charge', amountFen });
const explanation = { kind: 'explanation', description: 'Explain the October bill line by line' };

/** One valid body per command (shared with the HTTP role matrix). */
const bodies = commandBodies;

function judgeUpheld(c: ComplaintCase, departments: string[] = ['billing'], at = after(5)): void {
  c.apply('judgeValidity', { actor: actors.owner, upheld: true, reason: 'The bill shows the package twice', departments }, at);
}
function judgeNotUpheld(c: ComplaintCase): void {
  c.apply('judgeValidity', { actor: actors.owner, upheld: false, reason: 'The second charge is a separate add-on the customer ordered' }, after(5));
}
function findings(department: string) {
  return { department, cause: 'A retry charged the package twice', partyAtFault: 'billing system', evidence: ['bill 2026-10'] };
}
function report(c: ComplaintCase, actor: IncomingCommand['actor'], department: string, at = after(60)): void {
  c.apply('recordFindings', { actor, ...findings(department) }, at);
}
function toInvestigating(departments: string[] = ['billing'], policy?: HandlingPolicy): ComplaintCase {
  const c = openCase(policy);
  judgeUpheld(c, departments);
  return c;
}
function toProposing(policy?: HandlingPolicy): ComplaintCase {
  const c = toInvestigating(['billing'], policy);
  report(c, actors.billing, 'billing');
  return c;
}
function toApproval(options: unknown[] = [refund(3000)], proposer: IncomingCommand['actor'] = actors.owner, policy?: HandlingPolicy): ComplaintCase {
  const c = toProposing(policy);
  c.apply('proposeRemedies', { actor: proposer, options }, after(120));
  return c;
}
function toCustomer(policy?: HandlingPolicy): ComplaintCase {
  const c = toApproval([refund(3000)], actors.owner, policy);
  c.apply('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' }, after(180));
  return c;
}
function toImplementing(policy?: HandlingPolicy): ComplaintCase {
  const c = toCustomer(policy);
  c.apply('recordCustomerAnswer', { actor: actors.owner, accepted: true }, after(240));
  return c;
}
/** Carries out every due effect with `outcome` (done by default), as the workflow's ledger runner does. */
function settleAll(c: ComplaintCase, now: Date, outcome: (e: OwedEffect) => EffectResult = (e) => ({ key: e.key, outcome: 'done' })): void {
  for (let i = 0; i < 10 && c.hasEffectsDue(now); i++) c.settleEffects(c.takeEffectsDue(now).map(outcome), now);
}
/** Fires the stage's own timer (dispute window, reminder, silence) `times` times. */
function fireStageTimer(c: ComplaintCase, times = 1): Date {
  let at = new Date(0);
  for (let i = 0; i < times; i++) {
    at = new Date(c.stageWait().dueAt!);
    c.tick(at);
  }
  return at;
}
const drawn: HandlingPolicy = { ...shippedPolicy, callback: { sampleRate: 1 } };
const notDrawn: HandlingPolicy = { ...shippedPolicy, callback: { sampleRate: 0 } };
function toCallback(): ComplaintCase {
  const c = toImplementing(drawn);
  settleAll(c, after(300));
  return c;
}
function toNotUpheld(): ComplaintCase {
  const c = openCase();
  judgeNotUpheld(c);
  return c;
}

describe('opening a case', () => {
  it('starts awaiting judgment, owned by the first responder, with the intake demand on record', () => {
    const c = openCase();
    expect(c.stage).toBe('awaiting-judgment');
    expect(c.isClosed).toBe(false);
    expect(c.state.owner).toEqual({ id: 'agent-7', name: 'Zhang Min' });
    expect(c.state.receivedAt).toBe(NOW_ISO);
    expect(c.state.escalationLevel).toBe(0);
    expect(c.state.proposalRound).toBe(1);
    expect(c.state.customerDemands).toEqual(['Refund the duplicate charge']);
    expect(c.state.policyVersion).toBe('2026-11-seeds');
    expect(c.timeline).toEqual([
      { seq: 1, at: NOW_ISO, type: 'accepted', actor: 'agent-7', summary: 'Accepted via hotline; owner Zhang Min' },
    ]);
  });

  it('keeps an explicit receivedAt from the intake', () => {
    const c = ComplaintCase.open('C-000002', intake({ receivedAt: '2026-11-01T20:00:00+08:00' }), shippedPolicy, shippedCalendar, now);
    expect(c.state.receivedAt).toBe('2026-11-01T20:00:00+08:00');
  });
});

describe('who may send each command (command × role)', () => {
  /** Restated from the rules on purpose: changing who may do what must change this table. */
  const allowedRoles: Record<CommandName, Role[]> = {
    judgeValidity: ['agent', 'supervisor', 'manager'],
    recordFindings: ['department'],
    handOverToDepartment: ['department'],
    proposeRemedies: ['department', 'agent', 'supervisor'],
    requireConsultation: ['supervisor', 'manager'],
    recordConsultation: ['supervisor', 'manager', 'general-manager', 'department'],
    approveRemedy: ['supervisor', 'manager', 'general-manager'],
    returnRemedies: ['supervisor', 'manager', 'general-manager'],
    recordCustomerAnswer: ['agent', 'supervisor'],
    recordCallback: ['agent', 'supervisor'],
    disputeJudgment: ['agent', 'supervisor', 'service'],
    withdraw: ['agent', 'supervisor', 'service'],
    addNote: ['agent', 'supervisor', 'manager', 'general-manager', 'department'],
    recordContact: ['agent', 'supervisor'],
    reassignOwner: ['supervisor', 'manager'],
    escalate: ['agent', 'supervisor', 'manager'],
    reclassify: ['supervisor', 'manager'],
    confirmServiceRestored: ['department', 'agent', 'supervisor'],
    applyPolicy: ['manager'],
    applyCalendar: ['manager'],
    approveRuleChange: ['manager'],
  };

  /** A case in a stage where the command is accepted, so only the role decides. */
  const setups: Record<CommandName, () => ComplaintCase> = {
    judgeValidity: () => openCase(),
    recordFindings: () => toInvestigating(),
    handOverToDepartment: () => toInvestigating(),
    proposeRemedies: () => toProposing(),
    requireConsultation: () => toProposing(),
    recordConsultation: () => {
      const c = toProposing();
      c.apply('requireConsultation', { actor: actors.supervisor2, ...bodies.requireConsultation }, after(100));
      c.apply('proposeRemedies', { actor: actors.owner, options: [refund(3000)] }, after(120));
      return c;
    },
    approveRemedy: () => toApproval(),
    returnRemedies: () => toApproval(),
    recordCustomerAnswer: () => toCustomer(),
    recordCallback: () => toCallback(),
    disputeJudgment: () => toNotUpheld(),
    withdraw: () => openCase(),
    // A department's note needs a complaint it is responsible for (the object rule tested below).
    addNote: () => toInvestigating(),
    recordContact: () => openCase(),
    reassignOwner: () => openCase(),
    escalate: () => openCase(),
    reclassify: () => openCase(),
    confirmServiceRestored: () => {
      const c = toProposing();
      c.apply('proposeRemedies', { actor: actors.owner, options: [{ kind: 'service-fix', description: 'Restore the base station', promisedBy: '2026-11-03T09:00:00+08:00' }] }, after(130));
      c.apply('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' }, after(140));
      c.apply('recordCustomerAnswer', { actor: actors.owner, accepted: true }, after(150));
      return c;
    },
    applyPolicy: () => openCase(),
    applyCalendar: () => openCase(),
    approveRuleChange: () => {
      // Another manager proposed a raise: the one acting here is the second pair of eyes.
      const c = openCase();
      c.apply('applyPolicy', { actor: { id: 'mgr-2', role: 'manager' }, policy: raisedLimitPolicy, reason: 'New quarter limits' }, after(10));
      return c;
    },
  };

  /** One actor per role: the agent is the owner; the department is the responsible billing desk. */
  const actorFor: Record<Role, IncomingCommand['actor']> = {
    agent: actors.owner,
    department: actors.billing,
    supervisor: actors.supervisor,
    manager: actors.manager,
    'general-manager': actors.generalManager,
    service: actors.service,
    auditor,
    engineer: actors.engineer,
    'privacy-officer': actors.privacyOfficer,
  };

  it('covers every command there is', () => {
    expect(Object.keys(allowedRoles).sort()).toEqual(Object.keys(commandSchemas).sort());
  });

  const table = (Object.keys(allowedRoles) as CommandName[]).flatMap((command) =>
    roles.map((role) => [command, role, allowedRoles[command].includes(role)] as const),
  );

  it.each(table)('%s by a %s: allowed = %s', (command, role, allowed) => {
    const c = setups[command]();
    const stageBefore = c.stage;
    const send = () => c.check(command, { actor: actorFor[role], ...bodies[command] });
    if (allowed) {
      expect(send).not.toThrow();
      expect(send().actor.role).toBe(role);
    } else {
      const r = rejection(send);
      expect(r.kind).toBe('forbidden');
      expect(r.field).toBe('actor.role');
    }
    expect(c.stage).toBe(stageBefore);
  });

  it('the auditor may send nothing', () => {
    for (const command of Object.keys(allowedRoles) as CommandName[]) {
      expect(allowedRoles[command]).not.toContain('auditor');
    }
  });
});

describe('wrong-stage rejections', () => {
  const cases: Array<[string, () => ComplaintCase, CommandName, Record<string, unknown>]> = [
    ['recordFindings once every department has reported', () => toProposing(), 'recordFindings', { actor: actors.billing, ...bodies.recordFindings }],
    ['judgeValidity while investigating', () => toInvestigating(), 'judgeValidity', { actor: actors.owner, ...bodies.judgeValidity }],
    ['proposeRemedies while investigating', () => toInvestigating(), 'proposeRemedies', { actor: actors.owner, ...bodies.proposeRemedies }],
    ['approveRemedy while proposing', () => toProposing(), 'approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' }],
    ['recordConsultation while proposing', () => toProposing(), 'recordConsultation', { actor: actors.supervisor, ...bodies.recordConsultation }],
    ['recordCustomerAnswer while awaiting approval', () => toApproval(), 'recordCustomerAnswer', { actor: actors.owner, accepted: true }],
    ['recordCallback while awaiting the customer', () => toCustomer(), 'recordCallback', { actor: actors.owner, satisfied: true }],
    ['requireConsultation while awaiting the customer', () => toCustomer(), 'requireConsultation', { actor: actors.supervisor, ...bodies.requireConsultation }],
    ['disputeJudgment while investigating', () => toInvestigating(), 'disputeJudgment', { actor: actors.service, ...bodies.disputeJudgment }],
    ['handOverToDepartment while proposing', () => toProposing(), 'handOverToDepartment', { actor: actors.billing, ...bodies.handOverToDepartment }],
  ];

  it.each(cases)('%s', (_label, setup, command, input) => {
    const c = setup();
    const r = rejection(() => c.check(command, input));
    expect(r.kind).toBe('wrong-stage');
    expect(r.message).toContain(c.stage);
  });

  it('a closed complaint accepts no command, not even a note', () => {
    const c = openCase();
    c.apply('withdraw', { actor: actors.owner, ...bodies.withdraw }, after(1));
    expect(c.stage).toBe('closed');
    for (const [command, actor] of [
      ['withdraw', actors.owner],
      ['addNote', actors.supervisor],
      ['recordContact', actors.owner],
      ['reassignOwner', actors.manager],
    ] as const) {
      expect(rejection(() => c.check(command, { actor, ...bodies[command] })).kind).toBe('wrong-stage');
    }
  });
});

describe('first-responder responsibility: owner-only commands for agents', () => {
  const ownerOnly: Array<[CommandName, () => ComplaintCase]> = [
    ['judgeValidity', () => openCase()],
    ['proposeRemedies', () => toProposing()],
    ['recordCustomerAnswer', () => toCustomer()],
    ['recordCallback', () => toCallback()],
    ['disputeJudgment', () => toNotUpheld()],
    ['withdraw', () => openCase()],
    ['addNote', () => openCase()],
    ['recordContact', () => openCase()],
  ];

  it.each(ownerOnly)('%s: another agent is refused, the owner and a supervisor are not', (command, setup) => {
    const c = setup();
    const r = rejection(() => c.check(command, { actor: actors.otherAgent, ...bodies[command] }));
    expect(r.kind).toBe('forbidden');
    expect(r.field).toBe('actor.id');
    expect(() => c.check(command, { actor: actors.owner, ...bodies[command] })).not.toThrow();
    expect(() => c.check(command, { actor: actors.supervisor, ...bodies[command] })).not.toThrow();
  });

  it('after a reassignment the new owner acts and the old one no longer may', () => {
    const c = openCase();
    c.apply('reassignOwner', { actor: actors.supervisor, ...bodies.reassignOwner }, after(1));
    expect(c.state.owner).toEqual({ id: 'agent-9', name: 'Wang Fang' });
    expect(c.timeline.at(-1)).toMatchObject({ type: 'owner-reassigned', actor: 'sup-1' });
    expect(rejection(() => c.check('addNote', { actor: actors.owner, ...bodies.addNote }))).toMatchObject({ kind: 'forbidden', field: 'actor.id' });
    expect(() => c.check('addNote', { actor: actors.otherAgent, ...bodies.addNote })).not.toThrow();
  });

  it('reassigning to the current owner is invalid', () => {
    const c = openCase();
    const r = rejection(() => c.check('reassignOwner', { actor: actors.supervisor, newOwner: { id: 'agent-7', name: 'Zhang Min' }, reason: 'x' }));
    expect(r).toMatchObject({ kind: 'invalid', field: 'newOwner.id' });
  });
});

describe('departments: findings and handover', () => {
  it('an upheld judgment assigns every named department, awaiting dispatch', () => {
    const c = toInvestigating(['billing', 'network']);
    expect(c.stage).toBe('investigating');
    expect(c.state.assignments.map((a) => [a.department, a.status, a.assignedAt])).toEqual([
      ['billing', 'awaiting-dispatch', '2026-11-02T01:05:00.000Z'],
      ['network', 'awaiting-dispatch', '2026-11-02T01:05:00.000Z'],
    ]);
    expect(c.responsibleDepartments()).toEqual(['billing', 'network']);
  });

  it('a department reports only for itself', () => {
    const c = toInvestigating(['billing', 'network']);
    const r = rejection(() => c.check('recordFindings', { actor: actors.billing, ...findings('network') }));
    expect(r).toMatchObject({ kind: 'forbidden', field: 'department' });
  });

  it('a department not assigned to the complaint may not report', () => {
    const c = toInvestigating(['billing']);
    const r = rejection(() => c.check('recordFindings', { actor: actors.network, ...findings('network') }));
    expect(r).toMatchObject({ kind: 'forbidden', field: 'actor.department', message: 'network is not responsible for this complaint' });
  });

  it('a department that never had the case learns nothing of it: refused before its stage is checked', () => {
    const c = openCase();
    for (const command of ['recordFindings', 'addNote', 'proposeRemedies'] as const) {
      const r = rejection(() => c.check(command, { actor: actors.billing, ...bodies[command] }));
      expect(r).toMatchObject({ kind: 'forbidden', message: 'billing is not responsible for this complaint' });
      expect(r.message).not.toContain(c.stage);
    }
  });

  it('the case moves to proposing only when every responsible department has reported', () => {
    const c = toInvestigating(['billing', 'network']);
    report(c, actors.billing, 'billing', after(60));
    expect(c.stage).toBe('investigating');
    expect(c.state.assignments[0]!.status).toBe('reported');
    expect(c.state.assignments[0]!.findings).toEqual({
      cause: 'A retry charged the package twice',
      partyAtFault: 'billing system',
      evidence: ['bill 2026-10'],
      reportedAt: '2026-11-02T02:00:00.000Z',
      reportedBy: 'billing-desk',
    });
    // Reporting twice is refused.
    expect(rejection(() => c.check('recordFindings', { actor: actors.billing, ...findings('billing') }))).toMatchObject({
      kind: 'wrong-stage',
      field: 'department',
    });
    report(c, actors.network, 'network', after(90));
    expect(c.stage).toBe('proposing');
    expect(c.partiesAtFault()).toEqual([
      { department: 'billing', party: 'billing system', cause: 'A retry charged the package twice' },
      { department: 'network', party: 'billing system', cause: 'A retry charged the package twice' },
    ]);
  });

  it('a handover passes the part to another department, which then reports instead', () => {
    const c = toInvestigating(['billing']);
    c.apply('handOverToDepartment', { actor: actors.billing, from: 'billing', to: 'service', reason: 'An agent mis-sold the add-on' }, after(30));
    expect(c.state.assignments).toMatchObject([
      { department: 'billing', status: 'handed-over', handedOverTo: 'service' },
      { department: 'service', status: 'awaiting-dispatch', assignedAt: '2026-11-02T01:30:00.000Z' },
    ]);
    expect(c.responsibleDepartments()).toEqual(['service']);
    expect(c.timeline.at(-1)).toMatchObject({ type: 'handed-over', actor: 'billing-desk' });
    // Billing is no longer responsible: it may neither report nor hand over again.
    expect(rejection(() => c.check('recordFindings', { actor: actors.billing, ...findings('billing') }))).toMatchObject({ kind: 'forbidden' });
    expect(rejection(() => c.check('handOverToDepartment', { actor: actors.billing, from: 'billing', to: 'network', reason: 'x' }))).toMatchObject({
      kind: 'forbidden',
      field: 'from',
    });
    report(c, serviceDesk, 'service');
    expect(c.stage).toBe('proposing');
  });

  it('handover rules: only one\'s own part, not to a responsible department, not after reporting, not to oneself', () => {
    const c = toInvestigating(['billing', 'network']);
    expect(rejection(() => c.check('handOverToDepartment', { actor: actors.billing, from: 'network', to: 'service', reason: 'x' }))).toMatchObject({
      kind: 'forbidden',
      field: 'from',
    });
    expect(rejection(() => c.check('handOverToDepartment', { actor: actors.billing, from: 'billing', to: 'network', reason: 'x' }))).toMatchObject({
      kind: 'invalid',
      field: 'to',
    });
    expect(rejection(() => c.check('handOverToDepartment', { actor: actors.billing, from: 'billing', to: 'billing', reason: 'x' }))).toMatchObject({
      kind: 'invalid',
      field: 'to',
    });
    expect(rejection(() => c.check('handOverToDepartment', { actor: productDesk, from: 'product', to: 'service', reason: 'x' }))).toMatchObject({
      kind: 'forbidden',
      field: 'actor.department',
    });
    report(c, actors.billing, 'billing');
    expect(rejection(() => c.check('handOverToDepartment', { actor: actors.billing, from: 'billing', to: 'service', reason: 'x' }))).toMatchObject({
      kind: 'wrong-stage',
      field: 'from',
    });
  });

  it('the judgment and a handover owe one dispatch per department, marked dispatched when done', () => {
    const c = toInvestigating(['billing', 'network']);
    const dispatches = () => c.state.effects.filter((e) => e.kind === 'department-dispatch');
    expect(dispatches().map((e) => [e.kind === 'department-dispatch' && e.department, e.status])).toEqual([
      ['billing', 'owed'],
      ['network', 'owed'],
    ]);
    settleAll(c, after(10));
    expect(dispatches().map((e) => e.status)).toEqual(['done', 'done']);
    expect(c.state.assignments[0]).toMatchObject({ status: 'dispatched', dispatchedAt: '2026-11-02T01:10:00.000Z' });
    expect(c.timeline.filter((e) => e.type === 'dispatched').map((e) => e.summary)).toEqual(['Dispatched to billing', 'Dispatched to network']);

    c.apply('handOverToDepartment', { actor: actors.billing, from: 'billing', to: 'service', reason: 'Mis-sold add-on' }, after(30));
    expect(dispatches().at(-1)).toMatchObject({ department: 'service', status: 'owed' });
    settleAll(c, after(31));
    expect(c.state.assignments[2]).toMatchObject({ department: 'service', status: 'dispatched', dispatchedAt: '2026-11-02T01:31:00.000Z' });
    // A settled effect is not carried out again, and a second outcome for it changes nothing.
    const events = c.timeline.length;
    c.settleEffects([{ key: dispatches().at(-1)!.key, outcome: 'done' }], after(40));
    expect(c.timeline).toHaveLength(events);
    expect(c.hasEffectsDue(after(40))).toBe(false);
  });

  it('a department proposes remedies only while responsible', () => {
    const c = toProposing();
    expect(() => c.check('proposeRemedies', { actor: actors.billing, ...bodies.proposeRemedies })).not.toThrow();
    const r = rejection(() => c.check('proposeRemedies', { actor: actors.network, ...bodies.proposeRemedies }));
    expect(r).toMatchObject({ kind: 'forbidden', field: 'actor.department' });
  });

  it('a department adds notes only to complaints it is responsible for', () => {
    const c = toInvestigating();
    expect(() => c.check('addNote', { actor: actors.billing, ...bodies.addNote })).not.toThrow();
    const r = rejection(() => c.check('addNote', { actor: actors.network, ...bodies.addNote }));
    expect(r).toMatchObject({ kind: 'forbidden', field: 'actor.department', message: 'network is not responsible for this complaint' });
  });
});

describe('mayRead: who sees a complaint at all', () => {
  it('a department sees the complaints it is or was responsible for; every other role sees all', () => {
    const c = toInvestigating();
    expect(mayRead(actors.billing, c.state)).toBe(true);
    expect(mayRead(actors.network, c.state)).toBe(false);
    for (const actor of [actors.owner, actors.otherAgent, actors.supervisor, actors.manager, actors.service, auditor]) {
      expect(mayRead(actor as Actor, c.state)).toBe(true);
    }
    c.apply('handOverToDepartment', { actor: actors.billing, from: 'billing', to: 'network', reason: 'a network fault' }, after(200));
    expect(mayRead(actors.network, c.state)).toBe(true);
    expect(mayRead(actors.billing, c.state)).toBe(true);
  });
});

describe('rolesAllowedTo', () => {
  it('is the role table the case file checks (one source for the API and the workflow)', () => {
    for (const name of Object.keys(commandSchemas) as CommandName[]) {
      const allowed = rolesAllowedTo(name);
      for (const role of roles) {
        const c = openCase();
        let refusedForRole = false;
        try {
          c.check(name, { actor: role === 'department' ? { id: 'd', role, department: 'billing' } : { id: 'x', role }, ...bodies[name] });
        } catch (err) {
          refusedForRole = (err as CommandRejection).field === 'actor.role';
        }
        expect({ name, role, refusedForRole }).toEqual({ name, role, refusedForRole: !allowed.includes(role) });
      }
    }
  });
});

describe('tiered approval (supervisor 50 000 fen, manager 500 000 fen)', () => {
  it('the shipped limits are the ones these tests rely on', () => {
    expect(shippedPolicy.approval.limitsFen).toEqual({ supervisor: 50000, manager: 500000 });
    expect(shippedPolicy.approval.escalateTo).toBe('manager');
  });

  it('at 50 000 fen the supervisor approves alone', () => {
    const c = toApproval([refund(50000)]);
    c.apply('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' }, after(180));
    expect(c.stage).toBe('awaiting-customer');
    expect(c.state.approvedRemedy).toMatchObject({ id: 'R1-1', option: { kind: 'refund', amountFen: 50000 } });
    expect(c.state.approvals).toEqual([
      { optionId: 'R1-1', by: 'sup-1', role: 'supervisor', at: '2026-11-02T04:00:00.000Z', note: undefined, withinAuthority: true },
    ]);
  });

  it('at 50 001 fen the supervisor chooses, the stage waits, and the manager completes it', () => {
    const c = toApproval([refund(50001)]);
    c.apply('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' }, after(180));
    expect(c.stage).toBe('awaiting-approval');
    expect(c.state.approvedRemedy).toBeUndefined();
    expect(c.state.approvals).toMatchObject([{ optionId: 'R1-1', by: 'sup-1', role: 'supervisor', withinAuthority: false }]);
    // The choice is recorded, and the amount beyond the supervisor's authority escalates (003).
    expect(c.timeline.slice(-2)).toMatchObject([{ type: 'remedy-chosen', actor: 'sup-1' }, { type: 'escalated' }]);
    // The same supervisor cannot approve twice.
    expect(rejection(() => c.check('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' })).kind).toBe('wrong-stage');

    c.apply('approveRemedy', { actor: actors.manager, optionId: 'R1-1' }, after(200));
    expect(c.stage).toBe('awaiting-customer');
    expect(c.state.approvedRemedy?.id).toBe('R1-1');
    expect(c.state.approvals.map((a) => [a.by, a.withinAuthority])).toEqual([
      ['sup-1', false],
      ['mgr-1', true],
    ]);
  });

  it('at exactly 500 000 fen the manager approves', () => {
    const c = toApproval([refund(500000)]);
    c.apply('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' }, after(180));
    expect(c.stage).toBe('awaiting-approval');
    c.apply('approveRemedy', { actor: actors.manager, optionId: 'R1-1' }, after(200));
    expect(c.stage).toBe('awaiting-customer');
  });

  it('above 500 000 fen the manager may not approve: the supervisor chooses, the general manager approves (002 §3.3 item 3)', () => {
    const c = toApproval([refund(500001)]);
    expect(rejection(() => c.check('approveRemedy', { actor: actors.manager, optionId: 'R1-1' }))).toMatchObject({ kind: 'forbidden', field: 'optionId' });
    c.apply('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' }, after(180));
    expect(c.stage).toBe('awaiting-approval');
    c.apply('approveRemedy', { actor: actors.generalManager, optionId: 'R1-1' }, after(200));
    expect(c.stage).toBe('awaiting-customer');
    expect(c.state.approvals.map((a) => [a.by, a.withinAuthority])).toEqual([
      ['sup-1', false],
      ['gm-1', true],
    ]);
  });

  it('on a policy pinned before the top tier, above 500 000 fen nobody may approve', () => {
    const pinned = { ...shippedPolicy, approval: { limitsFen: shippedPolicy.approval.limitsFen, escalateTo: shippedPolicy.approval.escalateTo } };
    const c = toApproval([refund(500001)], actors.owner, pinned);
    for (const actor of [actors.supervisor, actors.manager, actors.generalManager]) {
      expect(rejection(() => c.check('approveRemedy', { actor, optionId: 'R1-1' }))).toMatchObject({ kind: 'forbidden', field: 'optionId' });
    }
    expect(c.state.approvals).toEqual([]);
  });

  it('an option that is not on the table is invalid', () => {
    const c = toApproval([refund(3000)]);
    expect(rejection(() => c.check('approveRemedy', { actor: actors.supervisor, optionId: 'R1-2' }))).toMatchObject({ kind: 'invalid', field: 'optionId' });
  });

  it('no one approves their own proposal', () => {
    const c = toApproval([refund(3000)], actors.supervisor);
    expect(c.state.proposals[0]!.proposedBy).toBe('sup-1');
    expect(rejection(() => c.check('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' }))).toMatchObject({ kind: 'forbidden', field: 'actor.id' });
    c.apply('approveRemedy', { actor: actors.supervisor2, optionId: 'R1-1' }, after(180));
    expect(c.stage).toBe('awaiting-customer');
  });

  it('returning the remedies opens a new round of proposals', () => {
    const c = toApproval([refund(3000)]);
    c.apply('returnRemedies', { actor: actors.manager, ...bodies.returnRemedies }, after(180));
    expect(c.stage).toBe('proposing');
    expect(c.state.proposalRound).toBe(2);
    expect(c.currentProposals()).toEqual([]);
  });
});

describe('consultation on major cases (003)', () => {
  function consulted(): ComplaintCase {
    const c = toProposing();
    c.apply('requireConsultation', { actor: actors.supervisor, approvers: ['sup-2', 'mgr-1'], reason: 'Media exposure' }, after(100));
    c.apply('proposeRemedies', { actor: actors.owner, options: [refund(3000)] }, after(120));
    return c;
  }

  it('no decision before every consulted approver has given an opinion', () => {
    const c = consulted();
    expect(c.state.consultation).toEqual({ approvers: ['sup-2', 'mgr-1'], reason: 'Media exposure', requestedBy: 'sup-1', opinions: [] });
    expect(rejection(() => c.check('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' })).kind).toBe('wrong-stage');

    c.apply('recordConsultation', { actor: actors.supervisor2, opinion: 'Refund in full', supports: true }, after(130));
    expect(rejection(() => c.check('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' })).kind).toBe('wrong-stage');

    c.apply('recordConsultation', { actor: actors.manager, opinion: 'Agree', supports: true }, after(140));
    expect(c.state.consultation!.opinions.map((o) => o.approver)).toEqual(['sup-2', 'mgr-1']);
    c.apply('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' }, after(150));
    expect(c.stage).toBe('awaiting-customer');
  });

  it('only the consulted give opinions, once each; a second consultation is refused', () => {
    const c = consulted();
    expect(rejection(() => c.check('recordConsultation', { actor: actors.supervisor, ...bodies.recordConsultation }))).toMatchObject({
      kind: 'forbidden',
      field: 'actor.id',
    });
    c.apply('recordConsultation', { actor: actors.manager, ...bodies.recordConsultation }, after(130));
    expect(rejection(() => c.check('recordConsultation', { actor: actors.manager, ...bodies.recordConsultation })).kind).toBe('wrong-stage');
    expect(rejection(() => c.check('requireConsultation', { actor: actors.manager, approvers: ['a', 'b'], reason: 'again' })).kind).toBe('wrong-stage');
  });

  it('no opinion can be recorded when no consultation was asked for', () => {
    const c = toApproval();
    expect(rejection(() => c.check('recordConsultation', { actor: actors.supervisor, ...bodies.recordConsultation })).kind).toBe('wrong-stage');
  });
});

describe('customer sign-off', () => {
  it('a rejection loops back to proposing with a new round, keeping the new demand', () => {
    const c = toCustomer();
    c.apply('recordCustomerAnswer', { actor: actors.owner, accepted: false, demand: 'Refund plus a month free' }, after(240));
    expect(c.stage).toBe('proposing');
    expect(c.state.proposalRound).toBe(2);
    expect(c.state.customerDemands).toEqual(['Refund the duplicate charge', 'Refund plus a month free']);
    expect(c.state.customerAnswers).toEqual([
      { accepted: false, demand: 'Refund plus a month free', note: undefined, at: '2026-11-02T05:00:00.000Z', recordedBy: 'agent-7' },
    ]);

    c.apply('proposeRemedies', { actor: actors.owner, options: [refund(3000), { kind: 'fee-reduction', description: 'A month free', amountFen: 12800 }] }, after(300));
    expect(c.currentProposals().map((p) => [p.id, p.round])).toEqual([
      ['R2-1', 2],
      ['R2-2', 2],
    ]);
    expect(c.state.proposals.map((p) => p.id)).toEqual(['R1-1', 'R2-1', 'R2-2']);
    // Last round's option is no longer on the table.
    expect(rejection(() => c.check('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' }))).toMatchObject({ kind: 'invalid', field: 'optionId' });
    c.apply('approveRemedy', { actor: actors.supervisor, optionId: 'R2-2' }, after(320));
    expect(c.stage).toBe('awaiting-customer');
    expect(c.state.approvedRemedy?.id).toBe('R2-2');
  });

  it('acceptance moves to implementing', () => {
    const c = toImplementing();
    expect(c.stage).toBe('implementing');
    expect(c.state.customerAnswers.at(-1)).toMatchObject({ accepted: true, recordedBy: 'agent-7' });
  });

  it("customer silent under 'close-as-accepted' (an option, not the default): implemented and closed as accepted by silence", () => {
    const c = toCustomer({ ...notDrawn, customerAnswer: { ...shippedPolicy.customerAnswer, onSilence: 'close-as-accepted' } });
    fireStageTimer(c, 2);
    expect(c.state.remindersSent).toBe(2);
    expect(c.state.effects.filter((e) => e.kind === 'customer-notice' && e.notice === 'reminder')).toHaveLength(2);
    const silentAt = fireStageTimer(c);
    expect(c.stage).toBe('implementing');
    expect(c.state.escalations.map((e) => e.trigger)).not.toContain('customer-silent');
    expect(c.state.customerAnswers).toEqual([{ accepted: true, note: 'accepted by silence', at: silentAt.toISOString(), recordedBy: 'system' }]);
    expect(c.timeline.map((e) => e.type).filter((t) => !t.startsWith('clock-')).slice(-2)).toEqual(['accepted-by-silence', 'customer-accepted']);
    settleAll(c, new Date(silentAt.getTime() + 60_000));
    expect(c.stage).toBe('closed');
    expect(c.state.outcome).toBe('accepted-by-silence');
  });

  it("customer silent under 'escalate': escalates and stays with the customer", () => {
    // One hour and no reminder: silence comes before any SLA clock could escalate on its own.
    const policy: HandlingPolicy = { ...shippedPolicy, customerAnswer: { reminderEveryHours: 1, reminders: 0, onSilence: 'escalate' } };
    const c = toCustomer(policy);
    const silentAt = fireStageTimer(c);
    expect(silentAt.toISOString()).toBe('2026-11-02T05:00:00.000Z'); // approved at 04:00, + 1 h
    expect(c.stage).toBe('awaiting-customer');
    expect(c.state.customerAnswers).toEqual([]);
    expect(c.state.escalations).toEqual([{ level: 1, trigger: 'customer-silent', at: silentAt.toISOString(), reason: 'No answer after 0 reminder(s)' }]);
    // Silence is acted on once: no stage timer is left to fire.
    expect(c.stageWait().dueAt).toBeUndefined();
    // The customer can still answer.
    c.apply('recordCustomerAnswer', { actor: actors.owner, accepted: true }, after(4400));
    expect(c.stage).toBe('implementing');
  });
});

describe('implementation and callback', () => {
  it('a completed remedy with a callback drawn awaits the callback; a satisfied callback closes as resolved', () => {
    const c = toCallback();
    expect(c.stage).toBe('awaiting-callback');
    expect(c.state.implementation).toMatchObject({ startedAt: '2026-11-02T05:00:00.000Z', completedAt: '2026-11-02T06:00:00.000Z' });
    c.apply('recordCallback', { actor: actors.owner, satisfied: true }, after(1440));
    expect(c.stage).toBe('closed');
    expect(c.state.outcome).toBe('resolved');
    expect(c.state.closedAt).toBe('2026-11-03T01:00:00.000Z');
    expect(c.state.callback).toMatchObject({ required: true, result: { satisfied: true, comments: '', at: '2026-11-03T01:00:00.000Z', recordedBy: 'agent-7' } });
  });

  it('without a callback drawn, the case closes as resolved on completion', () => {
    const c = toImplementing(notDrawn);
    settleAll(c, after(300));
    expect(c.stage).toBe('closed');
    expect(c.state.outcome).toBe('resolved');
    expect(c.state.callback).toEqual({ required: false });
  });

  it('a dissatisfied callback escalates and reopens the case to proposing', () => {
    const c = toCallback();
    c.apply('recordCallback', { actor: actors.owner, satisfied: false, comments: 'Still charged' }, after(1440));
    expect(c.stage).toBe('proposing');
    expect(c.isClosed).toBe(false);
    expect(c.state.outcome).toBeUndefined();
    expect(c.state.proposalRound).toBe(2);
    expect(c.state.escalationLevel).toBe(1);
    expect(c.state.escalations).toEqual([
      { level: 1, trigger: 'callback-dissatisfied', at: '2026-11-03T01:00:00.000Z', reason: 'Callback: dissatisfied (Still charged)' },
    ]);
    expect(c.timeline.slice(-2).map((e) => [e.type, e.actor])).toEqual([
      ['escalated', undefined],
      ['reopened', 'agent-7'],
    ]);
    c.apply('proposeRemedies', { actor: actors.owner, options: [explanation] }, after(1500));
    expect(c.currentProposals().map((p) => p.id)).toEqual(['R2-1']);
  });

  it('a failed implementation escalates and asks for another remedy', () => {
    const c = toImplementing();
    settleAll(c, after(260), (e) => (e.kind === 'payment' ? { key: e.key, outcome: 'refused', reason: 'The payment gateway refused the refund' } : { key: e.key, outcome: 'done' }));
    expect(c.stage).toBe('proposing');
    expect(c.state.proposalRound).toBe(2);
    expect(c.state.implementation).toEqual({ startedAt: '2026-11-02T05:00:00.000Z', failure: 'The payment gateway refused the refund' });
    expect(c.state.escalationLevel).toBe(1);
    expect(c.state.escalations).toMatchObject([{ level: 1, trigger: 'implementation-failed', reason: 'The payment gateway refused the refund' }]);
    expect(c.timeline.find((e) => e.type === 'implementation-failed')).toMatchObject({ at: '2026-11-02T05:20:00.000Z', actor: undefined });
    c.apply('proposeRemedies', { actor: actors.owner, options: [explanation] }, after(300));
    expect(c.currentProposals().map((p) => p.id)).toEqual(['R2-1']);
  });
});

describe('not upheld and disputes', () => {
  it('a not-upheld judgment waits for a dispute; with none it closes as not upheld', () => {
    const c = toNotUpheld();
    expect(c.stage).toBe('not-upheld');
    fireStageTimer(c);
    expect(c.stage).toBe('closed');
    expect(c.state.outcome).toBe('not-upheld');
    expect(c.state.closedAt).toBe('2026-11-09T01:05:00.000Z'); // 168 h from the judgment
  });

  it('a dispute reopens the case to awaiting-judgment at escalation level 1, judged by a supervisor', () => {
    const c = toNotUpheld();
    c.apply('disputeJudgment', { actor: actors.service, ...bodies.disputeJudgment }, after(60));
    expect(c.stage).toBe('awaiting-judgment');
    expect(c.state.escalationLevel).toBe(1);
    expect(c.state.escalations).toEqual([
      { level: 1, trigger: 'judgment-disputed', at: '2026-11-02T02:00:00.000Z', reason: 'The customer has a second bill showing the charge' },
    ]);
    expect(rejection(() => c.check('judgeValidity', { actor: actors.owner, ...bodies.judgeValidity }))).toMatchObject({
      kind: 'forbidden',
      field: 'actor.role',
    });
    c.apply('judgeValidity', { actor: actors.supervisor, ...bodies.judgeValidity }, after(90));
    expect(c.stage).toBe('investigating');
  });
});

describe('withdrawal', () => {
  const from: Array<[string, () => ComplaintCase]> = [
    ['awaiting-judgment', () => openCase()],
    ['not-upheld', () => toNotUpheld()],
    ['investigating', () => toInvestigating()],
    ['proposing', () => toProposing()],
    ['awaiting-approval', () => toApproval()],
    ['awaiting-customer', () => toCustomer()],
    ['implementing', () => toImplementing()],
    ['awaiting-callback', () => toCallback()],
  ];

  it.each(from)('from %s closes the case as withdrawn', (stage, setup) => {
    const c = setup();
    expect(c.stage).toBe(stage);
    c.apply('withdraw', { actor: actors.service, reason: 'Resolved on the customer side' }, after(2000));
    expect(c.stage).toBe('closed');
    expect(c.isClosed).toBe(true);
    expect(c.state.outcome).toBe('withdrawn');
    expect(c.state.closedAt).toBe('2026-11-03T10:20:00.000Z');
    expect(c.timeline.at(-1)).toMatchObject({ type: 'closed', actor: 'crm', summary: 'Withdrawn by the customer: Resolved on the customer side' });
  });
});

describe('check never changes anything', () => {
  it('neither a rejected nor an accepted check mutates the state or the timeline', () => {
    const c = toApproval([refund(50001)], actors.supervisor);
    const state = structuredClone(c.state);
    const timeline = structuredClone(c.timeline);

    // Rejected: the proposer approving their own option.
    expect(rejection(() => c.check('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' })).kind).toBe('forbidden');
    expect(c.state).toEqual(state);
    expect(c.timeline).toEqual(timeline);

    // Accepted: another supervisor may choose it; check returns the parsed command but changes nothing.
    const checked = c.check('approveRemedy', { actor: actors.supervisor2, optionId: 'R1-1', note: 'Best option' });
    expect(checked).toEqual({ actor: { id: 'sup-2', role: 'supervisor' }, body: { optionId: 'R1-1', note: 'Best option' } });
    expect(c.state).toEqual(state);
    expect(c.timeline).toEqual(timeline);
    expect(c.stage).toBe('awaiting-approval');
  });

  it('an accepted findings check does not mark the department as reported', () => {
    const c = toInvestigating();
    const state = structuredClone(c.state);
    expect(() => c.check('recordFindings', { actor: actors.billing, ...bodies.recordFindings })).not.toThrow();
    expect(c.state).toEqual(state);
    expect(c.state.assignments[0]!.status).toBe('awaiting-dispatch');
  });
});

describe('apply records the timeline', () => {
  it('each event has the next seq, the clock it was applied at and its actor', () => {
    const c = openCase();
    judgeUpheld(c, ['billing'], after(5));
    report(c, actors.billing, 'billing', after(60));
    c.apply('addNote', { actor: actors.manager, text: 'Watch this one' }, after(61));
    c.apply('recordContact', { actor: actors.owner, channel: 'sms', purpose: 'cause-found', summary: 'Found the retry', newPromisedTime: '2026-11-03T09:00:00+08:00' }, after(62));

    expect(c.timeline.map((e) => e.seq)).toEqual(c.timeline.map((_, i) => i + 1));
    // Clock events (clock-met, ...) interleave; the case events are these, in order.
    expect(c.timeline.filter((e) => !e.type.startsWith('clock-')).map(({ at, type, actor }) => ({ at, type, actor }))).toEqual([
      { at: '2026-11-02T01:00:00.000Z', type: 'accepted', actor: 'agent-7' },
      { at: '2026-11-02T01:05:00.000Z', type: 'judged-upheld', actor: 'agent-7' },
      // Reported before any dispatch was confirmed: the department evidently has the case.
      { at: '2026-11-02T02:00:00.000Z', type: 'dispatched', actor: undefined },
      { at: '2026-11-02T02:00:00.000Z', type: 'findings-recorded', actor: 'billing-desk' },
      { at: '2026-11-02T02:00:00.000Z', type: 'investigation-complete', actor: undefined },
      { at: '2026-11-02T02:01:00.000Z', type: 'note', actor: 'mgr-1' },
      { at: '2026-11-02T02:02:00.000Z', type: 'customer-contacted', actor: 'agent-7' },
    ]);
    expect(c.timeline[1]!.summary).toBe('Upheld: The bill shows the package twice; responsible: billing');
    expect(c.state.notes).toEqual([{ at: '2026-11-02T02:01:00.000Z', by: 'mgr-1', text: 'Watch this one' }]);
    expect(c.state.contacts).toEqual([
      { at: '2026-11-02T02:02:00.000Z', by: 'agent-7', channel: 'sms', purpose: 'cause-found', summary: 'Found the retry' },
    ]);
    expect(c.state.promisedTimes.map(({ what, by, status }) => ({ what, by, status }))).toEqual([
      { what: 'reply', by: '2026-11-02T13:00:00.000Z', status: 'kept' }, // 000: 12 h from receipt, kept by the judgment
      { what: 'contact (cause-found)', by: '2026-11-03T09:00:00+08:00', status: 'pending' },
    ]);
  });

  it('apply does not judge again: a command accepted under an older rule is applied as accepted (replay)', () => {
    const c = openCase();
    // Today's rules refuse a department's judgment...
    expect(rejection(() => c.check('judgeValidity', { actor: actors.billing, upheld: false, reason: 'x' }))).toMatchObject({ kind: 'forbidden' });
    // ...but a history recorded under a rule that allowed it replays: the handler only applies.
    c.apply('judgeValidity', { actor: actors.billing, upheld: false, reason: 'judged under an older rule' }, after(1));
    expect(c.stage).toBe('not-upheld');
    expect(c.timeline.find((e) => e.type === 'judged-not-upheld')).toMatchObject({ actor: 'billing-desk', summary: 'Not upheld: judged under an older rule' });
  });
});

describe('bad data is rejected as invalid, naming the field', () => {
  const cases: Array<[string, () => ComplaintCase, CommandName, Record<string, unknown>, string]> = [
    ['a negative refund amount', () => toProposing(), 'proposeRemedies', { actor: actors.owner, options: [refund(-5)] }, 'options.0.amountFen'],
    ['a fractional amount in the second option', () => toProposing(), 'proposeRemedies', { actor: actors.owner, options: [explanation, refund(12.5)] }, 'options.1.amountFen'],
    ['no remedy options', () => toProposing(), 'proposeRemedies', { actor: actors.owner, options: [] }, 'options'],
    ['a department actor without a department', () => toInvestigating(), 'recordFindings', { actor: { id: 'desk', role: 'department' }, ...bodies.recordFindings }, 'actor.department'],
    ['an unknown role', () => openCase(), 'addNote', { actor: { id: 'x', role: 'ceo' }, text: 'hi' }, 'actor.role'],
    ['no actor at all', () => openCase(), 'addNote', { text: 'hi' }, 'actor'],
    ['an upheld judgment naming no department', () => openCase(), 'judgeValidity', { actor: actors.owner, upheld: true, reason: 'ok', departments: [] }, 'departments'],
    ['an unknown department', () => openCase(), 'judgeValidity', { actor: actors.owner, upheld: true, reason: 'ok', departments: ['legal'] }, 'departments.0'],
    ['a blank note', () => openCase(), 'addNote', { actor: actors.owner, text: '   ' }, 'text'],
    ['a promised time that is not an instant', () => openCase(), 'recordContact', { actor: actors.owner, channel: 'phone', purpose: 'progress', summary: 's', newPromisedTime: 'tomorrow' }, 'newPromisedTime'],
  ];

  it.each(cases)('%s', (_label, setup, command, input, field) => {
    const c = setup();
    const r = rejection(() => c.check(command, input));
    expect(r.kind).toBe('invalid');
    expect(r.field).toBe(field);
    expect(r.message.startsWith(`${field}:`)).toBe(true);
  });
});

describe('effects owed by transitions', () => {
  it('a proactive notice owed at night waits for the contact window; the acknowledgement does not (004)', () => {
    const c = openCase();
    expect(c.state.effects[0]).toMatchObject({ kind: 'customer-notice', notice: 'acknowledgement' });
    expect(c.state.effects[0]!.notBefore).toBeUndefined();
    // Judged at 22:30 in Shanghai: the "under investigation" notice waits for 08:00 the next day.
    const lateEvening = after(13 * 60 + 30);
    c.apply('judgeValidity', { actor: actors.owner, upheld: true, reason: 'plausible', departments: ['billing'] }, lateEvening);
    const notice = c.state.effects.find((e) => e.kind === 'customer-notice' && e.notice === 'investigating')!;
    expect(notice.notBefore).toBe('2026-11-03T00:00:00.000Z');
    expect(c.takeEffectsDue(lateEvening).map((e) => e.key)).not.toContain(notice.key);
    // The dispatch does not wait: only customers rest.
    expect(c.takeEffectsDue(lateEvening).map((e) => e.kind)).toContain('department-dispatch');
    expect(c.nextEffectRetry()).toBe(Date.parse('2026-11-03T00:00:00.000Z'));
    expect(c.takeEffectsDue(new Date('2026-11-03T00:00:00.000Z')).map((e) => e.key)).toContain(notice.key);
  });

  it('on an urgent complaint the news of the case goes out at once, at any hour (policy)', () => {
    const c = ComplaintCase.open('C-000002', intake({ severity: 'urgent', urgentReason: 'media-exposure' }), shippedPolicy, shippedCalendar, now);
    c.apply('judgeValidity', { actor: actors.supervisor, upheld: true, reason: 'plausible', departments: ['billing'] }, after(13 * 60 + 30));
    expect(c.state.effects.find((e) => e.kind === 'customer-notice' && e.notice === 'investigating')!.notBefore).toBeUndefined();
  });

  it('a department that never had the case is refused a consultation opinion as a stranger, not told the stage', () => {
    const c = openCase();
    expect(rejection(() => c.check('recordConsultation', { actor: actors.network, supports: true, opinion: 'fine' }))).toMatchObject({
      kind: 'forbidden',
      field: 'actor.department',
    });
  });

  it('a deadline computed past the calendar is flagged on the case, once per clock', () => {
    const lateDecember = new Date('2026-12-28T01:00:00.000Z');
    const c = ComplaintCase.open('C-000003', intake({ receivedAt: lateDecember.toISOString() }), shippedPolicy, shippedCalendar, lateDecember);
    expect(c.state.calendarFallback).toContain('satisfactory-answer');
    const flags = c.timeline.filter((e) => e.type === 'calendar-fallback');
    expect(flags).toHaveLength(1);
    expect(flags[0]!.summary).toContain('satisfactory-answer');
    c.apply('addNote', { actor: actors.owner, text: 'called the customer' }, new Date(lateDecember.getTime() + 60_000));
    expect(c.timeline.filter((e) => e.type === 'calendar-fallback')).toHaveLength(1);
  });

  it('every stage change is a row of the process table, and owes what the row says', () => {
    const c = toCustomer(notDrawn);
    const kindsOwedBy = (act: () => void) => {
      const before = c.state.effects.length;
      act();
      // Lifecycle events are owed for every published timeline entry, whatever the row.
      return [...new Set(c.state.effects.slice(before).map((e) => e.kind))].filter((k) => k !== 'lifecycle-events').sort();
    };
    // awaiting-customer → implementing owes its archive record and the payment (implementationOwes.refund)...
    expect(kindsOwedBy(() => c.apply('recordCustomerAnswer', { actor: actors.owner, accepted: true }, after(300)))).toEqual(['archive', 'payment']);
    // ...and its completion, closing without a callback, owes the row's effects.
    const row = transitions.find((t) => t.from === 'implementing' && t.on === 'closed')!;
    expect(kindsOwedBy(() => settleAll(c, after(310)))).toEqual([...row.owes].sort());
    expect(c.stage).toBe('closed');
  });
});
