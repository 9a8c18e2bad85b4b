/** The case file of a complaint: the class the workflow drives, and the types and reads around it. */
export { ComplaintCase } from './case';
export type { CaseSnapshot } from './core';
export type { StageWait } from './deadlines';
export type * from '../case-state';
export { CommandRejection, activeAssignment, currentProposals } from '../case-state';
export { acceptedCommand, checkCommand, describeCommand, mayRead, rolesAllowedTo, type IncomingCommand } from '../command-rules';
export type { EscalationTrigger } from '../escalation';
export type { EffectResult, OwedEffect } from '../effects';
