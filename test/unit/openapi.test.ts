/** /openapi.json and /docs: every route documented, the document 3.1, its schemas the ones the handlers validate with. */
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { commandRoutes } from '../../api/complaints/commands';
import { complaintSummary, quote, searchAttribute, visibilityQuery } from '../../api/complaints/listing';
import { customerRef, customerRefs } from '../../api/complaints/customer-ref';
import { complaintSearchAttributes } from '../../contract/search-attributes';
import { listComplaintsQuery } from '../../api/complaints/schemas';
import { commandSchemas, intakeSchema } from '../../domain/complaint';
import { rolesAllowedTo } from '../../domain/case';
import { intakeBody, shippedCalendar, shippedPolicy } from '../support/fixtures';
import { asService, testAuth } from '../support/http';

/** A client that fails the test if any path under test reaches Temporal. */
const untouchableClient = new Proxy({} as Client, {
  get(_target, property) {
    throw new Error(`the request reached Temporal (client.${String(property)})`);
  },
});

const app = createApp({ client: untouchableClient, policy: shippedPolicy, checkTemporal: async () => true, calendar: shippedCalendar, auth: testAuth });

type Schema = Record<string, unknown>;
let doc: {
  openapi: string;
  paths: Record<string, Record<string, any>>;
  security: unknown;
  components: { schemas: Record<string, Schema>; responses: Record<string, unknown>; securitySchemes: Record<string, any> };
};

beforeAll(async () => {
  const res = await request(app).get('/openapi.json').expect(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  doc = res.body;
});

/** The fixed routes, plus one POST per command from the routes table. */
const expressRoutes: Array<[method: string, path: string]> = [
  ['get', '/healthz'],
  ['get', '/readyz'],
  ['get', '/metrics'],
  ['get', '/openapi.json'],
  ['get', '/docs'],
  ['post', '/complaints'],
  ['get', '/complaints'],
  ['get', '/complaints/{id}'],
  ['get', '/complaints/{id}/timeline'],
  ...commandRoutes.map(([, path]): [string, string] => ['post', `/complaints/{id}/${path}`]),
];

/** Every route path registered on the app's routers (mount prefixes are not recoverable in express 5). */
function registeredRoutePaths(router: any): string[] {
  return (router?.stack ?? []).flatMap((layer: any) =>
    layer.route ? [String(layer.route.path)] : layer.handle?.stack ? registeredRoutePaths(layer.handle) : [],
  );
}

/**
 * A minimal JSON Schema 2020-12 check for what zod emits: type, properties/required,
 * additionalProperties, enum/const, string/number/array bounds, pattern, oneOf/anyOf/allOf, $ref.
 */
function conforms(value: unknown, schema: Schema, root: typeof doc): boolean {
  if (typeof schema.$ref === 'string') return conforms(value, root.components.schemas[schema.$ref.split('/').pop()!]!, root);
  if (Array.isArray(schema.oneOf) && schema.oneOf.filter((s) => conforms(value, s, root)).length !== 1) return false;
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s) => conforms(value, s, root))) return false;
  if (Array.isArray(schema.allOf) && !schema.allOf.every((s) => conforms(value, s, root))) return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false;
  if ('const' in schema && schema.const !== value) return false;
  const types = schema.type === undefined ? undefined : ([] as unknown[]).concat(schema.type);
  if (types && !types.some((t) => typeOk(value, t as string))) return false;
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) return false;
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) return false;
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) return false;
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) return false;
    if (typeof schema.maximum === 'number' && value > schema.maximum) return false;
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) return false;
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return false;
    if (schema.items && !value.every((v) => conforms(v, schema.items as Schema, root))) return false;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    if (Array.isArray(schema.required) && !schema.required.every((k) => k in record)) return false;
    for (const [key, v] of Object.entries(record)) {
      if (properties[key]) {
        if (!conforms(v, properties[key], root)) return false;
      } else if (schema.additionalProperties === false) return false;
      else if (typeof schema.additionalProperties === 'object' && !conforms(v, schema.additionalProperties as Schema, root)) return false;
    }
  }
  return true;
}

