/**
 * What a handling policy's JSON Schema cannot say, checked the same way at start-up (the zod
 * schema) and when a manager applies a policy to a running complaint (the command's validator):
 * each kind's approval tier is on the ladder, a clock that pauses says what allows it (the seeds
 * give flat limits), and each chosen or placeholder mark reaches a value of the policy. Pure, no
 * zod: the workflow imports it.
 */
import { strayMarks, type MarkedFigure } from './chosen-numbers';
import type { Role } from './vocabulary';

/** The parts of a policy the checks read: loose, so a policy not yet validated can be checked. */
export interface PolicyForProblems {
  clocks?: Record<string, { pauseIn?: readonly string[]; pauseSource?: string } | undefined>;
  approval?: { limitsFen?: Partial<Record<Role, number>>; topTier?: Role; lowestTierByKind?: Partial<Record<string, Role>> };
  chosen?: readonly MarkedFigure[];
  placeholders?: readonly MarkedFigure[];
}

export interface PolicyProblem {
  path: Array<string | number>;
  message: string;
}

/** Every such problem of `policy`, each at its field; none for a sound policy. */
export function policyDataProblems(policy: PolicyForProblems): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  for (const [name, rule] of Object.entries(policy.clocks ?? {})) {
    if (rule?.pauseIn?.length && rule.pauseSource === undefined) {
      out.push({ path: ['clocks', name, 'pauseSource'], message: 'a clock that pauses says what allows it (pauseSource): the seeds give flat limits' });
    }
  }
  const a = policy.approval;
  for (const [kind, tier] of Object.entries(a?.lowestTierByKind ?? {})) {
    if (tier !== a?.topTier && a?.limitsFen?.[tier!] === undefined) {
      out.push({ path: ['approval', 'lowestTierByKind', kind], message: `a kind starts at a tier of the ladder (a role with a limit, or the top tier), not ${tier}` });
    }
  }
  for (const key of ['chosen', 'placeholders'] as const) {
    for (const path of strayMarks(policy, policy[key] ?? [])) out.push({ path: [key], message: `${path} marks nothing in the policy` });
  }
  return out;
}
