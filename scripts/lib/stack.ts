/**
 * The whole service on spare ports, for scripts (measure, chaos, bench): a Temporal dev server, an
 * effects receiver standing in for the outside systems, a worker over the real HTTP adapter and
 * webhook publisher, and the API with one API key per party of the standard complaint.
 */
import { dataConverterFor } from '../../config/payload-codec';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createTemporalCommandPort } from '../../activities/adapters/temporal-commands';
import { createHttpPorts } from '../../activities/adapters/http';
import { createWebhookPublisher } from '../../activities/adapters/webhooks';
import { createApp } from '../../api/app';
import { createAuthenticator } from '../../api/auth/credentials';
import type { HandlingPolicy } from '../../domain/policy';
import { loadCalendar, loadPolicy, loadSettings } from '../../config/settings';
import { TASK_QUEUE } from '../../contract/complaint';
import { complaintSearchAttributes } from '../../contract/search-attributes';
import { spareDevServerPorts, temporalCli } from '../temporal-binaries';
import { startEffectsReceiver, type EffectsReceiver } from './effects-receiver';
import type { StandardParty } from './standard-complaint';
import { contactAtAnyHour } from './wall-clock-policy';

export const WEBHOOK_SECRET = 'stack-webhook-secret-0123456789';
export const OWNER_ID = 'agent-zhang';

const keys: Record<StandardParty, { key: string; id: string; role: 'service' | 'agent' | 'department' | 'supervisor'; department?: 'billing' }> = {
  service: { key: 'stack-key-service-crm-0123456789', id: 'crm', role: 'service' },
  owner: { key: 'stack-key-agent-zhang-0123456789', id: OWNER_ID, role: 'agent' },
  billing: { key: 'stack-key-dept-billing-012345678', id: 'billing-desk', role: 'department', department: 'billing' },
  supervisor: { key: 'stack-key-supervisor-liu-0123456', id: 'supervisor-liu', role: 'supervisor' },
};

/** The authenticator of the stack's API: one API key per party of the standard complaint. */
export function stackAuth() {
  return createAuthenticator({ apiKeys: Object.values(keys).map(({ key, id, role, department }) => ({ key, id, role, department })) });
}

/** The request headers of a party of the standard complaint, for the stack's API. */
export function stackHeaders(party: StandardParty): Record<string, string> {
  return { 'X-API-Key': keys[party].key };
}

export interface Stack {
  env: TestWorkflowEnvironment;
  receiver: EffectsReceiver;
  baseUrl: string;
  headersFor: (party: StandardParty) => Record<string, string>;
  policy: HandlingPolicy;
  stop(): Promise<void>;
}

export async function startStack(options: { policy?: (p: HandlingPolicy) => HandlingPolicy; maxCachedWorkflows?: number } = {}): Promise<Stack> {
  const settings = loadSettings();
  // Contact at any hour: the same run whatever the hour in Shanghai (see wall-clock-policy).
  const shipped = contactAtAnyHour(loadPolicy(settings.policyPath));
  const policy = options.policy ? options.policy(shipped) : shipped;
  const calendar = loadCalendar(settings.calendarPath);
  const { port, extraArgs } = await spareDevServerPorts();
  const dataConverter = await dataConverterFor(settings.payloadKeyRing);
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: temporalCli(), port, searchAttributes: Object.values(complaintSearchAttributes), extraArgs: ['--log-level', 'error', ...extraArgs] },
    client: { dataConverter },
  });
  const receiver = await startEffectsReceiver();
  const ports = createHttpPorts({ baseUrl: receiver.url });
  const lifecycle = createWebhookPublisher([{ url: `${receiver.url}/webhooks`, secret: WEBHOOK_SECRET }], { allowPrivateAddresses: true });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowsPath: require.resolve('../../workflows'),
    dataConverter,
    activities: createActivities({ ...ports, lifecycle, commands: createTemporalCommandPort(env.client) }),
    ...(options.maxCachedWorkflows ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
  });
  const running = worker.run();
  const app = createApp({ client: env.client, policy, calendar, auth: stackAuth() });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    env,
    receiver,
    policy,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    headersFor: stackHeaders,
    async stop() {
      await new Promise((r) => server.close(r));
      worker.shutdown();
      await running;
      await receiver.close();
      await env.teardown();
    },
  };
}
