/**
 * One time-skipping server and one real worker per test file, with in-memory doubles for the
 * outside systems. Tests start complaints, send commands and read state through the real client.
 *
 * Every test starts from the same place: no complaint of an earlier test runs on (its clocks would
 * fire, escalate and notify during this test's time skips), and the server's clock stands at 10:00
 * local on a Monday that opens two ordinary working weeks, so working-day deadlines and escalation
 * levels do not depend on earlier tests' skips nor on the day the suite runs.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createMemoryPorts, type MemoryPorts } from '../../activities/adapters/memory';
import { isWorkingDay, type BusinessCalendar } from '../../domain/calendar';
import type { CommandName, ComplaintIntakeInput, Stage } from '../../domain/complaint';
import type { ComplaintState } from '../../domain/case';
import { lifecycleEventNames } from '../../domain/lifecycle-events';
import type { HandlingPolicy } from '../../domain/policy';
import type { complaint } from '../../workflows';
import {
  commandStatusQuery,
  commandUpdate,
  complaintStateQuery,
  outsideEventSignals,
  submitCommandSignal,
  complaintTimelineQuery,
  complaintWorkflowId,
  TASK_QUEUE,
  type CommandInput,
  type CommandStatus,
} from '../../contract/complaint';
import type { OutsideEventName, OutsideEvents } from '../../domain/outside-events';
import { intake, newComplaintId, shippedCalendar, shippedPolicy } from './fixtures';
import { startTimeSkippingServer, useServerAndWorker } from './temporal';

export interface Testbed {
  readonly env: TestWorkflowEnvironment;
  readonly memory: MemoryPorts;
  start(options?: { intake?: Partial<ComplaintIntakeInput>; policy?: Partial<HandlingPolicy>; complaintId?: string; continueAsNewAfterEvents?: number }): Promise<ComplaintHandle>;
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

  /** Sends a command without waiting (the submitCommand signal), as `Prefer: respond-async` does. */
  async submit<C extends CommandName>(name: C, input: CommandInput<C>, commandId: string): Promise<void> {
    await this.handle.signal(submitCommandSignal, { commandId, command: name, input: input as never });
  }

  /** Polls until the complaint has judged the command `commandId` (applied or refused). */
  async decided(commandId: string, timeoutMs = 10_000): Promise<CommandStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Bounded: a query that meets the complaint mid continue-as-new can wait long on the test server.
      const status = await this.handle.client.withDeadline(Date.now() + 2_000, () => this.handle.query(commandStatusQuery, commandId)).catch(() => undefined);
      if (status && status.status !== 'pending') return status;
      if (Date.now() > deadline) throw new Error(`command ${commandId} is still ${status?.status ?? 'unheard of'}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Reports an event from outside (its signal). */
  async hear<E extends OutsideEventName>(name: E, event: OutsideEvents[E]): Promise<void> {
    await this.handle.signal(outsideEventSignals[name] as never, event);
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

  /** The archive records the case owed, in ledger order: 'intake', each stage it entered, 'closure'. */
  async archivesOwed(): Promise<string[]> {
    return (await this.state()).effects.flatMap((e) => (e.kind === 'archive' ? [e.record === 'stage-change' ? e.stage! : e.record] : []));
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

/** How long a leftover complaint gets to close after its withdrawal. */
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * Registers, for a file, one server, worker and doubles (beforeAll/afterAll), and for each test a
 * fresh start (beforeEach/afterEach): the complaints it left open are withdrawn (closed the way a
 * customer closes them, so their clocks stop), and the next one starts on an ordinary Monday.
 */
export function useWorkflowTestbed(): Testbed {
  const memory = createMemoryPorts();
  const env = useServerAndWorker(startTimeSkippingServer, memory);
  const started: ComplaintHandle[] = [];

  beforeEach(async () => {
    const now = await env().currentTimeMs();
    await env().sleep(ordinaryMondayAfter(shippedCalendar, now).getTime() - now);
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((c) => closeIfOpen(env(), c)));
  }, 60_000);

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
        args: [{ complaintId, intake: intake(options.intake), policy: { ...shippedPolicy, ...options.policy }, calendar: shippedCalendar, continueAsNewAfterEvents: options.continueAsNewAfterEvents }],
      });
      const c = new ComplaintHandle(complaintId, handle, memory);
      started.push(c);
      return c;
    },
  };
}

/**
 * Withdraws a complaint that is still open and waits until its workflow has completed. Not
 * terminated: the time-skipping server stops skipping time after a workflow is terminated under it
 * (a week's skip then takes real time), and a withdrawal closes the case as the domain does.
 */
async function closeIfOpen(env: TestWorkflowEnvironment, c: ComplaintHandle): Promise<void> {
  const { status } = await c.handle.describe();
  if (status.name !== 'RUNNING') return;
  const state = await c.state();
  if (state.stage !== 'closed') {
    await c.send('withdraw', { actor: { id: 'testbed', role: 'service' }, reason: 'the test is over' });
  }
  // Polled, an hour of server time at a time, not awaited with result(): waiting on a result lets the
  // time-skipping server skip ahead freely, and with nothing left to wait for it jumps ten years
  // (into years no calendar or rule expects). An hour at a time reaches a notice held for the
  // morning's contact window.
  for (let polls = 0; (await c.handle.describe()).status.name === 'RUNNING'; polls++) {
    if (polls > CLOSE_TIMEOUT_MS / 50) throw new Error(`complaint ${c.complaintId} did not close after its withdrawal`);
    if (polls % 4 === 3) await env.sleep('1 hour');
    else await new Promise((r) => setTimeout(r, 50));
  }
}