function typeOk(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'null':
      return value === null;
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return typeof value === type;
  }
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document with paths and components', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
    expect(doc.components.schemas).toHaveProperty('ComplaintIntake');
    expect(doc.components.schemas).toHaveProperty('Problem');
    for (const schema of Object.values(doc.components.schemas)) expect(schema).not.toHaveProperty('$schema');
  });

  it('resolves completely: every $ref names something the document holds', () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else walk(value);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(50);
    const unresolved = [...new Set(refs)].filter((ref) => {
      if (!ref.startsWith('#/')) return true;
      let at: any = doc;
      for (const part of ref.slice(2).split('/')) at = at?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      return at === undefined;
    });
    expect(unresolved).toEqual([]);
  });

  it('requires a body exactly where an empty one would be refused (a POST without a body is checked as {})', () => {
    const bodies = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody)
        .map(([method, op]) => ({ route: `${method} ${path}`, required: op.requestBody.required, emptyRefused: !conforms({}, op.requestBody.content['application/json'].schema, doc as never) })),
    );
    expect(bodies.length).toBeGreaterThan(20);
    for (const { route, required, emptyRefused } of bodies) expect({ route, required }).toEqual({ route, required: emptyRefused });
    expect(bodies.find((b) => b.route === 'post /calendar/dry-run')?.required).toBe(false);
    expect(bodies.find((b) => b.route === 'post /calendar/apply')?.required).toBe(true);
  });

  it('documents every route of the app: the fixed ones and one POST per command', () => {
    for (const [method, path] of expressRoutes) {
      expect({ method, path, documented: doc.paths[path]?.[method] !== undefined }).toEqual({ method, path, documented: true });
    }
  });

  it('has no route registered on the app that the document misses', () => {
    const documented = Object.keys(doc.paths);
    const registered = registeredRoutePaths((app as Express & { router: unknown }).router).map((p) => p.replace(/:(\w+)/g, '{$1}'));
    expect(registered.length).toBeGreaterThan(commandRoutes.length);
    // '/': a router's own root (POST /complaints); /docs/…: the docs page's static assets.
    for (const path of registered.filter((p) => p !== '/' && !p.startsWith('/docs/'))) {
      expect({ path, documented: documented.some((d) => d.endsWith(path)) }).toEqual({ path, documented: true });
    }
  });

  it('gives each command its own body schema, its headers, its roles and the problem answers', () => {
    for (const [name, path] of commandRoutes) {
      const op = doc.paths[`/complaints/{id}/${path}`]!.post;
      expect(op.operationId).toBe(name);
      const bodyRef = op.requestBody.content['application/json'].schema.$ref as string;
      expect(doc.components.schemas[bodyRef.split('/').pop()!]).toBeDefined();
      const headers = op.parameters.filter((p: { in: string }) => p.in === 'header').map((p: { name: string }) => p.name);
      expect(headers).toEqual(['Idempotency-Key', 'Prefer']);
      expect(op.parameters).toContainEqual(expect.objectContaining({ name: 'id', in: 'path', required: true }));
      expect(op['x-roles']).toEqual(rolesAllowedTo(name));
      expect(op.description).toContain(`Roles: ${rolesAllowedTo(name).join(', ')}.`);
      for (const status of ['401', '403', '422']) expect(op.responses[status]).toEqual({ $ref: `#/components/responses/Problem${status}` });
    }
  });

  it('documents both credentials, required everywhere but on the service routes', () => {
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
    expect(doc.components.securitySchemes.bearerJwt).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.security).toEqual([{ apiKey: [] }, { bearerJwt: [] }]);
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const open = ['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs'].includes(path);
        expect({ path, method, security: op.security, roles: op['x-roles'] !== undefined, has401: '401' in op.responses }).toEqual(
          open ? { path, method, security: [], roles: false, has401: false } : { path, method, security: undefined, roles: true, has401: true },
        );
      }
    }
  });

  it('documents the list filters as query parameters', () => {
    const names = doc.paths['/complaints']!.get.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['stage', 'category', 'severity', 'department', 'owner', 'escalationLevel', 'slaBreached', 'customerId', 'createdFrom', 'createdTo', 'limit', 'cursor']));
  });

  it("validates a sample intake as the handler's zod schema does", () => {
    const schema = doc.paths['/complaints']!.post.requestBody.content['application/json'].schema as Schema;
    const valid = intakeBody();
    const samples: unknown[] = [
      valid,
      { ...valid, category: 'weather' },
      { ...valid, customer: undefined },
      { ...valid, content: '' },
      { ...valid, acceptedBy: { id: 'agent-7' } },
      { ...valid, customer: { ...valid.customer, tier: 'gold' } },
    ].map((s) => JSON.parse(JSON.stringify(s)));
    expect(conforms(samples[0], schema, doc)).toBe(true);
    for (const sample of samples) expect(conforms(sample, schema, doc)).toBe(intakeSchema.safeParse(sample).success);
    expect(samples.filter((s) => !conforms(s, schema, doc))).toHaveLength(5);
  });

  it("validates command bodies as the handler's zod schemas do", () => {
    const schema = { $ref: '#/components/schemas/JudgeValidityCommand' };
    const bodies = [
      { upheld: true, reason: 'double charge', departments: ['billing'] },
      { upheld: false, reason: 'matches the plan' },
      { upheld: true, reason: 'no departments' },
      { upheld: 'yes', reason: 'x' },
    ];
    for (const body of bodies) expect(conforms(body, schema, doc)).toBe(commandSchemas.judgeValidity.safeParse(body).success);
  });
});

