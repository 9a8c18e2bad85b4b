/**
 * What someone with access to Temporal but no key of the service reads: the raw history (as the
 * server, its database, a backup, the UI or `temporal workflow show` give it, with no codec),
 * every payload's bytes decoded as text, holds neither the customer's name, phone nor words, nor
 * an error message's text. A complaint started under key 1 finishes under key 2 after a
 * rotation, and a ring without key 1 refuses its old payloads naming the key.
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import request from 'supertest';
import { createMemoryPorts } from '../../activities/adapters/memory';
import { createApp } from '../../api/app';
import { complaintWorkflowId } from '../../contract/complaint';
import { dataConverterFor, ENCRYPTED_ENCODING, KEY_ID_METADATA, type PayloadKeyRing } from '../../config/payload-codec';
import { actors, commandBodies, intakeBody, shippedCalendar, wallClockPolicy } from '../support/fixtures';
import { asActor, asService, testAuth } from '../support/http';
import { useIntegrationTestbed } from '../support/integration-testbed';
import { startWorkerWith } from '../support/temporal';

const testbed = useIntegrationTestbed({ worker: false });

const customer = { id: 'cust-secret', name: 'Ouyang Mingyue', identityVerified: true, tier: 'vip' as const, contact: { phone: '+86 139 1111 2222', email: 'ouyang.mingyue@example.cn' } };
const words = 'Ouyang Mingyue says the Gold plan was charged twice on her Shanghai card.';
const plaintext = [customer.name, '1111 2222', customer.contact.email, 'Gold plan was charged twice', 'Mingyue'];

const key1 = new Uint8Array(randomBytes(32));
const key2 = new Uint8Array(randomBytes(32));
const ringV1: PayloadKeyRing = { activeKeyId: 'k1', keys: { k1: key1 } };
const ringV2: PayloadKeyRing = { activeKeyId: 'k2', keys: { k1: key1, k2: key2 } };

/** The history as the server stores it: every payload's metadata and data, and every string, as text. */
async function rawHistory(workflowId: string): Promise<{ text: string; payloads: temporal.api.common.v1.IPayload[] }> {
  const payloads: temporal.api.common.v1.IPayload[] = [];
  const parts: string[] = [];
  /** Search attributes are indexed for visibility, so not encrypted: read as text, not counted as payloads. */
  const walk = (v: unknown, indexed = false): void => {
    if (v instanceof Uint8Array) return void parts.push(Buffer.from(v).toString('utf8'), Buffer.from(v).toString('latin1'));
    if (typeof v === 'string') return void parts.push(v);
    if (Array.isArray(v)) return v.forEach((x) => walk(x, indexed));
    if (v && typeof v === 'object') {
      if ('data' in v && 'metadata' in v && !indexed) payloads.push(v as temporal.api.common.v1.IPayload);
      for (const [k, x] of Object.entries(v)) walk(x, indexed || k === 'searchAttributes');
    }
  };
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await testbed.env.connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId }, nextPageToken });
    walk(page.history);
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return { text: parts.join('\n'), payloads };
}

const keyIdOf = (p: temporal.api.common.v1.IPayload) => Buffer.from(p.metadata?.[KEY_ID_METADATA] ?? []).toString();
const encodingOf = (p: temporal.api.common.v1.IPayload) => Buffer.from(p.metadata?.encoding ?? []).toString();

it('a complaint started under key 1 finishes under key 2; its raw history holds no plaintext of the customer', async () => {
  const memory = createMemoryPorts();
  const v1 = await dataConverterFor(ringV1);
  const appV1 = createApp({ client: new Client({ connection: testbed.env.connection, dataConverter: v1 }), policy: wallClockPolicy, calendar: shippedCalendar, auth: testAuth });
  let worker = await startWorkerWith(testbed.env, memory.ports, { dataConverter: v1 });
  let id: string;
  try {
    const opened = await request(appV1).post('/complaints').set(asService()).send(intakeBody({ customer, content: words })).expect(201);
    id = opened.body.complaintId;
    await request(appV1).post(`/complaints/${id}/validity-judgment`).set(asActor(actors.owner)).send(commandBodies.judgeValidity).expect(200);
    // A refusal travels as a failure: its message is encoded too.
    await request(appV1).post(`/complaints/${id}/remedy-approval`).set(asActor(actors.supervisor)).send({ optionId: 'R9-9' }).expect(409);
  } finally {
    await worker.stop();
  }

  // Rotation: key 2 encrypts from now on, key 1 still decrypts.
  const v2 = await dataConverterFor(ringV2);
  const appV2 = createApp({ client: new Client({ connection: testbed.env.connection, dataConverter: v2 }), policy: wallClockPolicy, calendar: shippedCalendar, auth: testAuth });
  worker = await startWorkerWith(testbed.env, memory.ports, { dataConverter: v2 });
  try {
    await request(appV2).post(`/complaints/${id}/notes`).set(asActor(actors.owner)).send({ text: `Ouyang Mingyue asks for SMS to ${customer.contact.phone}` }).expect(200);
    await request(appV2).post(`/complaints/${id}/withdrawal`).set(asService()).send({ reason: 'Ouyang Mingyue was refunded by her bank' }).expect(200);
    const handle = new Client({ connection: testbed.env.connection, dataConverter: v2 }).workflow.getHandle(complaintWorkflowId(id));
    expect(await handle.result()).toMatchObject({ complaintId: id, outcome: 'withdrawn' });
    const state = await request(appV2).get(`/complaints/${id}`).set(asService()).expect(200);
    expect(state.body.intake.customer.name).toBe(customer.name);
  } finally {
    await worker.stop();
  }

  const { text, payloads } = await rawHistory(complaintWorkflowId(id));
  expect(payloads.length).toBeGreaterThan(10);
  for (const value of plaintext) expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
  const encrypted = payloads.filter((p) => encodingOf(p) === ENCRYPTED_ENCODING);
  expect(new Set(encrypted.map(keyIdOf))).toEqual(new Set(['k1', 'k2']));
  // Every other payload is encrypted: inputs, results, failures, memo, the UI's summaries and details.
  expect(payloads.filter((p) => (p.data?.length ?? 0) > 0 && encodingOf(p) !== ENCRYPTED_ENCODING).map(encodingOf)).toEqual([]);

  // A ring without key 1 cannot read what key 1 encrypted, and says which key it lacks.
  const withoutK1 = await dataConverterFor({ activeKeyId: 'k2', keys: { k2: key2 } });
  const codec = withoutK1.payloadCodecs![0]!;
  const old = encrypted.find((p) => keyIdOf(p) === 'k1')!;
  await expect(codec.decode([{ metadata: old.metadata!, data: old.data! }])).rejects.toThrow(/names key "k1", which is not in the payload key ring/);
}, 120_000);
