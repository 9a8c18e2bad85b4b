/**
 * Business gauges of the open complaints, from Temporal visibility when Prometheus scrapes: open
 * complaints by stage, by escalation level, and those with a breached SLA. Temporal's SQL
 * visibility (the dev server, PostgreSQL) groups counts by ExecutionStatus only ("'GROUP BY' clause
 * is not supported for search attribute ComplaintStage"), so each value is one count query, all
 * in parallel; the answers are cached briefly so that frequent or concurrent scrapes cost one round.
 */
import type { Client } from '@temporalio/client';
import { Gauge, type Registry } from 'prom-client';
import { stages } from '../../domain/complaint';
import { COMPLAINT_WORKFLOW_TYPE } from '../../contract/complaint';
import { complaintSearchAttributes as sa } from '../../contract/search-attributes';
import { quote } from '../complaints/listing';

/** How long one round of counts serves scrapes. */
export const COMPLAINT_COUNTS_CACHE_MS = 15_000;

/** The open complaints, counted through visibility. */
export interface OpenComplaintCounts {
  byStage: Record<string, number>;
  byEscalationLevel: Record<string, number>;
  slaBreached: number;
}

const open = `WorkflowType = ${quote(COMPLAINT_WORKFLOW_TYPE)} AND ExecutionStatus = 'Running'`;

/** Counts the open complaints in every stage, at every escalation level `0..topLevel`, and breached. */
export async function countOpenComplaints(client: Client, topLevel: number): Promise<OpenComplaintCounts> {
  const count = async (clause: string) => (await client.workflow.count(`${open} AND ${clause}`)).count;
  const levels = Array.from({ length: topLevel + 1 }, (_, level) => level);
  const [byStage, byLevel, slaBreached] = await Promise.all([
    Promise.all(stages.map((stage) => count(`${sa.stage.name} = ${quote(stage)}`))),
    Promise.all(levels.map((level) => count(`${sa.escalationLevel.name} = ${level}`))),
    count(`${sa.slaBreached.name} = true`),
  ]);
  return {
    byStage: Object.fromEntries(stages.map((stage, i) => [stage, byStage[i]!])),
    byEscalationLevel: Object.fromEntries(levels.map((level, i) => [String(level), byLevel[i]!])),
    slaBreached,
  };
}

/**
 * Registers the gauges on `registry`; each scrape reads counts at most `cacheMs` old. When
 * visibility does not answer, `complaints_visibility_up` is 0 and the gauges keep their last values.
 */
export function registerComplaintGauges(
  registry: Registry,
  options: { count: () => Promise<OpenComplaintCounts>; cacheMs?: number; now?: () => number; onError?: (err: unknown) => void },
): void {
  const cacheMs = options.cacheMs ?? COMPLAINT_COUNTS_CACHE_MS;
  const now = options.now ?? Date.now;
  let last: { at: number; round: Promise<OpenComplaintCounts | undefined> } | undefined;

  const byStage = new Gauge({ name: 'complaints_open', help: 'Open complaints by stage (Temporal visibility)', labelNames: ['stage'] as const, registers: [registry], collect: refresh });
  const byLevel = new Gauge({
    name: 'complaints_open_by_escalation_level',
    help: 'Open complaints by escalation level (0: the owner; Temporal visibility)',
    labelNames: ['level'] as const,
    registers: [registry],
    collect: refresh,
  });
  const breached = new Gauge({ name: 'complaints_open_sla_breached', help: 'Open complaints with at least one breached SLA clock (Temporal visibility)', registers: [registry], collect: refresh });
  const up = new Gauge({ name: 'complaints_visibility_up', help: '1 when the last count of open complaints answered, 0 when it failed', registers: [registry], collect: refresh });

  /**
   * prom-client awaits each gauge's collect() on every scrape: one round of counts per `cacheMs`
   * serves all four gauges of a scrape and concurrent scrapes.
   */
  async function refresh(): Promise<void> {
    if (!last || now() - last.at >= cacheMs) {
      last = { at: now(), round: options.count().catch((err: unknown) => void options.onError?.(err)) };
    }
    const counts = await last.round;
    up.set(counts ? 1 : 0);
    if (!counts) return;
    for (const [stage, n] of Object.entries(counts.byStage)) byStage.set({ stage }, n);
    for (const [level, n] of Object.entries(counts.byEscalationLevel)) byLevel.set({ level }, n);
    breached.set(counts.slaBreached);
  }
}