describe('GET /docs', () => {
  it('serves Swagger UI from this origin, no CDN, with a CSP that allows only its own scripts', async () => {
    const page = await request(app).get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).not.toMatch(/https?:\/\//);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const scripts = [...page.text.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    const styles = [...page.text.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const asset of [...scripts, ...styles]) await request(app).get(asset).expect(200);
    const init = await request(app).get('/docs/init.js').expect(200);
    expect(init.text).toContain('/openapi.json');
  });
});

describe('request ids, request logs and security headers', () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const logged = createApp({ client: untouchableClient, policy: shippedPolicy, checkTemporal: async () => true, calendar: shippedCalendar, logger, auth: testAuth });
  const lastLine = () => lines[lines.length - 1]!;

  beforeEach(() => {
    lines.length = 0;
  });

  it('echoes the X-Request-Id it was sent, in the header, the problem and the log line', async () => {
    const res = await request(logged).get('/nowhere').set(asService()).set('X-Request-Id', 'crm-req-42');
    expect(res.status).toBe(404);
    expect(res.headers['x-request-id']).toBe('crm-req-42');
    expect(res.body).toMatchObject({ type: 'route-not-found', instance: '/nowhere', requestId: 'crm-req-42' });
    expect(lastLine()).toMatchObject({ msg: 'request', method: 'GET', path: '/nowhere', status: 404, requestId: 'crm-req-42', ms: expect.any(Number) });
  });

  it('generates a UUID when none is sent or the one sent is unusable', async () => {
    for (const sent of [undefined, 'has spaces and "quotes"', 'x'.repeat(300)]) {
      const req = request(logged).get('/healthz');
      const res = await (sent ? req.set('X-Request-Id', sent) : req).expect(200);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(lines.map((l) => l.requestId)).size).toBe(3);
  });

  it('logs one line per request, with the workflow id on complaint routes', async () => {
    await request(logged).post('/complaints/C-1/notes').send({ text: 'hello' }).expect(401);
    expect(lines).toHaveLength(1);
    expect(lastLine()).toMatchObject({ method: 'POST', path: '/complaints/C-1/notes', status: 401, workflowId: 'complaint-C-1' });
    expect(lastLine()).not.toHaveProperty('principal');
    await request(logged).get('/nowhere').set(asService()).expect(404);
    expect(lastLine()).toMatchObject({ path: '/nowhere', status: 404, principal: 'crm', role: 'service' });
    await request(logged).get('/healthz').expect(200);
    expect(lastLine()).not.toHaveProperty('workflowId');
  });

  it('sets the security headers on every answer, and no X-Powered-By', async () => {
    for (const path of ['/healthz', '/nowhere', '/openapi.json', '/docs']) {
      const res = await request(logged).get(path);
      expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers).not.toHaveProperty('x-powered-by');
    }
    const json = await request(logged).get('/healthz');
    expect(json.headers['content-security-policy']).not.toMatch(/script-src/);
  });
});

