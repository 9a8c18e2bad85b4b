/**
 * The monthly 100-point customer-service scorecard of seed 000 §4 (docs/rules.md), per department and
 * per partner (SP), every deduction itemised; the bottom ten charged emergency-seat fees (000 §5);
 * the charges partners bear for complaints the platform took over (000 §6).
 *
 * Pure: the figures come from archived complaints (`ComplaintFacts`) plus the inputs the complaint
 * records cannot hold (hotline availability, sampled answer rate, subscriber counts), which are
 * data in config/assessment.json. The seeds' numbers live there too, validated by `parseAssessment`.
 */

export { SHANGHAI_OFFSET_MINUTES, assessmentMonthOf, assessmentWindow, isAssessmentMonth, shiftMonth } from './window';
export type { Assessment, UnitInputs, UnitKind } from './assessment';
export { assessmentSchema, parseAssessment, unitKinds } from './assessment';
export type { Deduction, PartnerCharges, ScoreBonus, ScoreItem, ScoreItemKey, Scorecard, SuspensionDecision, TerminationDecision, UnitScore } from './types';
export { scoreItemKeys, scoreItemTitles } from './types';
export type { PartnerSuspensionRule, PartnerTerminationRule } from './partners';
export { partnerSuspension, partnerTermination, routeIntakeAroundSuspension } from './partners';
export { scorecard } from './totals';
