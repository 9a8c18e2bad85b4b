/**
 * The report routes (docs/rules.md): classification, SLA, resolution and the monthly scorecard as JSON
 * or CSV (`?format=csv` or `Accept: text/csv`), the knowledge base of case summaries, and the HTML
 * report page at GET /reports. Reads only; a bad query is a 400 problem.
 *
 * Periods: `?month=YYYY-MM` (the 21st-to-20th assessment window) or `?from&to`, each a date
 * (YYYY-MM-DD, local time of the assessment, `to` inclusive) or an instant with an offset (`to`
 * exclusive).
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { ComplaintRecordStore } from '../../archive/store';
import { loadAssessment } from '../../config/settings';
import { coverageWarning, type BusinessCalendar } from '../../domain/calendar';
import type { Period } from '../../archive/reports';
import { assessmentMonthOf, assessmentWindow, isAssessmentMonth, shiftMonth, type Assessment } from '../../archive/scorecard';
import { methodNotAllowed, problem } from '../http/problem';
import { validate, type ValidatedHandler } from '../http/validate';
import { routeAccess } from '../auth/access';
import { permit, type PrincipalLocals } from '../http/auth';
import { classificationCsv, knowledgeBaseCsv, resolutionCsv, scorecardCsv, slaCsv } from './csv';
import { renderReportPage, reportPageCsp } from './page';

export interface ReportDeps {
  store: ComplaintRecordStore;
  /** The scorecard's rules and inputs; default: config/assessment.json. */
  assessment?: Assessment;
  /** The clock the report page's default month comes from. */
  now?: () => Date;
  /** The business calendar: the page warns while its data is running out. */
  calendar?: BusinessCalendar;
  /** Days before the calendar's data ends that the page warns (default 60). */
  calendarWarnDays?: number;
  /** The handling policy's placeholder figures (postage, tax rate, approval limits), shown with the scorecard. */
  policyPlaceholders?: ReadonlyArray<{ path: string; note: string }>;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const when = z.union([z.string().regex(datePattern, 'a date YYYY-MM-DD'), z.iso.datetime({ offset: true })], {
  error: 'a date YYYY-MM-DD or an ISO instant with an offset',
});
const format = z.enum(['json', 'csv']).optional();
const month = z
  .string()
  .refine(isAssessmentMonth, 'an assessment month YYYY-MM')
  .meta({ pattern: '^(19[7-9]\\d|[2-9]\\d{3})-(0[1-9]|1[0-2])$', description: 'an assessment month, YYYY-MM from 1970 on (the 21st of the month before to the 20th)' });

const periodQuery = z
  .object({ month: month.optional(), from: when.optional(), to: when.optional(), format })
  .meta({ description: 'the period: month, or from and to (both), never both kinds' })
  .superRefine((q, ctx) => {
    const period = q.from !== undefined || q.to !== undefined;
    if (q.month !== undefined && period) ctx.addIssue({ code: 'custom', message: 'give either month, or from and to, not both', path: ['month'] });
    else if (q.month === undefined && !period) ctx.addIssue({ code: 'custom', message: 'give month (YYYY-MM), or from and to', path: ['month'] });
    else if (q.month === undefined && q.from === undefined) ctx.addIssue({ code: 'custom', message: 'give from with to', path: ['from'] });
    else if (q.month === undefined && q.to === undefined) ctx.addIssue({ code: 'custom', message: 'give to with from', path: ['to'] });
  });
const periodRequest = { query: periodQuery };
const scorecardRequest = { query: z.object({ month, format }) };
const knowledgeBaseRequest = {
  query: z.object({
    category: z.string().trim().min(1).max(64).optional(),
    // PostgreSQL refuses a NUL character in text: refused here, with the field's name.
    q: z.string().trim().max(200).refine((text) => !text.includes('\u0000'), 'must not contain a NUL character').optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    format,
  }),
};
const pageRequest = { query: z.object({ month: month.optional() }) };