describe('the listing query (GET /complaints)', () => {
  it('builds the visibility query from the search attribute names, quoting every string', () => {
    const query = listComplaintsQuery.parse({
      stage: 'investigating',
      department: 'billing',
      owner: 'agent-7',
      escalationLevel: '2',
      slaBreached: 'true',
      createdFrom: '2026-03-01T08:00:00+08:00',
    });
    expect(visibilityQuery(query, customerRefs())).toBe(
      "WorkflowType = 'complaint' AND ComplaintStage = 'investigating' AND ComplaintDepartments = 'billing' AND " +
        "ComplaintOwner = 'agent-7' AND EscalationLevel = 2 AND SlaBreached = true AND StartTime >= '2026-03-01T00:00:00.000Z'",
    );
    // A customer by the keyed reference the complaint was opened with, or (opened before references) by the id.
    const ref = customerRef('a-customer-reference-key-of-32-chars', 'CUST-9');
    expect(ref).toMatch(/^cr1_[0-9a-f]{32}$/);
    expect(visibilityQuery(listComplaintsQuery.parse({ customerId: 'CUST-9' }), customerRefs('a-customer-reference-key-of-32-chars'))).toBe(
      `WorkflowType = 'complaint' AND CustomerId IN ('${ref}', 'CUST-9')`,
    );
    expect(customerRef('another-customer-reference-key-32ch', 'CUST-9')).not.toBe(ref);
    expect(quote("it's \\ odd")).toBe("'it\\'s \\\\ odd'");
  });
});

