/**
 * A contract fuzzer over the real app, dev server and worker: requests generated from
 * /openapi.json alone (test/support/json-schema-arbitrary.ts) are never refused as invalid (no
 * 400, 413, 415) and never answered 5xx; and requests the document does not call valid (arbitrary
 * paths, bodies and encodings) get a 4xx problem+json, never a 5xx. The answers are checked against
 * the document's answer schemas too.
 */
import type { Express } from 'express';
import fc from 'fast-check';
import request from 'supertest';
import { complaintListSchema, complaintOpenedSchema, complaintStateSchema } from '../../api/complaints/responses';
import type { Role } from '../../domain/complaint';
import { actors, intakeBody, newComplaintId } from '../support/fixtures';
import { asActor, asService } from '../support/http';
import { arbitraryOf, type JsonSchema } from '../support/json-schema-arbitrary';
import { useIntegrationTestbed } from '../support/integration-testbed';

const testbed = useIntegrationTestbed({ idPrefix: 'FUZZ' });
let app: Express;

interface Operation {
  'x-roles'?: Role[];
  parameters?: Array<{ name: string; in: string; required: boolean; schema: JsonSchema }>;
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, unknown>;
}
let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, JsonSchema> } };
let options: Parameters<typeof arbitraryOf>[1];

/** Who sends a command: the first of these the operation allows (the billing desk is responsible for every complaint here). */
const senders: Array<[Role, Record<string, string>]> = [
  ['supervisor', asActor(actors.supervisor)],
  ['manager', asActor(actors.manager)],
  ['agent', asActor(actors.owner)],
  ['department', asActor(actors.billing)],
  ['service', asService()],
];

/** The command operations: [path under /complaints/{id}/, operation]. */
const commandOperations = () =>
  Object.entries(doc.paths)
    .filter(([path, ops]) => /^\/complaints\/\{id\}\/(?!timeline$)/.test(path) && ops.post)
    .map(([path, ops]) => [path.replace('/complaints/{id}/', ''), ops.post!] as const);

/** A complaint the billing desk investigates (owner agent-7). */
async function investigating(): Promise<string> {
  const res = await request(app).post('/complaints').set(asService()).send(intakeBody({ content: `Fuzz (${newComplaintId('case')})` })).expect(201);
  const id = res.body.complaintId as string;
  await request(app)
    .post(`/complaints/${id}/validity-judgment`)
    .set(asActor(actors.owner))
    .send({ upheld: true, reason: 'billed twice', departments: ['billing'] })
    .expect(200);
  return id;
}

/** Every answer the fuzzer got, by operation and status: printed once, to see what was exercised. */
const seen = new Map<string, number>();
const count = (what: string, status: number) => seen.set(`${what} ${status}`, (seen.get(`${what} ${status}`) ?? 0) + 1);

beforeAll(async () => {
  app = testbed.app;
  doc = (await request(app).get('/openapi.json').expect(200)).body;
  options = { components: doc.components.schemas, maxStringLength: 40 };
});

afterAll(() => {
  console.log(`contract fuzz answers:\n${[...seen].sort().map(([k, n]) => `  ${k}: ${n}`).join('\n')}`);
});

/** Fails with the request and the answer when the answer is a 5xx or not problem+json for an error. */
function expectNoServerError(res: request.Response, what: string): void {
  if (res.status >= 500) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  if (res.status >= 400 && !/^application\/problem\+json/.test(res.headers['content-type'] ?? '')) {
    throw new Error(`${what}: ${res.status} is not problem+json`);
  }
}

/** Refused as invalid although the document calls the request valid. */
const refusedAsInvalid = new Set([400, 413, 415]);

