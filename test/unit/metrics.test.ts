/**
 * Metrics without Temporal: the API's /metrics (HTTP requests by route pattern and status, open
 * complaints from visibility counts, cached), and the worker's effect counters, failure
 * interceptor and /metrics server.
 */
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import request from 'supertest';
import { Registry } from 'prom-client';
import { createActivities } from '../../activities';
import type { EffectRequest } from '../../activities/ports';
import { createMemoryPorts } from '../../activities/adapters/memory';
import { createApp } from '../../api/app';
import { countOpenComplaints, registerComplaintGauges, type OpenComplaintCounts } from '../../api/metrics/complaints';
import { stages } from '../../domain/complaint';
import type { ComplaintState } from '../../domain/case';
import { activityFailureInterceptor, createWorkerMetrics, serveMetrics } from '../../worker/metrics';
import { shippedCalendar, shippedPolicy } from '../support/fixtures';
import { asActor, testAuth } from '../support/http';

/** A client that fails the test if a request reaches Temporal. */
const untouchableClient = new Proxy({} as Client, {
  get(_target, property) {
    throw new Error(`the request reached Temporal (client.${String(property)})`);
  },
});

const counts: OpenComplaintCounts = {
  byStage: { 'awaiting-judgment': 2, investigating: 3 },
  byEscalationLevel: { '0': 4, '1': 1 },
  slaBreached: 1,
};

