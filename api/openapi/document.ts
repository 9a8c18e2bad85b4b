/**
 * The OpenAPI 3.1 document, generated from the zod schemas the routes validate with (JSON Schema
 * draft 2020-12, which 3.1 uses as is) and from the same route tables: the command paths come from
 * `commandRoutes`, the report paths from `reportRequests`. A route added to a table is documented.
 */
import { z } from 'zod';
import { actorSchema, commandSchemas, intakeSchema, type CommandName } from '../../domain/complaint';
import { commandRoutes } from '../complaints/commands';
import { complaintListSchema, complaintOpenedSchema, complaintStateSchema, timelineSchema } from '../complaints/responses';
import { commandRequest, complaintRequest, listComplaintsRequest, openComplaintRequest } from '../complaints/schemas';
import { actorHeaders } from '../http/actor';
import { problemBodySchema, problemTypes } from '../http/problem';
import type { RequestSchema } from '../http/validate';
import { reportRequests } from '../reports/routes';

/** A JSON Schema (draft 2020-12) object. */
export type JsonSchema = { [key: string]: unknown };

/** The parts of the OpenAPI 3.1 document this module writes. */
export interface OpenApiDocument {
  openapi: '3.1.1';
  info: { title: string; version: string; description: string };
  paths: Record<string, Partial<Record<'get' | 'post', Operation>>>;
  components: { schemas: Record<string, JsonSchema>; responses: Record<string, unknown> };
}

interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
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
  actor?: boolean;
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

/** The actor headers, from the domain's `actorSchema`. */
function actorParameters(): Parameter[] {
  const properties = (jsonSchemaOf(actorSchema).properties ?? {}) as Record<string, JsonSchema>;
  return (Object.entries(actorHeaders) as Array<[keyof typeof actorHeaders, string]>).map(([field, name]) => ({
    name,
    in: 'header',
    required: field !== 'department',
    schema: properties[field] ?? { type: 'string' },
    description: field === 'department' ? 'required when the role is department' : `the acting person's ${field}`,
  }));
}

/** `CommandName` → the component name of its body: `judgeValidity` → `JudgeValidityCommand`. */
export const commandBodyName = (name: CommandName) => `${name.charAt(0).toUpperCase()}${name.slice(1)}Command`;

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
      ok: { status: 201, description: 'The complaint was opened (200: the same request was repeated)', body: 'ComplaintOpened' },
      problems: [400, 409, 413, 415, 422],
    },
    {
      method: 'get',
      path: '/complaints',
      operationId: 'listComplaints',
      summary: 'List complaints through Temporal visibility (eventually consistent), newest first',
      tag: 'complaints',
      request: listComplaintsRequest,
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
        actor: true,
        ok: { status: 200, description: 'The command was accepted; the new case file', body: 'ComplaintState' },
        problems: [400, 401, 403, 404, 409, 413, 415, 422, 504],
      }),
    ),
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
  return [...serviceRouteSpecs(), ...complaintRouteSpecs(), ...(options.reports ? reportRouteSpecs() : [])];
}

/** `/complaints/:id` → `/complaints/{id}`. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function operationOf(route: RouteSpec): Operation {
  const parameters = [
    ...parametersOf(route.request?.params, 'path'),
    ...parametersOf(route.request?.query, 'query'),
    ...(route.actor ? actorParameters() : []),
    ...parametersOf(route.request?.headers, 'header'),
  ];
  const responses: Record<string, unknown> = {};
  const { ok } = route;
  const schema = typeof ok.body === 'string' ? ref(ok.body) : ok.body;
  responses[String(ok.status)] = {
    description: ok.description,
    content: Object.fromEntries((ok.contentTypes ?? ['application/json']).map((type) => [type, schema ? { schema } : {}])),
  };
  for (const status of [...route.problems, 500, 503]) responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };
  for (const [status, { description, body }] of Object.entries(route.other ?? {})) {
    responses[status] = { description, content: { 'application/json': { schema: body } } };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
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
        'Errors are application/problem+json. Every answer carries X-Request-Id.',
    },
    paths,
    components: { schemas: componentSchemas(), responses: problemResponses() },
  };
}
