/**
 * The OpenAPI 3.1 document, generated from the zod schemas the routes validate with (JSON Schema
 * draft 2020-12, which 3.1 uses as is) and from the same route tables: the command paths come from
 * `commandRoutes`, the report paths from `reportRequests`. A route added to a table is documented.
 */
import { z } from 'zod';
import { commandSchemas, intakeSchema, outsideEventSchemas, type CommandName, type Role } from '../../domain/complaint';
import type { OutsideEventName } from '../../domain/outside-events';
import { rolesAllowedTo } from '../../domain/case';
import { outsideEventAccess, routeAccess } from '../auth/access';
import { credentialHeaders } from '../auth/credentials';
import { commandRoutes, outsideEventRoutes } from '../complaints/commands';
import {
  commandAcceptedSchema,
  commandStatusSchema,
  complaintListSchema,
  complaintOpenedSchema,
  complaintStateSchema,
  outsideEventAcceptedSchema,
  timelineSchema,
} from '../complaints/responses';
import { commandRequest, commandStatusRequest, complaintRequest, listComplaintsRequest, openComplaintRequest, outsideEventRequest } from '../complaints/schemas';
import { problemBodySchema, problemTypes } from '../http/problem';
import type { RequestSchema } from '../http/validate';
import { reportRequests } from '../reports/routes';
import { calendarApplyRequest, calendarDryRunRequest } from '../calendar/routes';

/** A JSON Schema (draft 2020-12) object. */
export type JsonSchema = { [key: string]: unknown };

/** The parts of the OpenAPI 3.1 document this module writes. */
export interface OpenApiDocument {
  openapi: '3.1.1';
  info: { title: string; version: string; description: string };
  paths: Record<string, Partial<Record<'get' | 'post', Operation>>>;
  /** By default every operation needs an API key or a bearer JWT; the open ones say `security: []`. */
  security: Array<Record<string, string[]>>;
  components: { schemas: Record<string, JsonSchema>; responses: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: Array<Record<string, string[]>>;
  /** The roles allowed to call the operation (function-level rule). */
  'x-roles'?: readonly Role[];
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
  description?: string;
}

/** One documented route, in express's path syntax (`/complaints/:id`). */
interface RouteSpec {
  method: 'get' | 'post';
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  request?: RequestSchema;
  /** The body's component name (the body schema goes to components.schemas). */
  bodyName?: string;
  /** The roles that may call it; absent: an open route, no credentials needed. */
  roles?: readonly Role[];
  /** More words on who may call it (object-level rules). */
  access?: string;
  /** The success status and its body (a component name, an inline schema, or a media type without schema). */
  ok: { status: number; description: string; body?: string | JsonSchema; contentTypes?: string[] };
  /** The problem statuses the route answers with besides 500/503. */
  problems: number[];
  /** Other answers that are not problems (e.g. /healthz's 503). */
  other?: Record<string, { description: string; body: JsonSchema }>;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A zod schema as JSON Schema 2020-12 (request side: defaults make fields optional). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `Idempotency-Key` for the lower-case `idempotency-key` Node hands us. */
const headerName = (key: string) => key.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase());

/** One parameter per property of an object schema. */
function parametersOf(schema: z.ZodType | undefined, where: Parameter['in']): Parameter[] {
  if (!schema) return [];
  const json = jsonSchemaOf(schema);
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries((json.properties ?? {}) as Record<string, JsonSchema>).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name: where === 'header' ? headerName(name) : name,
      in: where,
      required: where === 'path' || required.has(name),
      schema: rest,
      ...(typeof description === 'string' ? { description } : {}),
    };
  });
}

/** The two ways to authenticate; every route but the service routes takes either. */
const securitySchemes = {
  apiKey: {
    type: 'apiKey',
    in: 'header',
    name: credentialHeaders.apiKey,
    description: 'For backend services: a key configured in API_KEYS, standing for one principal (id, role, department).',
  },
  bearerJwt: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'For people: a JWT verified against AUTH_JWT_SECRET (HS256/384/512) or AUTH_JWKS_URL; claims sub (the person), ' +
      'role, department (for a department), exp; iss/aud when configured.',
  },
};