describe('requests the document calls valid', () => {
  it('POST /complaints: every intake is opened (201), answered as documented', async () => {
    const intake = arbitraryOf(doc.paths['/complaints']!.post!.requestBody!.content['application/json'].schema, options);
    await fc.assert(
      fc.asyncProperty(intake, async (body) => {
        const res = await request(app).post('/complaints').set(asService()).send(body as object);
        count('openComplaint', res.status);
        if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)} for ${JSON.stringify(body)}`);
        expect(complaintOpenedSchema.safeParse(res.body).error).toBeUndefined();
      }),
      { numRuns: 40 },
    );
  });

  it('POST /complaints/{id}/<command>: no body the document allows is refused as invalid, none is a 5xx', async () => {
    const operations = commandOperations();
    expect(operations.length).toBeGreaterThanOrEqual(19);
    const complaints = new Map<string, string>();
    for (const [path] of operations) complaints.set(path, await investigating());
    for (const [path, op] of operations) {
      const [, headers] = senders.find(([role]) => op['x-roles']!.includes(role))!;
      const body = arbitraryOf(op.requestBody!.content['application/json'].schema, options);
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const res = await request(app).post(`/complaints/${complaints.get(path)}/${path}`).set(headers).send(b as object);
          count(path, res.status);
          expectNoServerError(res, `POST ${path} ${JSON.stringify(b)}`);
          if (refusedAsInvalid.has(res.status)) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)} for ${JSON.stringify(b)}`);
          // What is left: accepted, or refused by the complaint for its state (403, 409, 422), as documented.
          expect(Object.keys(op.responses)).toContain(String(res.status));
          if (res.status === 200) expect(complaintStateSchema.safeParse(res.body).error).toBeUndefined();
        }),
        { numRuns: 6 },
      );
    }
  });

  it('GET /complaints: every filter combination lists (200)', async () => {
    const params = doc.paths['/complaints']!.get!.parameters!.filter((p) => p.in === 'query' && p.name !== 'cursor');
    const query = fc
      .record(Object.fromEntries(params.map((p) => [p.name, arbitraryOf(p.schema, options)])), { requiredKeys: [] })
      .map((q) => {
        // The document: createdTo is after createdFrom when both are given.
        const { createdFrom: from, createdTo: to } = q as { createdFrom?: string; createdTo?: string };
        if (from && to && Date.parse(from) >= Date.parse(to)) return { ...q, createdFrom: to, createdTo: from };
        return q;
      })
      .filter((q) => !q.createdFrom || !q.createdTo || Date.parse(q.createdFrom as string) < Date.parse(q.createdTo as string));
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const res = await request(app).get('/complaints').query(q).set(asActor(actors.supervisor));
        count('listComplaints', res.status);
        if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)} for ${JSON.stringify(q)}`);
        expect(complaintListSchema.safeParse(res.body).error).toBeUndefined();
      }),
      { numRuns: 30 },
    );
  });

  it('GET /complaints/{id}: any id is 200 or 404', async () => {
    const idSchema = doc.paths['/complaints/{id}']!.get!.parameters!.find((p) => p.name === 'id')!.schema;
    await fc.assert(
      fc.asyncProperty(arbitraryOf(idSchema, options), async (id) => {
        const res = await request(app).get(`/complaints/${encodeURIComponent(id as string)}`).set(asService());
        count('readComplaint', res.status);
        expect([200, 404]).toContain(res.status);
      }),
      { numRuns: 20 },
    );
  });
});

describe('requests the document does not call valid', () => {
  let id: string;
  beforeAll(async () => {
    id = await investigating();
  });

  /** Path segments with percent-escapes of any byte, stray %, dots. */
  const segment = fc
    .array(fc.oneof(fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, '0')}`), fc.constantFrom('%', '%z', '%e0%a4', 'a', '.', '-')), { minLength: 1, maxLength: 6 })
    .map((parts) => parts.join(''));

  it('any path segment: a 4xx problem, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(segment, fc.boolean(), async (seg, post) => {
        const res = post
          ? await request(app).post(`/complaints/${seg}/notes`).set(asActor(actors.supervisor)).send({ text: 'x' })
          : await request(app).get(`/complaints/${seg}`).set(asService());
        count(post ? 'POST /complaints/<any>/notes' : 'GET /complaints/<any>', res.status);
        expectNoServerError(res, `${post ? 'POST' : 'GET'} ${seg}`);
      }),
      { numRuns: 40 },
    );
  });

  it('any JSON body to any command, under any Content-Encoding: a 4xx problem or an answer, never a 5xx', async () => {
    const paths = commandOperations().map(([path]) => path);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.jsonValue({ maxDepth: 3 }),
        fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'identity', 'x-made-up'),
        async (path, body, encoding) => {
          let req = request(app).post(`/complaints/${id}/${path}`).set(asActor(actors.supervisor)).set('Content-Type', 'application/json');
          if (encoding) req = req.set('Content-Encoding', encoding);
          const res = await req.send(JSON.stringify(body));
          count(`POST <command> any body${encoding ? ` (${encoding})` : ''}`, res.status);
          expectNoServerError(res, `POST ${path} ${encoding ?? ''} ${JSON.stringify(body)}`);
        },
      ),
      { numRuns: 60 },
    );
  });
});
