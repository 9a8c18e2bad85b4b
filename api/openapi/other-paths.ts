/**
 * The paths besides the complaints': the business calendar (dry run and apply), the reports
 * (from `reportRequests`), and the service's own routes (health, readiness, metrics, this document).
 */
import { z } from 'zod';
import { rolesAllowedTo } from '../../domain/case';
import { routeAccess } from '../auth/access';
import { reportRequests } from '../reports/routes';
import { calendarApplyRequest, calendarDryRunRequest } from '../calendar/routes';
import { erasureAnswer, erasureRequest } from '../customers/routes';
import { jsonSchemaOf, type RouteSpec } from './spec';

/** The business calendar's routes: what applying one would move, and applying it. */
export function calendarRouteSpecs(): RouteSpec[] {
  const fromPath = 'The calendar is the one in the body, or else the one CALENDAR_PATH holds now (read afresh: a year file dropped in since start-up counts; a bad one is 422 calendar-invalid). ';
  return [
    {
      method: 'post',
      path: '/calendar/dry-run',
      operationId: 'calendarDryRun',
      summary: "Which open complaints' running deadlines a business calendar would move (changes nothing)",
      tag: 'calendar',
      request: calendarDryRunRequest,
      bodyName: 'CalendarDryRunRequest',
      roles: routeAccess.calendarDryRun,
      access: `${fromPath}Each open complaint (Temporal visibility: eventually consistent) answers for its own clocks; one that does not answer is listed in notAnswered.`,
      ok: { status: 200, description: 'The deadlines that would move: complaint, clock, from, to', body: jsonSchemaOf(z.object({ calendar: z.object({ name: z.string(), years: z.array(z.int()) }), openComplaints: z.int(), complaintsMoved: z.int(), moves: z.array(z.object({ complaintId: z.string(), clock: z.string(), from: z.string(), to: z.string(), onFallback: z.boolean(), newOnFallback: z.boolean() })), notAnswered: z.array(z.object({ complaintId: z.string(), reason: z.string() })) }), 'output') },
      problems: [400, 413, 415, 422],
    },
    {
      method: 'post',
      path: '/calendar/apply',
      operationId: 'calendarApply',
      summary: 'Apply a business calendar to every open complaint (the applyCalendar command on each)',
      tag: 'calendar',
      request: calendarApplyRequest,
      bodyName: 'CalendarApplyRequest',
      roles: rolesAllowedTo('applyCalendar'),
      access: `${fromPath}Each complaint recomputes its running deadlines and names on its timeline which moved. With an Idempotency-Key, a retry is the same update on each complaint (applied once).`,
      ok: { status: 200, description: 'How many open complaints took the calendar, and which did not, with why', body: jsonSchemaOf(z.object({ calendar: z.object({ name: z.string(), years: z.array(z.int()) }), openComplaints: z.int(), applied: z.int(), awaitingSecondManager: z.int().describe('of those applied, how many wait for a second manager (four eyes: the calendar moves a customer deadline later); the same request by another manager approves them'), notApplied: z.array(z.object({ complaintId: z.string(), reason: z.string() })) }), 'output') },
      problems: [400, 413, 415, 422],
    },
  ];
}

/** Erasing a customer's personal data. */
export function customerRouteSpecs(): RouteSpec[] {
  return [
    {
      method: 'post',
      path: '/customers/:customerId/erasure',
      operationId: 'eraseCustomer',
      summary: "Erase a customer's personal data (destroys their data keys; their complaints still count in the reports)",
      tag: 'privacy',
      request: erasureRequest,
      bodyName: 'ErasureRequest',
      roles: routeAccess.eraseCustomer,
      access:
        'Every history payload, archived record and complaint text of the customer, and every backup of them, then holds only ciphertext nobody can open; ' +
        'reads of their complaints answer 410 personal-data-erased. Refused (409 customer-has-open-complaints) while a complaint of theirs is not closed and filed. ' +
        'Idempotent: again, it destroys nothing more and is recorded again.',
      ok: { status: 200, description: 'What was destroyed', body: jsonSchemaOf(erasureAnswer, 'output') },
      problems: [400, 404, 409, 413, 415],
    },
  ];
}

/** The report routes, one per entry of `reportRequests`. */
export function reportRouteSpecs(): RouteSpec[] {
  return Object.entries(reportRequests).map(([path, spec]) => ({
    method: 'get',
    path,
    operationId: spec.operationId,
    summary: spec.summary,
    tag: 'reports',
    request: spec.request,
    roles: path === '/knowledge-base' ? routeAccess.knowledgeBase : routeAccess.reports,
    ok: {
      status: 200,
      description: spec.html ? 'The report page' : 'The report (CSV with ?format=csv or Accept: text/csv)',
      contentTypes: spec.html ? ['text/html'] : spec.csv ? ['application/json', 'text/csv'] : ['application/json'],
    },
    problems: [400],
  }));
}

/** The service's own routes: health, readiness, metrics, this document and its docs page; no credentials needed. */
export function serviceRouteSpecs(): RouteSpec[] {
  const json = { type: 'object' };
  return [
    {
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      summary: 'Is the API up, and does Temporal answer? (503 when it does not)',
      tag: 'service',
      ok: { status: 200, description: 'Up, and Temporal answers', body: json },
      problems: [],
      other: { '503': { description: 'Up, but Temporal does not answer', body: json } },
    },
    {
      method: 'get',
      path: '/readyz',
      operationId: 'readiness',
      summary: 'Ready? Temporal, the business calendar\'s coverage ("degraded" from 60 days before its data ends), and the policy\'s version with how many chosen numbers it holds',
      tag: 'service',
      ok: { status: 200, description: 'Ready ("ok"), or serving with a warning ("degraded": the calendar is running out)', body: json },
      problems: [],
      other: { '503': { description: 'Temporal does not answer', body: json } },
    },
    {
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      summary: 'Prometheus metrics: HTTP requests, open complaints by stage and escalation level, process metrics',
      tag: 'service',
      ok: { status: 200, description: 'The Prometheus text exposition format', contentTypes: ['text/plain'] },
      problems: [],
    },
    {
      method: 'get',
      path: '/openapi.json',
      operationId: 'openApiDocument',
      summary: 'This document',
      tag: 'service',
      ok: { status: 200, description: 'The OpenAPI 3.1 document', body: json },
      problems: [],
    },
    {
      method: 'get',
      path: '/docs',
      operationId: 'apiDocs',
      summary: 'Interactive documentation (Swagger UI) of this document',
      tag: 'service',
      ok: { status: 200, description: 'The docs page', contentTypes: ['text/html'] },
      problems: [],
    },
  ];
}
