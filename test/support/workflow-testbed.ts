/**
 * One time-skipping server and one real worker per test file, with in-memory doubles for the
 * outside systems. Tests start complaints, send commands and read state through the real client.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createMemoryPorts, type MemoryPorts } from '../../activities/adapters/memory';
import type { CommandName, ComplaintIntakeInput, Stage } from '../../domain/complaint';
import type { ComplaintState } from '../../domain/complaint-case';
import { lifecycleEventNames } from '../../domain/lifecycle-events';
import type { HandlingPolicy } from '../../domain/policy';
import type { complaint } from '../../workflows';
import {
  commandUpdate,
  complaintStateQuery,
  complaintTimelineQuery,
  complaintWorkflowId,
  TASK_QUEUE,
  type CommandInput,
} from '../../workflows/definitions';
import { intake, newComplaintId, shippedCalendar, shippedPolicy } from './fixtures';
import { startTimeSkippingServer, useServerAndWorker } from './temporal';

export interface Testbed {
  readonly env: TestWorkflowEnvironment;
  readonly memory: MemoryPorts;
  start(options?: { intake?: Partial<ComplaintIntakeInput>; policy?: Partial<HandlingPolicy>; complaintId?: string }): Promise<ComplaintHandle>;
}

/** A started complaint, with typed helpers for its commands and reads. */
export class ComplaintHandle {
  constructor(
    readonly complaintId: string,
    readonly handle: WorkflowHandle<typeof complaint>,
    private readonly memory: MemoryPorts,
  ) {}

  send<C extends CommandName>(name: C, input: CommandInput<C>): Promise<ComplaintState> {
    return this.handle.executeUpdate(commandUpdate(name), { args: [input] });
  }

  state(): Promise<ComplaintState> {
    return this.handle.query(complaintStateQuery);
  }

  timeline() {
    return this.handle.query(complaintTimelineQuery);
  }

  /** Polls until the workflow reaches `stage` (activities run between a command and the next stage). */
  async reaches(stage: Stage, timeoutMs = 10_000): Promise<ComplaintState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.state();
      if (s.stage === stage) return s;
      if (Date.now() > deadline) throw new Error(`complaint ${this.complaintId} stayed in ${s.stage}, expected ${stage}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Polls until every effect the complaint owes so far is carried out (done or finally failed). */
  async settled(timeoutMs = 10_000): Promise<ComplaintState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.state();
      const timeline = await this.timeline();
      const unpublished = timeline.length > s.eventsOwedThrough && timeline.slice(s.eventsOwedThrough).some((e) => e.type in lifecycleEventNames);
      if (!unpublished && s.effects.every((e) => e.status !== 'owed')) return s;
      if (Date.now() > deadline) throw new Error(`complaint ${this.complaintId} still owes ${s.effects.filter((e) => e.status === 'owed').map((e) => e.key).join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The effects this complaint caused, by effect name. */
  effects(effect?: string): Array<Record<string, unknown>> {
    return this.memory.effects
      .filter((e) => (e.payload as { complaintId?: string }).complaintId === this.complaintId)
      .filter((e) => effect === undefined || e.effect === effect)
      .map((e) => e.payload as Record<string, unknown>);
  }
}

/** Registers beforeAll/afterAll for a file: server, worker, doubles. */
export function useWorkflowTestbed(): Testbed {
  const memory = createMemoryPorts();
  const env = useServerAndWorker(startTimeSkippingServer, memory);

  return {
    get env() {
      return env();
    },
    memory,
    async start(options = {}) {
      const complaintId = options.complaintId ?? newComplaintId();
      const handle = await env().client.workflow.start<typeof complaint>('complaint', {
        taskQueue: TASK_QUEUE,
        workflowId: complaintWorkflowId(complaintId),
        args: [{ complaintId, intake: intake(options.intake), policy: { ...shippedPolicy, ...options.policy }, calendar: shippedCalendar }],
      });
      return new ComplaintHandle(complaintId, handle, memory);
    },
  };
}
