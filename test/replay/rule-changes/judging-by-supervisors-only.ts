/**
 * A test build's rule change: from now on only supervisors and managers judge validity (agents
 * judged every saved complaint). Swapped in for `./command-rules` by the replay test's bundle.
 */
import { commandRules } from '../../../domain/command-rules';

export * from '../../../domain/command-rules';

commandRules.judgeValidity = { roles: ['supervisor', 'manager'], stages: ['awaiting-judgment'] };
