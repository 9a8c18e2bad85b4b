/**
 * The benchmark's measurements: jobs timed at a concurrency, CPU seconds by process (and of this
 * machine's PostgreSQL when the archive is there), waiting for a quiet machine, the work a standard
 * complaint did in Temporal, first-task latencies from the histories, and their percentiles.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { complaintWorkflowId } from '../../contract/complaint';
import type { WorkerProcess } from './processes';

export const log = (line: string) => console.log(`[${new Date().toISOString()}] ${line}`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The archive the worker writes to: PostgreSQL when DATABASE_URL is set (the worker reads it too). */
export const archivePostgres = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL) : undefined;
export const archiveLocal = archivePostgres !== undefined && ['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(archivePostgres.hostname);
/** The CPU rows' extra column when the archive's PostgreSQL is on this machine. */
export const archiveColumn = archiveLocal ? ' / archive database' : '';

/** CPU seconds of this machine's PostgreSQL processes (0 for the embedded PGlite: it is in the worker). */
export function databaseCpuSeconds(): number {
  if (!archiveLocal) return 0;
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / 100;
}

/**
 * Waits (up to a minute) until `done` holds and the worker has been idle for a second (under 5% of
 * a core), and the server too when given (under 10%: it keeps its own housekeeping).
 */
export async function settled(worker: WorkerProcess, done: () => boolean, server?: { cpuSeconds(): number }): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const cpu = worker.cpuSeconds();
    const serverCpu = server?.cpuSeconds() ?? 0;
    await sleep(1_000);
    if (done() && worker.cpuSeconds() - cpu < 0.05 && (server?.cpuSeconds() ?? 0) - serverCpu < 0.1) return;
  }
}

/** CPU seconds by process: the dev server, the complaint worker, the bare worker, this one. */
export type Cpu = { server: number; worker: number; bare: number; bench: number; database: number };

/** `op` of two CPU readings, process by process. */
export function combineCpu(a: Cpu, b: Cpu, op: (x: number, y: number) => number): Cpu {
  return { server: op(a.server, b.server), worker: op(a.worker, b.worker), bare: op(a.bare, b.bare), bench: op(a.bench, b.bench), database: op(a.database, b.database) };
}

export interface Phase {
  count: number;
  seconds: number;
  cpu: Cpu;
}

/** The phases together: their jobs, seconds and CPU summed. */
export function total(phases: Phase[]): Phase {
  return phases.reduce((a, p) => ({
    count: a.count + p.count,
    seconds: a.seconds + p.seconds,
    cpu: combineCpu(a.cpu, p.cpu, (x, y) => x + y),
  }));
}

/** Runs `count` jobs at `concurrency`; answers jobs per second. */
export async function timed(count: number, concurrency: number, job: (n: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await job(next++);
    }),
  );
  return count / ((Date.now() - started) / 1000);
}

/** The activities and timers the complaints `ids` ran, per complaint (rounded mean; from their histories). */
export async function workDone(client: Client, ids: string[]): Promise<Work> {
  const type = temporal.api.enums.v1.EventType;
  let activities = 0;
  let timers = 0;
  let upserts = 0;
  for (const id of ids) {
    for (const e of (await client.workflow.getHandle(complaintWorkflowId(id)).fetchHistory()).events ?? []) {
      if (e.eventType === type.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) activities++;
      if (e.eventType === type.EVENT_TYPE_TIMER_STARTED) timers++;
      if (e.eventType === type.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES) upserts++;
    }
  }
  return { activities: Math.round(activities / ids.length), timers: Math.round(timers / ids.length), upserts: Math.round(upserts / ids.length) };
}

/** What a standard complaint did in Temporal, per complaint: given to the bare workflow. */
export type Work = { activities: number; timers: number; upserts: number };

/** Start to end of the first workflow task, in ms, from each complaint's history. */
export async function firstTaskLatencies(client: Client, ids: string[]): Promise<number[]> {
  const type = temporal.api.enums.v1.EventType;
  const out: number[] = [];
  for (const id of ids) {
    const events = (await client.workflow.getHandle(complaintWorkflowId(id)).fetchHistory()).events ?? [];
    const at = (t: number) => events.find((e) => e.eventType === t)?.eventTime;
    const started = at(type.EVENT_TYPE_WORKFLOW_TASK_STARTED);
    const completed = at(type.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    if (started && completed) out.push(ms(completed) - ms(started));
  }
  return out.sort((a, b) => a - b);
}

function ms(t: { seconds?: unknown; nanos?: number | null }): number {
  return Number(t.seconds) * 1000 + (t.nanos ?? 0) / 1e6;
}

export function percentile(sorted: number[], p: number): number {
  return sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!, 1) : NaN;
}

export function round(x: number, digits = 0): number {
  return Number(x.toFixed(digits));
}