/** The sample value of `name{labels}` in an exposition, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the API: GET /metrics', () => {
  test('needs the metrics bearer token when one is configured, and tells nothing without it', async () => {
    const metricsToken = 'metrics-scrape-token-'.padEnd(40, 'm');
    const app = createApp({ client: untouchableClient, policy: shippedPolicy, calendar: shippedCalendar, auth: testAuth, countOpenComplaints: async () => counts, checkTemporal: async () => true, metricsToken });
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${metricsToken}x`, metricsToken]) {
      const req = request(app).get('/metrics');
      const res = await (authorization ? req.set('Authorization', authorization) : req);
      expect({ authorization, status: res.status, type: res.body.type }).toEqual({ authorization, status: 401, type: 'unauthenticated' });
      expect(res.text).not.toContain('complaints_open');
    }
    const res = await request(app).get('/metrics').set('Authorization', `Bearer ${metricsToken}`).expect(200);
    expect(sample(res.text, 'complaints_open{stage="investigating"}')).toBe(3);
  });

  test('counts and times requests by route pattern and status; unrouted answers are route "none"', async () => {
    const app = createApp({ client: untouchableClient, policy: shippedPolicy, calendar: shippedCalendar, auth: testAuth, countOpenComplaints: async () => counts, checkTemporal: async () => true });
    await request(app).get('/healthz').expect(200);
    await request(app).get('/complaints/C-1').expect(401);
    // Refused by the request schema inside the route: labelled with the pattern, not the path.
    await request(app).post('/complaints/C-1/validity-judgment').set(asActor({ id: 'agent-7', role: 'agent' })).send({ upheld: 'yes' }).expect(400);
    await request(app).post('/complaints/C-2/validity-judgment').set(asActor({ id: 'agent-7', role: 'agent' })).send({}).expect(400);
    const res = await request(app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;
    expect(sample(text, 'http_requests_total{method="GET",route="/healthz",status_code="200"}')).toBe(1);
    expect(sample(text, 'http_requests_total{method="GET",route="none",status_code="401"}')).toBe(1);
    expect(sample(text, 'http_requests_total{method="POST",route="/complaints/:id/validity-judgment",status_code="400"}')).toBe(2);
    expect(text).not.toContain('C-1');
    expect(sample(text, 'http_request_duration_seconds_count{method="POST",route="/complaints/:id/validity-judgment",status_code="400"}')).toBe(2);
    expect(sample(text, 'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/healthz",status_code="200"}')).toBe(1);
    expect(sample(text, 'complaints_open{stage="investigating"}')).toBe(3);
    expect(sample(text, 'complaints_open_by_escalation_level{level="1"}')).toBe(1);
    expect(sample(text, 'complaints_open_sla_breached')).toBe(1);
    expect(sample(text, 'complaints_visibility_up')).toBe(1);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });
});

describe('open complaints from visibility', () => {
  test('one count query per stage, per escalation level and for breached SLAs, each on running complaints', async () => {
    const queries: string[] = [];
    const client = { workflow: { count: async (q: string) => (queries.push(q), { count: queries.length, groups: [] }) } } as unknown as Client;
    const result = await countOpenComplaints(client, 3);
    expect(queries).toHaveLength(stages.length + 4 + 1);
    for (const q of queries) expect(q).toMatch(/^WorkflowType = 'complaint' AND ExecutionStatus = 'Running' AND /);
    expect(queries[0]).toBe(`WorkflowType = 'complaint' AND ExecutionStatus = 'Running' AND ComplaintStage = '${stages[0]}'`);
    expect(queries).toContain("WorkflowType = 'complaint' AND ExecutionStatus = 'Running' AND EscalationLevel = 3");
    expect(queries.at(-1)).toBe("WorkflowType = 'complaint' AND ExecutionStatus = 'Running' AND SlaBreached = true");
    expect(Object.keys(result.byStage)).toEqual([...stages]);
    expect(result.byEscalationLevel).toEqual({ '0': stages.length + 1, '1': stages.length + 2, '2': stages.length + 3, '3': stages.length + 4 });
    expect(result.slaBreached).toBe(stages.length + 5);
  });

  test('scrapes within the cache time share one round of counts; a failed round reports visibility down and keeps the last values', async () => {
    const registry = new Registry();
    let clock = 0;
    let rounds = 0;
    let fail = false;
    registerComplaintGauges(registry, {
      cacheMs: 15_000,
      now: () => clock,
      count: async () => {
        rounds += 1;
        if (fail) throw new Error('visibility unavailable');
        return { ...counts, slaBreached: rounds };
      },
    });
    await Promise.all([registry.metrics(), registry.metrics()]);
    clock = 14_999;
    let text = await registry.metrics();
    expect(rounds).toBe(1);
    expect(sample(text, 'complaints_open_sla_breached')).toBe(1);
    clock = 15_000;
    text = await registry.metrics();
    expect(rounds).toBe(2);
    expect(sample(text, 'complaints_open_sla_breached')).toBe(2);
    fail = true;
    clock = 30_000;
    text = await registry.metrics();
    expect(sample(text, 'complaints_visibility_up')).toBe(0);
    expect(sample(text, 'complaints_open_sla_breached')).toBe(2);
  });
});

describe('the worker: complaint effects', () => {
  const closedState = (outcome: string) =>
    ({
      stage: 'closed',
      outcome,
      promisedTimes: [{ status: 'kept' }, { status: 'kept' }, { status: 'missed' }],
    }) as unknown as ComplaintState;

  test('counts staff notices by kind and level, and closed complaints with their promises (not the open filing)', async () => {
    const metrics = createWorkerMetrics();
    const activities = createActivities(createMemoryPorts().ports, metrics.effects);
    const notice = { idempotencyKey: 'k', complaintId: 'C-1', recipient: 'supervisor-on-duty', message: 'm' };
    const staff = (key: string, kind: 'escalated' | 'sla-breached' | 'sla-warning', escalationLevel: number): EffectRequest => ({ key, kind: 'staff-notice', message: { ...notice, idempotencyKey: key, kind, escalationLevel } });
    const archive = (key: string, state: ComplaintState): EffectRequest => ({ key, kind: 'archive', message: { idempotencyKey: key, complaintId: 'C-1', state, timeline: [] } });
    const results = await activities.carryOutEffects({
      complaintId: 'C-1',
      effects: [
        staff('k1', 'escalated', 2),
        staff('k2', 'sla-breached', 1),
        staff('k3', 'sla-warning', 0),
        archive('a1', { stage: 'investigating', promisedTimes: [{ status: 'pending' }] } as unknown as ComplaintState),
        archive('a2', closedState('resolved')),
      ],
    });
    expect(results.map((r) => r.outcome)).toEqual(['done', 'done', 'done', 'done', 'done']);
    const text = await metrics.registry.metrics();
    expect(sample(text, 'complaint_staff_notices_total{kind="escalated",escalation_level="2"}')).toBe(1);
    expect(sample(text, 'complaint_staff_notices_total{kind="sla-breached",escalation_level="1"}')).toBe(1);
    expect(sample(text, 'complaint_staff_notices_total{kind="sla-warning",escalation_level="0"}')).toBe(1);
    expect(sample(text, 'complaint_closed_total{outcome="resolved"}')).toBe(1);
    expect(sample(text, 'complaint_promises_total{status="kept"}')).toBe(2);
    expect(sample(text, 'complaint_promises_total{status="missed"}')).toBe(1);
    expect(sample(text, 'complaint_promises_total{status="pending"}')).toBeUndefined();
  });

  test('a refused staff notice is not counted as delivered', async () => {
    const metrics = createWorkerMetrics();
    const memory = createMemoryPorts();
    memory.refuse('staff-notices', 'mailbox full');
    const activities = createActivities(memory.ports, metrics.effects);
    const [result] = await activities.carryOutEffects({
      complaintId: 'C-1',
      effects: [{ key: 'k', kind: 'staff-notice', message: { idempotencyKey: 'k', complaintId: 'C-1', recipient: 'r', message: 'm', kind: 'escalated', escalationLevel: 1 } }],
    });
    expect(result).toMatchObject({ key: 'k', outcome: 'refused', reason: expect.stringContaining('mailbox full') });
    expect(await metrics.registry.metrics()).not.toMatch(/^complaint_staff_notices_total\{/m);
  });

  test('the interceptor counts failed attempts by activity and retryability, not successes or cancellations', async () => {
    const metrics = createWorkerMetrics();
    const intercept = (activityType: string) => activityFailureInterceptor(metrics.effects)({ info: { activityType } } as never).inbound!.execute!;
    const input = { args: [], headers: {} };
    await expect(intercept('executePayment')(input, async () => 'ok')).resolves.toBe('ok');
    await expect(intercept('executePayment')(input, async () => { throw ApplicationFailure.nonRetryable('account closed', 'EffectRefused'); })).rejects.toThrow('account closed');
    await expect(intercept('notifyCustomer')(input, async () => { throw new Error('gateway 502'); })).rejects.toThrow('gateway 502');
    await expect(intercept('notifyCustomer')(input, async () => { throw new Error('gateway 502'); })).rejects.toThrow('gateway 502');
    await expect(intercept('notifyCustomer')(input, async () => { throw new CancelledFailure('cancelled'); })).rejects.toThrow('cancelled');
    const text = await metrics.registry.metrics();
    expect(sample(text, 'complaint_activity_failures_total{activity="executePayment",non_retryable="true"}')).toBe(1);
    expect(sample(text, 'complaint_activity_failures_total{activity="notifyCustomer",non_retryable="false"}')).toBe(2);
    expect(text.match(/^complaint_activity_failures_total\{/gm)).toHaveLength(2);
  });

  test('its /metrics server answers GET /metrics and nothing else', async () => {
    const metrics = createWorkerMetrics();
    metrics.effects.activityFailed('recordPenalty', false);
    const server = await serveMetrics(metrics.registry, { host: '127.0.0.1', port: 0, address: '127.0.0.1:0' });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const res = await fetch(`${base}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(sample(await res.text(), 'complaint_activity_failures_total{activity="recordPenalty",non_retryable="false"}')).toBe(1);
      expect((await fetch(`${base}/other`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(404);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
