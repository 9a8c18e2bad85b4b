/**
 * Every owed effect arrives, exactly once, however fast the commands come: 50 standard complaints
 * driven over HTTP with each command sent as soon as the previous one answered, against the real
 * dev server, worker and app, with the real HTTP adapter and webhook publisher delivering to a
 * receiver that counts raw deliveries and deliveries per key.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpPorts } from '../../activities/adapters/http';
import { createWebhookPublisher } from '../../activities/adapters/webhooks';
import { createApp } from '../../api/app';
import { lifecycleEventsOf } from '../../domain/lifecycle-events';
import type { ComplaintState, TimelineEvent } from '../../domain/case';
import { startEffectsReceiver, type EffectsReceiver } from '../../scripts/lib/effects-receiver';
import { driveStandardComplaint, waitFor, type StandardParty } from '../../scripts/lib/standard-complaint';
import { shippedCalendar, wallClockPolicy } from '../support/fixtures';
import { asActor, asService, testAuth } from '../support/http';
import { startDevServer, startWorkerWith, type RunningWorker } from '../support/temporal';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

const COMPLAINTS = 50;
const CONCURRENCY = 10;

let env: TestWorkflowEnvironment;
let receiver: EffectsReceiver;
let worker: RunningWorker;
let server: Server;
let baseUrl: string;

const owner = { id: 'agent-race', role: 'agent' } as const;
const parties: Record<StandardParty, Record<string, string>> = {
  service: asService(),
  owner: asActor(owner),
  billing: asActor({ id: 'billing-desk', role: 'department', department: 'billing' }),
  supervisor: asActor({ id: 'supervisor-liu', role: 'supervisor' }),
};

beforeAll(async () => {
  env = await startDevServer();
  receiver = await startEffectsReceiver();
  const ports = createHttpPorts({ baseUrl: receiver.url });
  const lifecycle = createWebhookPublisher([{ url: `${receiver.url}/webhooks`, secret: 'race-test-webhook-secret' }], { allowPrivateAddresses: true });
  worker = await startWorkerWith(env, { ...ports, lifecycle });
  // Regular customers are not drawn for a callback here, so every complaint closes without one.
  const app = createApp({ client: env.client, policy: { ...wallClockPolicy, callback: { sampleRate: 0 } }, calendar: shippedCalendar, auth: testAuth });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await worker?.stop();
  await receiver?.close();
  await env?.teardown();
}, 120_000);

test(`${COMPLAINTS} complaints driven back to back: every owed effect received, exactly once per key`, async () => {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < COMPLAINTS) {
        const n = next++;
        ids.push(await driveStandardComplaint({ baseUrl, headersFor: (p) => parties[p], tier: n % 2 ? 'vip' : 'regular', key: `race-${Date.now()}-${n}`, ownerId: owner.id, retryUnavailableMs: 60_000 }));
      }
    }),
  );
  const states = await Promise.all(ids.map((id) => waitFor({ baseUrl, headersFor: (p) => parties[p] }, id)));

  // No delivery at all was repeated: with no fault, each key is sent once, not merely deduped.
  expect(receiver.duplicates()).toEqual([]);
  for (const s of states) {
    expect(s.outcome).toBe('resolved');
    expect(s.effects.filter((e) => e.status !== 'done')).toEqual([]);
    const got = receiver.forComplaint(s.complaintId);
    // Every effect of the ledger, but the webhook batches, arrived under its own key...
    const ledgerKeys = s.effects.filter((e) => e.kind !== 'lifecycle-events').map((e) => e.key).sort();
    expect(got.filter((e) => e.path !== '/webhooks').map((e) => e.key).sort()).toEqual(ledgerKeys);
    // ...and what a standard complaint owes is all there, the dispatch and the notices included.
    expect(owedKinds(s)).toEqual(expectedKinds(s));
    // Every lifecycle event reached the subscriber once, by its event id.
    const timeline = await env.client.workflow.getHandle(`complaint-${s.complaintId}`).query<TimelineEvent[]>('complaintTimeline');
    const eventIds = lifecycleEventsOf(s.complaintId, timeline).map((e) => e.id).sort();
    expect(got.filter((e) => e.path === '/webhooks').map((e) => e.key).sort()).toEqual(eventIds);
    expect(eventIds.length).toBeGreaterThanOrEqual(9);
  }
}, 300_000);

function owedKinds(s: ComplaintState): string[] {
  return s.effects
    .filter((e) => e.kind !== 'lifecycle-events')
    .map((e) => (e.kind === 'customer-notice' ? `notice:${e.notice}` : e.kind === 'staff-notice' ? `staff:${e.notice}` : e.kind))
    .sort();
}

function expectedKinds(s: ComplaintState): string[] {
  const vip = s.intake.customer.tier === 'vip';
  return [
    'notice:acknowledgement',
    'archive',
    'department-dispatch',
    'notice:investigating',
    'notice:remedy-proposed',
    'payment',
    'penalty',
    'notice:remedy-done',
    ...(vip ? ['staff:callback-due'] : []),
    'notice:closed',
    'archive',
    // One record per stage entered before closure (reports see open complaints as they are).
    ...['investigating', 'proposing', 'awaiting-approval', 'awaiting-customer', 'implementing', ...(vip ? ['awaiting-callback'] : [])].map(() => 'archive'),
  ].sort();
}