/** `CommandName` → the component name of its body: `judgeValidity` → `JudgeValidityCommand`. */
export const commandBodyName = (name: CommandName) => `${name.charAt(0).toUpperCase()}${name.slice(1)}Command`;

/** Who reads a complaint, as the reads say it. */
const departmentReadRule =
  'A department reads only complaints it is or was responsible for; for any other it gets 404 complaint-not-found, ' +
  'the answer for an id that does not exist, so that it learns nothing of the complaint, not even that it exists.';

/** The complaint routes, fixed and generated from the command table. */
function complaintRouteSpecs(): RouteSpec[] {
  const read = [400, 404];
  return [
    {
      method: 'post',
      path: '/complaints',
      operationId: 'openComplaint',
      summary: 'Open a complaint (starts its workflow); a retry with the same Idempotency-Key answers 200',
      tag: 'complaints',
      request: openComplaintRequest,
      bodyName: 'ComplaintIntake',
      roles: routeAccess.openComplaint,
      access:
        'An agent opens only complaints it accepts itself (acceptedBy.id is the agent). receivedAt, when given, lies within ' +
        'RECEIVED_AT_MAX_AGE_DAYS (default 30) before now and RECEIVED_AT_MAX_SKEW_SECONDS (default 300) after it; a receipt ' +
        'time ahead of the clock is taken as now. A complaint with severity urgent starts escalated. With an Idempotency-Key, ' +
        'a retry of the same body answers 200 with the stage the complaint is in now; the same key with another body is 422 ' +
        'idempotency-key-reused. Keys are per caller.',
      ok: { status: 201, description: 'The complaint was opened', body: 'ComplaintOpened' },
      problems: [400, 409, 413, 415, 422],
      other: {
        '200': {
          description: 'A replay: this caller already opened this complaint with this Idempotency-Key and this body; the stage is its current one',
          body: ref('ComplaintOpened'),
        },
      },
    },
    {
      method: 'get',
      path: '/complaints',
      operationId: 'listComplaints',
      summary: 'List complaints through Temporal visibility (eventually consistent), newest first',
      tag: 'complaints',
      request: listComplaintsRequest,
      roles: routeAccess.readComplaints,
      access:
        'A department lists only the complaints it is responsible for (a department filter naming another is 403). ' +
        'createdTo must be after createdFrom. cursor is the nextCursor of an earlier page with the same filters, signed by ' +
        'the API (HMAC with CURSOR_SECRET, or a key random per process) and good for an hour: any other (altered, made up, ' +
        'from other filters, expired, or issued by a process with another key) is 400 invalid-request naming query.cursor.',
      ok: { status: 200, description: 'One page of complaints', body: 'ComplaintList' },
      problems: [400],
    },
    {
      method: 'get',
      path: '/complaints/:id',
      operationId: 'readComplaint',
      summary: 'The case file (a workflow query)',
      tag: 'complaints',
      request: complaintRequest,
      roles: routeAccess.readComplaints,
      access: departmentReadRule,
      ok: { status: 200, description: 'The case file', body: 'ComplaintState' },
      problems: read,
    },
    {
      method: 'get',
      path: '/complaints/:id/timeline',
      operationId: 'readComplaintTimeline',
      summary: "The complaint's events, oldest first",
      tag: 'complaints',
      request: complaintRequest,
      roles: routeAccess.readComplaints,
      access: departmentReadRule,
      ok: { status: 200, description: 'The timeline', body: 'Timeline' },
      problems: read,
    },
    ...commandRoutes.map(
      ([name, path]): RouteSpec => ({
        method: 'post',
        path: `/complaints/:id/${path}`,
        operationId: name,
        summary: `Send the ${name} command (workflow update ${name})`,
        tag: 'commands',
        request: commandRequest(name),
        bodyName: commandBodyName(name),
        roles: rolesAllowedTo(name),
        access:
          'The actor is the authenticated principal. The complaint decides the object-level rules: a department acts only ' +
          'on complaints it is responsible for, an agent only on complaints it owns (supervisors on any), approvals within ' +
          "the approver's amount limit, and no one approves a remedy they proposed. A department that never had the complaint " +
          'gets 404 complaint-not-found, the answer for an id that does not exist (it may still give a consultation opinion it ' +
          'was named for). 409: command-in-wrong-stage, complaint-closed, or case-file-full (a note once the case file ' +
          'holds 1 MiB; a contact, reassignment, escalation, reclassification, policy or calendar at 1.25 MiB; the ' +
          'commands that move the complaint on are always taken). With an Idempotency-Key, a retry of the same ' +
          'command by the same caller answers the first result. With Prefer: respond-async the command is sent as the ' +
          'submitCommand signal: 202 at once (worker or not) with a Location for its status; the complaint judges it by the ' +
          'same rules when it runs. The same key, sent with or without waiting, is applied once.',
        ok: { status: 200, description: 'The command was accepted; the new case file', body: 'ComplaintState' },
        problems: [400, 404, 409, 413, 415, 422, 504],
        other: { '202': { description: 'Prefer: respond-async: sent; its status is at Location (pending, then applied or refused)', body: ref('CommandAccepted') } },
      }),
    ),
    {
      method: 'get',
      path: '/complaints/:id/commands/:commandId',
      operationId: 'readCommandStatus',
      summary: 'Where a command stands: pending, applied, or refused (with the problem the synchronous route gives)',
      tag: 'commands',
      request: commandStatusRequest,
      roles: routeAccess.readComplaints,
      access: `${departmentReadRule} Pending is also answered from the server's history while the worker is away (X-Complaint-Source: last-known).`,
      ok: { status: 200, description: 'The command\'s status', body: 'CommandStatus' },
      problems: read,
    },
    ...outsideEventRoutes.map(
      ([name, path]): RouteSpec => ({
        method: 'post',
        path: `/complaints/:id/events/${path}`,
        operationId: name,
        summary: `Report the ${name} event (workflow signal ${name})`,
        tag: 'events',
        request: outsideEventRequest(name),
        bodyName: `${name[0]!.toUpperCase()}${name.slice(1)}Event`,
        roles: outsideEventAccess[name],
        access:
          'The server records the event at once, worker or not (202); the complaint hears it when it runs and the ' +
          'timeline shows what it did (an event that does not fit the case is recorded and changes nothing). The same ' +
          'eventId is heard once. A department acknowledges only its own dispatches. 409: complaint-closed.',
        ok: { status: 202, description: 'Recorded; the complaint hears it when it runs', body: 'OutsideEventAccepted' },
        problems: [400, 403, 404, 409, 413, 415],
      }),
    ),
  ];
}

