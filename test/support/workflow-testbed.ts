/**
 * One time-skipping server and one real worker per test, with in-memory doubles for the outside
 * systems (the workflow code is bundled once per file). Tests start complaints, send commands and
 * read state through the real client.
 *
 * Per test, so that every test starts from the same place: no complaint of an earlier test runs on
 * (its clocks would fire, escalate and notify during this test's time skips), and the server's
 * clock starts at 10:00 local on a Monday that opens two ordinary working weeks, so working-day
 * deadlines and escalation levels do not depend on earlier tests' skips nor on the day the suite
 * runs. A server and a worker cost about 0.3 s.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createMemoryPorts, type MemoryPorts } from '../../activities/adapters/memory';
import { isWorkingDay, type BusinessCalendar } from '../../domain/calendar';
import type { CommandName, ComplaintIntakeInput, Stage } from '../../domain/complaint';
import type { ComplaintState } from '../../domain/complaint-case';
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
import { startTimeSkippingServer, startWorker, workflowBundle, type RunningWorker } from './temporal';

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

  /** The effects this complaint caused, by effect name. */
  effects(effect?: string): Array<Record<string, unknown>> {
    return this.memory.effects
      .filter((e) => (e.payload as { complaintId?: string }).complaintId === this.complaintId)
      .filter((e) => effect === undefined || e.effect === effect)
      .map((e) => e.payload as Record<string, unknown>);
  }
}

const DAY_MS = 24 * 3600_000;

/**
 * 10:00 local time on the first Monday after `ms` that opens two ordinary weeks in `calendar`:
 * Monday to Friday working days, Saturday and Sunday not (no public holiday, no make-up day).
 */
export function ordinaryMondayAfter(calendar: BusinessCalendar, ms: number): Date {
  const offsetMs = calendar.utcOffsetMinutes * 60_000;
  const today = Math.floor((ms + offsetMs) / DAY_MS);
  const weekday = (day: number) => (day + 4) % 7; // 0 is Sunday; day 0, 1970-01-01, was a Thursday
  const noonOf = (day: number) => new Date(day * DAY_MS + 12 * 3600_000 - offsetMs);
  const ordinaryDay = (day: number) => isWorkingDay(calendar, noonOf(day)) === (weekday(day) >= 1 && weekday(day) <= 5);
  for (let day = today + 1; ; day++) {
    if (weekday(day) === 1 && Array.from({ length: 14 }, (_, i) => day + i).every(ordinaryDay)) {
      return new Date(day * DAY_MS + 10 * 3600_000 - offsetMs);
    }
  }
}

/** Registers, for a file, the bundle (beforeAll) and, for each test, its own server, worker and doubles (beforeEach/afterEach). */
export function useWorkflowTestbed(): Testbed {
  let current: { env: TestWorkflowEnvironment; memory: MemoryPorts; worker: RunningWorker } | undefined;
  const now = () => {
    if (!current) throw new Error('the workflow testbed is only there inside a test');
    return current;
  };

  beforeAll(() => workflowBundle(), 120_000);

  beforeEach(async () => {
    const env = await startTimeSkippingServer();
    const memory = createMemoryPorts();
    try {
      current = { env, memory, worker: await startWorker(env, memory) };
    } catch (err) {
      await env.teardown();
      throw err;
    }
    const at = await env.currentTimeMs();
    await env.sleep(ordinaryMondayAfter(shippedCalendar, at).getTime() - at);
  }, 120_000);

  afterEach(async () => {
    const done = current;
    current = undefined;
    await done?.worker.stop();
    await done?.env.teardown();
  }, 120_000);

  return {
    get env() {
      return now().env;
    },
    get memory() {
      return now().memory;
    },
    async start(options = {}) {
      const { env, memory } = now();
      const complaintId = options.complaintId ?? newComplaintId();
      const handle = await env.client.workflow.start<typeof complaint>('complaint', {
        taskQueue: TASK_QUEUE,
        workflowId: complaintWorkflowId(complaintId),
        args: [{ complaintId, intake: intake(options.intake), policy: { ...shippedPolicy, ...options.policy }, calendar: shippedCalendar }],
      });
      return new ComplaintHandle(complaintId, handle, memory);
    },
  };
}