describe('what the server enforces, stated in the document', () => {
  const schemas = () => doc.components.schemas as Record<string, any>;

  it('documents the idempotent replay of POST /complaints as a 200 with the current stage', () => {
    const responses = doc.paths['/complaints']!.post.responses;
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(['200', '201']));
    expect(responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ComplaintOpened' });
    expect(schemas().ComplaintOpened.properties.stage.enum).toContain('closed');
  });

  it('states the text rules: a non-space character, no NUL, no lone surrogate, lengths', () => {
    const content = schemas().ComplaintIntake.properties.content;
    expect(content).toMatchObject({ type: 'string', minLength: 1, maxLength: 5000 });
    const pattern = new RegExp(content.pattern as string, 'u');
    expect(['ok', ' padded ', '📶']).toEqual(['ok', ' padded ', '📶'].filter((t) => pattern.test(t)));
    expect(['', '   ', 'a\u0000b', 'a\ud800b'].filter((t) => pattern.test(t))).toEqual([]);
  });

  it('holds the handler to the stated maxLength on the text as sent, spaces included', () => {
    expect(schemas().AddNoteCommand.properties.text.maxLength).toBe(5000);
    const sent = (text: string) => commandSchemas.addNote.safeParse({ text }).success;
    expect([sent('x'.repeat(5000)), sent(` ${'x'.repeat(5000)}`), sent(`${'x'.repeat(4999)} `)]).toEqual([true, false, true]);
    expect(commandSchemas.addNote.parse({ text: '  kept, trimmed ' }).text).toBe('kept, trimmed');
  });

  it('states the e-mail limits, the instants, and the cross-field rules', () => {
    const intake = schemas().ComplaintIntake;
    const contact = intake.properties.customer.properties.contact;
    expect(contact.anyOf).toEqual([{ required: ['phone'] }, { required: ['email'] }]);
    const email = new RegExp(contact.properties.email.pattern as string);
    expect(email.test(`${'a'.repeat(64)}@example.com`)).toBe(true);
    expect(email.test(`${'a'.repeat(65)}@example.com`)).toBe(false);
    const receivedAt = intake.properties.receivedAt;
    expect(receivedAt.format).toBe('date-time');
    expect(receivedAt.description).toMatch(/RECEIVED_AT_MAX_AGE/);
    const patterns = (receivedAt.allOf as Array<{ pattern: string }>).map((p) => new RegExp(p.pattern));
    const fits = (v: string) => patterns.every((p) => p.test(v));
    expect([fits('2026-03-01T08:00:00+14:00'), fits('2026-03-01T08:00:00-16:00'), fits('0020-03-01T08:00:00Z')]).toEqual([true, false, false]);
    expect(schemas().JudgeValidityCommand.oneOf ?? schemas().JudgeValidityCommand.anyOf).toBeDefined();
    expect(JSON.stringify(schemas().JudgeValidityCommand)).toContain('"uniqueItems":true');
    expect(schemas().RequireConsultationCommand.properties.approvers.uniqueItems).toBe(true);
    expect(schemas().HandOverToDepartmentCommand.not.anyOf).toHaveLength(4);
    expect(schemas().ReclassifyCommand.anyOf).toHaveLength(3);
    expect(doc.paths['/complaints']!.get.description).toMatch(/createdTo must be after createdFrom/);
    expect(doc.paths['/complaints']!.get.description).toMatch(/query\.cursor/);
  });

  it('says that a department gets the unknown-id 404 for a complaint it never had', () => {
    expect(doc.paths['/complaints/{id}']!.get.description).toMatch(/404 complaint-not-found/);
    expect(doc.paths['/complaints/{id}/notes']!.post.description).toMatch(/404 complaint-not-found/);
    expect(Object.keys(doc.paths['/complaints/{id}/notes']!.post.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '404', '409', '422']));
  });
});

describe('a listed execution (GET /complaints items)', () => {
  /** A search attribute payload as the server sends it: JSON, typed in the metadata. */
  const payload = (value: unknown, type: string) => ({
    metadata: { encoding: Buffer.from('json/plain'), type: Buffer.from(type) },
    data: Buffer.from(JSON.stringify(value)),
  });

  it('reads the summary from the search attributes, unwrapping one-element lists and dropping mistyped values', () => {
    const summary = complaintSummary({
      execution: { workflowId: 'complaint-C-1' },
      startTime: { seconds: 1_780_000_000, nanos: 5_000_000 },
      status: 1,
      searchAttributes: {
        indexedFields: {
          ComplaintStage: payload(['investigating'], 'Keyword'),
          ComplaintOwner: payload('agent-7', 'Keyword'),
          EscalationLevel: payload(2, 'Int'),
          ComplaintCategory: payload(7, 'Keyword'),
        },
      },
    } as never);
    expect(summary).toMatchObject({ complaintId: 'C-1', stage: 'investigating', owner: 'agent-7', escalationLevel: 2, status: 'RUNNING' });
    expect(summary.category).toBeUndefined();
    expect(summary.startedAt).toBe(new Date(1_780_000_000_005).toISOString());
  });

  it('keeps a keyword list as a list', () => {
    const fields = { ComplaintDepartments: payload(['billing', 'network'], 'KeywordList') };
    expect(searchAttribute(fields, complaintSearchAttributes.departments)).toEqual(['billing', 'network']);
    expect(searchAttribute(fields, complaintSearchAttributes.stage)).toBeUndefined();
  });
});
