/** The handling policy: the shipped file, its seeds defaults (docs/clocks.md), and validation messages. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHandlingPolicy, type HandlingPolicy } from '../../domain/policy';
import { approvalLimitFen } from '../../domain/approval';
import { errorMessage } from '../support/errors';

const raw = (): Record<string, any> => JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'policy.json'), 'utf8'));


describe('config/policy.json', () => {
  let policy: HandlingPolicy;
  beforeAll(() => {
    policy = parseHandlingPolicy(raw(), 'config/policy.json');
  });

  it('parses', () => {
    expect(policy.version).toBe('2026-11-seeds');
  });

  it("carries the seeds' clocks (docs/clocks.md)", () => {
    const normal = (clock: keyof typeof policy.clocks, kind: 'direct' | 'transferred' = 'direct') => policy.clocks[clock].durations[kind].normal;
    expect(normal('reply')).toEqual({ hours: 12 }); // 000
    expect(normal('resolve')).toEqual({ hours: 48 }); // 000
    // 000: 工作日2小时内,节假日6小时内: 2 h after receipt on a working day, 6 h on a holiday, on the clock.
    expect(normal('reply', 'transferred')).toEqual({ hours: 2, receivedOnHoliday: { hours: 6 } });
    expect(normal('resolve', 'transferred')).toEqual({ hours: 12 }); // 000
    expect(normal('dispatch')).toEqual({ hours: 12 }); // 002
    expect(normal('verification-update')).toEqual({ hours: 12 }); // 002
    expect(normal('result-report')).toEqual({ workingDays: 1 }); // 002
    expect(normal('satisfactory-answer')).toEqual({ workingDays: 7 }); // 002
    expect(normal('callback')).toEqual({ hours: 72 }); // 004
    expect(policy.takeover.handlingFeeRate).toBe(0.3); // 000
    // 000 gives flat limits: no seed clock pauses, the resolve clock included.
    for (const clock of Object.values(policy.clocks)) expect(clock.pauseIn).toEqual([]);
  });

  it('holds the rest of the shipped values', () => {
    expect(policy.approval).toEqual({
      source: expect.stringContaining('002 §3.3 item 3'),
      limitsFen: { supervisor: 50000, manager: 500000 },
      escalateTo: 'manager',
      topTier: 'general-manager',
      lowestTierByKind: { compensation: 'manager' },
    });
    // 002: 顾客满意后结案 (closed once the customer is satisfied): silence escalates, never closes.
    expect(policy.customerAnswer).toEqual({ reminderEveryHours: 24, reminders: 2, onSilence: 'escalate' });
    expect(policy.notUpheld).toEqual({ disputeWindowHours: 168 });
    expect(policy.callback.sampleRate).toBe(0.3);
  });
});

describe('parseHandlingPolicy rejects a bad policy, naming the field', () => {
  it('a negative approval limit', () => {
    const p = raw();
    p.approval.limitsFen.supervisor = -1;
    const message = errorMessage(() => parseHandlingPolicy(p, 'my-policy.json'));
    expect(message).toContain('my-policy.json');
    expect(message).toContain('approval.limitsFen.supervisor');
  });

  it('a kind that starts at a role off the ladder', () => {
    const p = raw();
    p.approval.lowestTierByKind = { refund: 'auditor' };
    expect(errorMessage(() => parseHandlingPolicy(p))).toContain('approval.lowestTierByKind');
    p.approval.lowestTierByKind = { 'gift-voucher': 'manager' };
    expect(errorMessage(() => parseHandlingPolicy(p))).toMatch(/approval.lowestTierByKind: Unrecognized key: "gift-voucher"/);
  });

  it('a clock that pauses without saying what allows it (the seeds give flat limits)', () => {
    const p = raw();
    p.clocks.resolve.pauseIn = ['awaiting-customer'];
    expect(errorMessage(() => parseHandlingPolicy(p))).toContain('clocks.resolve.pauseSource');
    p.clocks.resolve.pauseSource = 'a decision of the deployment';
    expect(parseHandlingPolicy(p).clocks.resolve.pauseIn).toEqual(['awaiting-customer']);
  });

  it('a missing section', () => {
    const p = raw();
    delete p.customerAnswer;
    expect(errorMessage(() => parseHandlingPolicy(p))).toMatch(/^\s+- customerAnswer:/m);
  });

  it('a sample rate above 1', () => {
    const p = raw();
    p.callback.sampleRate = 1.5;
    expect(errorMessage(() => parseHandlingPolicy(p))).toContain('callback.sampleRate');
  });

  it('a zero clock duration', () => {
    const p = raw();
    p.clocks.reply.durations.transferred.normal = { hours: 0 };
    expect(errorMessage(() => parseHandlingPolicy(p))).toContain('clocks.reply.durations.transferred.normal');
  });

  it('a clock that starts, stops or is cancelled on an event the timeline never records', () => {
    const p = raw();
    p.clocks.dispatch.stopOn = ['dispatched', 'dispatch-acknowleged'];
    expect(errorMessage(() => parseHandlingPolicy(p))).toContain('clocks.dispatch.stopOn.1');
    const q = raw();
    q.clocks.callback.startOn = ['callback due'];
    expect(errorMessage(() => parseHandlingPolicy(q))).toContain('clocks.callback.startOn.0');
    const r = raw();
    r.clocks.dispatch.cancelOn = ['judged-not-upheld', 'withdrawn'];
    expect(errorMessage(() => parseHandlingPolicy(r))).toContain('clocks.dispatch.cancelOn.1');
  });

  it('an unknown silence rule', () => {
    const p = raw();
    p.customerAnswer.onSilence = 'ignore';
    expect(errorMessage(() => parseHandlingPolicy(p))).toContain('customerAnswer.onSilence');
  });

  it('names every bad field in one message', () => {
    const p = raw();
    p.callback.sampleRate = -0.1;
    p.approval.limitsFen.manager = 1.5;
    const message = errorMessage(() => parseHandlingPolicy(p));
    expect(message).toContain('callback.sampleRate');
    expect(message).toContain('approval.limitsFen.manager');
  });

  it('something that is not an object at all', () => {
    expect(errorMessage(() => parseHandlingPolicy(null))).toContain('(root)');
  });
});

describe('approvalLimitFen', () => {
  const policy = parseHandlingPolicy(raw());

  it('gives the configured limits', () => {
    expect(approvalLimitFen(policy, 'supervisor')).toBe(50000);
    expect(approvalLimitFen(policy, 'manager')).toBe(500000);
  });

  it('has no limit for the top tier, the general manager (002 §3.3 item 3)', () => {
    expect(approvalLimitFen(policy, 'general-manager')).toBe(Infinity);
    expect(approvalLimitFen(policy, 'general-manager', 'compensation')).toBe(Infinity);
  });

  it('keeps a role below a kind\'s lowest tier from that kind altogether', () => {
    expect(approvalLimitFen(policy, 'supervisor', 'compensation')).toBe(-1);
    expect(approvalLimitFen(policy, 'supervisor', 'refund')).toBe(50000);
    expect(approvalLimitFen(policy, 'manager', 'compensation')).toBe(500000);
  });

  it('is 0 for roles without a limit', () => {
    for (const role of ['agent', 'department', 'service', 'auditor'] as const) {
      expect(approvalLimitFen(policy, role)).toBe(0);
    }
  });
});
