/** The retention rule as data: its default, its bounds, and the cutoff it gives. */
import { defaultRetentionPolicy, retentionCutoff } from '../../domain/retention';
import { retentionPolicySchema } from '../../domain/retention-policy';
import { parseHandlingPolicy } from '../../domain/policy';
import { shippedPolicy } from '../support/fixtures';

describe('retention', () => {
  it('three years after the last closure by default, looked for daily; the shipped policy says so', () => {
    expect(defaultRetentionPolicy).toEqual({ afterClosureDays: 1095, sweepEveryHours: 24 });
    expect(shippedPolicy.retention).toEqual(defaultRetentionPolicy);
    expect(shippedPolicy.chosen.map((p) => p.path)).toContain('retention.*');
  });

  it('a policy recorded before the rule takes the default', () => {
    const { retention: _, ...older } = shippedPolicy;
    expect(parseHandlingPolicy(JSON.parse(JSON.stringify(older))).retention).toEqual(defaultRetentionPolicy);
  });

  it('refuses a period of no days, of a fraction, or past a century', () => {
    for (const afterClosureDays of [0, 1.5, 36_501]) expect(retentionPolicySchema.safeParse({ afterClosureDays }).success).toBe(false);
    expect(retentionPolicySchema.parse({ afterClosureDays: 30 })).toEqual({ afterClosureDays: 30, sweepEveryHours: 24 });
  });

  it('the cutoff lies the period before now, to the millisecond', () => {
    const now = new Date('2029-12-07T08:00:00.000Z');
    expect(retentionCutoff(now, { afterClosureDays: 1095 }).toISOString()).toBe('2026-12-08T08:00:00.000Z');
    expect(retentionCutoff(now, { afterClosureDays: 1 }).toISOString()).toBe('2029-12-06T08:00:00.000Z');
  });
});
