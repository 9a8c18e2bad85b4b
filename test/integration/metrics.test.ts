/**
 * Metrics end to end on a real dev server: the worker process (worker/main.ts, as deployed) serves
 * the SDK runtime's Prometheus exporter and its own /metrics, counting staff notices and failing
 * effects from real activities; the API's /metrics counts the open complaints through the dev
 * server's visibility; SIGTERM drains the worker and closes both endpoints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { actors, intakeBody } from '../support/fixtures';
import { asActor, asService } from '../support/http';
import { useIntegrationTestbed } from '../support/integration-testbed';
import { freePorts } from '../../scripts/temporal-binaries';

const root = resolve(__dirname, '..', '..');
/** No in-process worker: the worker process below is the only one on the task queue. */
const testbed = useIntegrationTestbed({ worker: false });

let effects: Server;
let worker: ChildProcess;
let workerLog = '';
let dataDir: string;
const ports = { sdk: 0, own: 0 };
/** POSTs the effects gateway received, by path; the first attempt of each customer notice fails (500). */
const received: string[] = [];

/** The sample value of `series` in a Prometheus exposition (the sum over lines starting with it). */
function total(text: string, series: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(series))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} never held; last: ${String(value).slice(0, 2000)}\nworker log:\n${workerLog.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  const failedOnce = new Set<string>();
  effects = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(req.url ?? '');
      const key = String(req.headers['idempotency-key']);
      if (req.url === '/customer-notices' && !failedOnce.has(key)) {
        failedOnce.add(key);
        res.writeHead(500).end('try again');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(req.url === '/payments' ? JSON.stringify({ reference: 'P-1' }) : '{}');
    });
  });
  await new Promise<void>((done) => effects.listen(0, '127.0.0.1', done));
  [ports.sdk, ports.own] = (await freePorts(2)) as [number, number];
  dataDir = mkdtempSync(join(tmpdir(), 'metrics-worker-'));
  // node with tsx as its loader, not the tsx CLI: one process, so SIGTERM reaches the worker itself.
  worker = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: testbed.env.address,
      TEMPORAL_NAMESPACE: 'default',
      DATA_DIR: dataDir,
      EFFECTS_BASE_URL: `http://127.0.0.1:${(effects.address() as AddressInfo).port}`,
      WORKER_SDK_METRICS_ADDRESS: `127.0.0.1:${ports.sdk}`,
      WORKER_METRICS_ADDRESS: `127.0.0.1:${ports.own}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout!.on('data', (chunk: Buffer) => (workerLog += chunk.toString()));
  worker.stderr!.on('data', (chunk: Buffer) => (workerLog += chunk.toString()));
  await eventually('the worker polls', async () => workerLog, (log) => /state: 'RUNNING'/.test(log), 60_000);
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await new Promise((done) => effects?.close(done));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A customer whose every personal value is unmistakable, to look for in logs and metrics. */
const personal = {
  name: 'Ouyang Personalname',
  phone: '+86 139 8765 4321',
  email: 'ouyang.personal@example.cn',
  content: 'Charged twice, says Ouyang, for the plan on Personal Street 88.',
};
const personalIntake = () =>
  intakeBody({ customer: { id: 'cust-personal', name: personal.name, identityVerified: true, tier: 'regular', contact: { phone: personal.phone, email: personal.email } }, content: personal.content });

test('worker, SDK and API metrics count what happened; SIGTERM closes the worker endpoints', async () => {
  // The API's request log at its most talkative, to look for personal data in it.
  const apiLog: string[] = [];
  const app = testbed.appWith({ logger: pino({ level: 'trace' }, { write: (line: string) => apiLog.push(line) }) });
  const opened = [];
  for (const key of ['metrics-1', 'metrics-2']) {
    const res = await request(app).post('/complaints').set(asService()).set('Idempotency-Key', key).send(personalIntake()).expect(201);
    opened.push(res.body.complaintId as string);
  }
  // A refused body that carries personal data: the refusal names the field, not what was in it.
  const refused = await request(app).post('/complaints').set(asService()).send({ ...personalIntake(), severity: personal.name }).expect(400);
  expect(JSON.stringify(refused.body)).not.toContain(personal.name);
  await request(app).post(`/complaints/${opened[0]}/escalations`).set(asActor(actors.supervisor)).send({ reason: 'the customer calls the regulator' }).expect(200);

  // The worker's own metrics: the escalation's staff notice, and each acknowledgement's failed first attempt (by effect kind).
  const own = await eventually(
    'the worker counts the escalation and the failed notices',
    () => scrape(ports.own),
    (text) =>
      total(text, 'complaint_staff_notices_total{kind="escalated",escalation_level="1"}') === 1 &&
      total(text, 'complaint_activity_failures_total{activity="customer-notice",non_retryable="false"}') >= 2,
  );
  expect(total(own, 'complaint_activity_failures_total{activity="staff-notice"')).toBe(0);
  expect(own).toMatch(/^process_resident_memory_bytes /m);
  expect(received.filter((path) => path === '/staff-notices')).toHaveLength(1);

  // The SDK runtime's exporter: workflow tasks ran, pollers poll.
  const sdk = await scrape(ports.sdk);
  expect(total(sdk, 'temporal_workflow_task_execution_latency_seconds_count')).toBeGreaterThan(0);
  expect(total(sdk, 'temporal_num_pollers')).toBeGreaterThan(0);
  // A gateway's 500 is an effect's outcome (the ledger retries it), not a failed activity.
  expect(total(sdk, 'temporal_activity_execution_latency_seconds_count')).toBeGreaterThan(0);
  // Every SDK metric the Grafana dashboard queries is one this exporter defines, under that name.
  const dashboard = readFileSync(join(root, 'docker', 'grafana', 'dashboards', 'complaints.json'), 'utf8');
  const sdkTypes = new Set([...sdk.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
  const queried = new Set(dashboard.match(/\btemporal_[a-z_]+/g));
  expect(queried.size).toBeGreaterThanOrEqual(5);
  for (const name of queried) expect({ name, defined: sdkTypes.has(name.replace(/_bucket$/, '')) }).toEqual({ name, defined: true });

  // The API: open complaints by stage and level through the dev server's visibility (a fresh app
  // each time: one app caches its counts for 15 s), and its own requests by route pattern.
  const api = await eventually(
    'visibility shows both complaints, one escalated',
    async () => (await request(testbed.appWith({})).get('/metrics').expect(200)).text,
    (text) => total(text, 'complaints_open{stage="awaiting-judgment"}') === 2 && total(text, 'complaints_open_by_escalation_level{level="1"}') === 1,
  );
  expect(total(api, 'complaints_open_by_escalation_level{level="0"}')).toBe(1);
  expect(total(api, 'complaints_open{stage="investigating"}')).toBe(0);
  expect(total(api, 'complaints_visibility_up')).toBe(1);
  const mine = (await request(app).get('/metrics').expect(200)).text;
  expect(total(mine, 'http_requests_total{method="POST",route="/complaints",status_code="201"}')).toBe(2);
  expect(total(mine, 'http_requests_total{method="POST",route="/complaints/:id/escalations",status_code="200"}')).toBe(1);

  // No log line and no metric names the customer, their phone, e-mail or words.
  const everything = [apiLog.join(''), workerLog, own, sdk, api, mine].join('\n');
  expect(apiLog.length).toBeGreaterThan(0);
  for (const value of [...Object.values(personal), 'Personalname', '8765 4321', 'Personal Street']) expect({ value, found: everything.includes(value) }).toEqual({ value, found: false });

  // SIGTERM: the worker drains, closes its metrics server and exits; the SDK's exporter goes with the process.
  const exited = new Promise<number | null>((done) => worker.once('exit', (code) => done(code)));
  worker.kill('SIGTERM');
  expect(await exited).toBe(0);
  await expect(fetch(`http://127.0.0.1:${ports.own}/metrics`)).rejects.toThrow();
  await expect(fetch(`http://127.0.0.1:${ports.sdk}/metrics`)).rejects.toThrow();
}, 120_000);
