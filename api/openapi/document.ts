/**
 * The OpenAPI 3.1 document, generated from the zod schemas the routes validate with (JSON Schema
 * draft 2020-12, which 3.1 uses as is) and from the same route tables: the command paths come from
 * `commandRoutes`, the report paths from `reportRequests`. A route added to a table is documented.
 */
import type { z } from 'zod';
import type { Role } from '../../domain/complaint';
import { calendarRouteSpecs, customerRouteSpecs, reportRouteSpecs, serviceRouteSpecs } from './other-paths';
import { complaintRouteSpecs } from './complaint-paths';
import { componentSchemas, problemResponses, securitySchemes } from './components';
import { jsonSchemaOf, ref, type JsonSchema, type RouteSpec } from './spec';

export { commandBodyName, jsonSchemaOf, type JsonSchema } from './spec';

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

/**
 * Every documented route; `reports` when the app serves the report routes (it has an archive),
 * `erasure` when it erases customers (its archive keeps the customers' keys).
 */
export function documentedRoutes(options: { reports: boolean; erasure?: boolean }): RouteSpec[] {
  return [...serviceRouteSpecs(), ...complaintRouteSpecs(), ...calendarRouteSpecs(), ...(options.reports ? reportRouteSpecs() : []), ...(options.erasure ? customerRouteSpecs() : [])];
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
  for (const status of [...route.problems, ...(secured ? [401, 403, 429] : []), 500, 503].sort((a, b) => a - b)) responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };
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
    // A POST sent without a body is checked as `{}` (api/http/validate.ts): a body that `{}` satisfies
    // is optional, and the document says so; every other body is required.
    ...(route.bodyName ? { requestBody: { required: route.request?.body?.safeParse({}).success !== true, content: { 'application/json': { schema: ref(route.bodyName) } } } } : {}),
    responses,
  };
}

/** Builds the document (pure: call once and keep it). */
export function buildOpenApiDocument(options: { reports: boolean; erasure?: boolean; version?: string }): OpenApiDocument {
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
