/** The handling policy: the shipped file, its seeds defaults (DOMAIN §7), and validation messages. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { approvalLimitFen, parseHandlingPolicy, type HandlingPolicy } from '../../domain/policy';

const raw = (): Record<string, any> => JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'policy.json'), 'utf8'));

/** The message of the error `fn` throws. */
function errorMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    return (err as Error).message;
  }
  throw new Error('expected an error, but none was thrown');
}

describe('config/policy.json', () => {
  let policy: HandlingPolicy;
  beforeAll(() => {
    policy = parseHandlingPolicy(raw(), 'config/policy.json');
  });

  it('parses', () => {
    expect(policy.version).toBe('2026-11-seeds');
  });

  it("promises the seeds' reply times on acknowledgement: direct 12 h, transferred 2 h (000)", () => {
    expect(policy.acknowledgement.promisedReplyHours).toEqual({ direct: 12, transferred: 2 });
  });

  it('holds the rest of the shipped values', () => {
    expect(policy.approval).toEqual({ limitsFen: { supervisor: 50000, manager: 500000 }, escalateTo: 'manager' });
    expect(policy.customerAnswer).toEqual({ reminderEveryHours: 24, reminders: 2, onSilence: 'close-as-accepted' });
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

  it('a zero promised reply time', () => {
    const p = raw();
    p.acknowledgement.promisedReplyHours.transferred = 0;
    expect(errorMessage(() => parseHandlingPolicy(p))).toContain('acknowledgement.promisedReplyHours.transferred');
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

  it('is 0 for roles without a limit', () => {
    for (const role of ['agent', 'department', 'service', 'auditor'] as const) {
      expect(approvalLimitFen(policy, role)).toBe(0);
    }
  });
});