/** Each report route's request schema, by path (for /openapi.json). */
export const reportRequests = {
  '/reports': { operationId: 'reportPage', summary: 'The HTML report page for one assessment month', request: pageRequest, csv: false, html: true },
  '/reports/classification': { operationId: 'classificationReport', summary: 'Complaints by category, severity and channel', request: periodRequest, csv: true, html: false },
  '/reports/sla': { operationId: 'slaReport', summary: 'SLA compliance per clock', request: periodRequest, csv: true, html: false },
  '/reports/resolution': { operationId: 'resolutionReport', summary: 'Resolution outcomes and times', request: periodRequest, csv: true, html: false },
  '/reports/scorecard': { operationId: 'scorecard', summary: 'The monthly assessment scorecard', request: scorecardRequest, csv: true, html: false },
  '/knowledge-base': { operationId: 'knowledgeBase', summary: 'Summaries of closed cases', request: knowledgeBaseRequest, csv: true, html: false },
} as const;

/** Mount at the root: serves /reports, /reports/* and /knowledge-base. */
export function reportRoutes(deps: ReportDeps): Router {
  const assessment = deps.assessment ?? loadAssessment();
  const tz = assessment.timeZoneOffsetMinutes;
  const now = deps.now ?? (() => new Date());
  const router = Router();
  /** The month's scorecard, its placeholders joined by the policy's (config/policy.json). */
  const scorecardOf = async (month: string) => {
    const card = await deps.store.scorecard(month, assessment);
    const fromPolicy = (deps.policyPlaceholders ?? []).map((p) => ({ path: `policy.${p.path}`, note: p.note }));
    return { ...card, placeholders: [...card.placeholders.map((p) => ({ path: `assessment.${p.path}`, note: p.note })), ...fromPolicy] };
  };

  /** The period of a query, in the assessment's local time; `from` must come before `to`. */
  function periodOf(q: z.output<typeof periodQuery>): Period & { month?: string } {
    if (q.month) return assessmentWindow(q.month, tz);
    const at = (v: string, endOfDay: boolean) => {
      if (!datePattern.test(v)) return new Date(v);
      const [y, m, d] = v.split('-').map(Number) as [number, number, number];
      const t = Date.UTC(y, m - 1, d + (endOfDay ? 1 : 0)) - tz * 60_000;
      const date = new Date(t);
      // Date.UTC rolls 2026-02-30 over into March: refuse dates that do not exist.
      const check = new Date(Date.UTC(y, m - 1, d));
      if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return new Date(NaN);
      return date;
    };
    const from = at(q.from!, false);
    const to = at(q.to!, true);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
      throw problem('invalid-request', 'Check from, to', { errors: [{ field: 'query.from', reason: 'not a real date' }] });
    }
    if (from >= to) {
      throw problem('invalid-request', 'Check from, to', { errors: [{ field: 'query.to', reason: 'to must be after from' }] });
    }
    return { from, to };
  }

  const period = (p: Period & { month?: string }) => ({ ...(p.month ? { month: p.month } : {}), from: p.from.toISOString(), to: p.to.toISOString() });

  /** JSON, or CSV when asked for by `?format=csv` or an Accept header preferring text/csv. */
  function send(req: Pick<Request, 'accepts'>, res: Response, name: string, body: object, csv: () => string, format?: 'json' | 'csv'): void {
    const wantsCsv = format === 'csv' || (format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
    res.vary('Accept');
    if (wantsCsv) {
      res.type('text/csv; charset=utf-8').attachment(`${name}.csv`).send(csv());
    } else {
      res.json(body);
    }
  }

  const periodName = (kind: string, p: Period & { month?: string }) =>
    `${kind}-${p.month ?? `${p.from.toISOString().slice(0, 10)}_${p.to.toISOString().slice(0, 10)}`}`;

  const classification: ValidatedHandler<typeof periodRequest> = async (req, res) => {
    const p = periodOf(res.locals.input.query);
    const report = await deps.store.classification(p);
    send(req, res, periodName('classification', p), { period: period(p), ...report }, () => classificationCsv(report), res.locals.input.query.format);
  };
  const sla: ValidatedHandler<typeof periodRequest> = async (req, res) => {
    const p = periodOf(res.locals.input.query);
    const report = await deps.store.sla(p);
    send(req, res, periodName('sla', p), { period: period(p), ...report }, () => slaCsv(report), res.locals.input.query.format);
  };
  const resolution: ValidatedHandler<typeof periodRequest> = async (req, res) => {
    const p = periodOf(res.locals.input.query);
    const report = await deps.store.resolution(p);
    send(req, res, periodName('resolution', p), { period: period(p), ...report }, () => resolutionCsv(report), res.locals.input.query.format);
  };
  const scorecard: ValidatedHandler<typeof scorecardRequest> = async (req, res) => {
    const card = await scorecardOf(res.locals.input.query.month);
    send(req, res, `scorecard-${card.month}`, card, () => scorecardCsv(card), res.locals.input.query.format);
  };
  const knowledgeBase: ValidatedHandler<typeof knowledgeBaseRequest, PrincipalLocals> = async (req, res) => {
    const { category, q, limit } = res.locals.input.query;
    // A department desk reads the cases it was responsible for, no other desk's.
    const { principal } = res.locals;
    const department = principal.role === 'department' ? principal.department : undefined;
    const entries = await deps.store.knowledgeBase({ category, q, limit, department });
    send(req, res, 'knowledge-base', { query: { category, q }, count: entries.length, entries }, () => knowledgeBaseCsv(entries), res.locals.input.query.format);
  };
  const page: ValidatedHandler<typeof pageRequest> = async (_req, res) => {
    const m = res.locals.input.query.month ?? assessmentMonthOf(now(), tz);
    const window = assessmentWindow(m, tz);
    const months = [5, 4, 3, 2, 1, 0].map((n) => shiftMonth(m, n));
    const [classificationReport, slaReport, resolutionReport, card, trend, cases] = await Promise.all([
      deps.store.classification(window),
      deps.store.sla(window),
      deps.store.resolution(window),
      scorecardOf(m),
      deps.store.trend(months, tz),
      deps.store.knowledgeBase({ period: window, limit: 10 }),
    ]);
    res
      .set('Content-Security-Policy', reportPageCsp)
      .set('X-Content-Type-Options', 'nosniff')
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        renderReportPage({
          month: m,
          tzOffsetMinutes: tz,
          generatedAt: now(),
          classification: classificationReport,
          sla: slaReport,
          resolution: resolutionReport,
          scorecard: card,
          trend,
          cases,
          calendarWarning: deps.calendar ? coverageWarning(deps.calendar, now(), deps.calendarWarnDays) : undefined,
        }),
      );
  };

  const reportsOnly = permit(routeAccess.reports, 'read the reports');
  router.route('/reports').get(reportsOnly, validate(pageRequest), page).all(methodNotAllowed(['GET']));
  router.route('/reports/classification').get(reportsOnly, validate(periodRequest), classification).all(methodNotAllowed(['GET']));
  router.route('/reports/sla').get(reportsOnly, validate(periodRequest), sla).all(methodNotAllowed(['GET']));
  router.route('/reports/resolution').get(reportsOnly, validate(periodRequest), resolution).all(methodNotAllowed(['GET']));
  router.route('/reports/scorecard').get(reportsOnly, validate(scorecardRequest), scorecard).all(methodNotAllowed(['GET']));
  router.route('/knowledge-base').get(permit(routeAccess.knowledgeBase, 'read the knowledge base'), validate(knowledgeBaseRequest), knowledgeBase).all(methodNotAllowed(['GET']));
  return router;
}