function calendarRouteSpecs(): RouteSpec[] {
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
      ok: { status: 200, description: 'How many open complaints took the calendar, and which did not, with why', body: jsonSchemaOf(z.object({ calendar: z.object({ name: z.string(), years: z.array(z.int()) }), openComplaints: z.int(), applied: z.int(), notApplied: z.array(z.object({ complaintId: z.string(), reason: z.string() })) }), 'output') },
      problems: [400, 413, 415, 422],
    },
  ];
}

function reportRouteSpecs(): RouteSpec[] {
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

function serviceRouteSpecs(): RouteSpec[] {
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
      summary: 'Ready? Temporal, and the business calendar\'s coverage ("degraded" from 60 days before its data ends)',
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

/** Every documented route; `reports` when the app serves the report routes (it has an archive). */
export function documentedRoutes(options: { reports: boolean }): RouteSpec[] {
  return [...serviceRouteSpecs(), ...complaintRouteSpecs(), ...calendarRouteSpecs(), ...(options.reports ? reportRouteSpecs() : [])];
}

/** `/complaints/:id` → `/complaints/{id}`. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function operationOf(route: RouteSpec): Operation {
  const parameters = [
    ...parametersOf(route.request?.params, 'path'),
    ...parametersOf(route.request?.query, 'query'),
    ...parametersOf(route.request?.headers, 'header'),
  ];
  const responses: Record<string, unknown> = {};
  const { ok } = route;
  const schema = typeof ok.body === 'string' ? ref(ok.body) : ok.body;
  responses[String(ok.status)] = {
    description: ok.description,
    content: Object.fromEntries((ok.contentTypes ?? ['application/json']).map((type) => [type, schema ? { schema } : {}])),
  };
  const secured = route.roles !== undefined;
  for (const status of [...route.problems, ...(secured ? [401, 403] : []), 500, 503].sort((a, b) => a - b)) responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };
  for (const [status, { description, body }] of Object.entries(route.other ?? {})) {
    responses[status] = { description, content: { 'application/json': { schema: body } } };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.roles ? { description: [`Roles: ${route.roles.join(', ')}.`, route.access].filter(Boolean).join(' ') } : {}),
    tags: [route.tag],
    ...(secured ? { 'x-roles': route.roles } : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.bodyName ? { requestBody: { required: true, content: { 'application/json': { schema: ref(route.bodyName) } } } } : {}),
    responses,
  };
}

/** The problem answers, one per status, each listing the problem types it may carry. */
function problemResponses(): Record<string, unknown> {
  const byStatus = new Map<number, string[]>();
  for (const [type, { status }] of Object.entries(problemTypes)) byStatus.set(status, [...(byStatus.get(status) ?? []), type]);
  return Object.fromEntries(
    [...byStatus].map(([status, types]) => [
      `Problem${status}`,
      { description: `Problem: ${types.join(', ')}`, content: { 'application/problem+json': { schema: ref('Problem') } } },
    ]),
  );
}

/** The named schemas: the intake, every command body, the answers and the problem. */
function componentSchemas(): Record<string, JsonSchema> {
  return {
    ComplaintIntake: jsonSchemaOf(intakeSchema),
    ...Object.fromEntries(
      (Object.keys(commandSchemas) as CommandName[]).map((name) => [commandBodyName(name), jsonSchemaOf(commandSchemas[name])]),
    ),
    ComplaintOpened: jsonSchemaOf(complaintOpenedSchema, 'output'),
    ComplaintState: jsonSchemaOf(complaintStateSchema, 'output'),
    Timeline: jsonSchemaOf(timelineSchema, 'output'),
    ComplaintList: jsonSchemaOf(complaintListSchema, 'output'),
    CommandAccepted: jsonSchemaOf(commandAcceptedSchema, 'output'),
    CommandStatus: jsonSchemaOf(commandStatusSchema, 'output'),
    OutsideEventAccepted: jsonSchemaOf(outsideEventAcceptedSchema, 'output'),
    ...Object.fromEntries(
      (Object.keys(outsideEventSchemas) as OutsideEventName[]).map((name) => [`${name[0]!.toUpperCase()}${name.slice(1)}Event`, jsonSchemaOf(outsideEventSchemas[name])]),
    ),
    CalendarDryRunRequest: jsonSchemaOf(calendarDryRunRequest.body),
    CalendarApplyRequest: jsonSchemaOf(calendarApplyRequest.body),
    Problem: jsonSchemaOf(problemBodySchema, 'output'),
  };
}

/** Builds the document (pure: call once and keep it). */
export function buildOpenApiDocument(options: { reports: boolean; version?: string }): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of documentedRoutes(options)) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operationOf(route) };
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'Complaint orchestration API',
      version: options.version ?? '0.1.0',
      description:
        'Every complaint is a Temporal workflow; commands are workflow updates whose validators decide. ' +
        'Errors are application/problem+json. Every answer carries X-Request-Id. Authenticate with X-API-Key (services) ' +
        'or a bearer JWT (people); each operation lists the roles that may call it (x-roles). What the server enforces ' +
        'beyond the schemas: text is trimmed, must keep a non-space character, may hold no NUL and no lone surrogate, and ' +
        'its length counts Unicode code points; instants carry an offset within ±14:00 and lie in 2000–2099; a path with ' +
        'malformed percent-encoding, or a body that does not decode with its Content-Encoding, is 400 invalid-request; ' +
        'a body that is not JSON is 415, larger than 100 kB 413, unparsable 400 malformed-json; a bad field is 400 ' +
        'validation-failed naming it in errors[].field.',
    },
    paths,
    security: [{ apiKey: [] }, { bearerJwt: [] }],
    components: { schemas: componentSchemas(), responses: problemResponses(), securitySchemes },
  };
}
