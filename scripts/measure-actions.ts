/**
 * Measures what a standard complaint costs in Temporal billable actions, from its real history: the
 * service on a dev server (worker, API, the real HTTP adapter to a stand-in receiver), each standard
 * complaint driven over HTTP with its commands back to back, then its history counted: workflow
 * start, updates, activities, timers, search-attribute upserts, signals.
 *
 *   npm run measure:actions               # print the table
 *   npm run measure:actions -- --save     # also save the histories for test/replay
 *   npm run measure:actions -- --json     # one JSON line per complaint (for the benchmark)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { complaintWorkflowId } from '../contract/complaint';
import { startStack, OWNER_ID } from './lib/stack';
import { driveStandardComplaint, waitFor } from './lib/standard-complaint';

const billable: Record<string, string> = {
  EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: 'workflow start',
  EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: 'updates (commands)',
  EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: 'activities',
  EVENT_TYPE_TIMER_STARTED: 'timers',
  EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: 'search-attribute upserts',
  EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: 'signals',
};

export interface ActionCount {
  complaint: string;
  [what: string]: number | string;
}

/** Counts the billable actions of a closed complaint's history. */
export function countActions(label: string, history: temporal.api.history.v1.IHistory): ActionCount {
  const counts: ActionCount = { complaint: label };
  let total = 0;
  for (const e of history.events ?? []) {
    const name = billable[temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? ''];
    if (!name) continue;
    counts[name] = ((counts[name] as number | undefined) ?? 0) + 1;
    total += 1;
  }
  counts['history events'] = history.events?.length ?? 0;
  counts['billable actions'] = total;
  return counts;
}

async function main(): Promise<void> {
  // Regular customers are not drawn for a callback here: the regular complaint closes without one.
  const stack = await startStack({ policy: (p) => ({ ...p, callback: { sampleRate: 0 } }) });
  const results: ActionCount[] = [];
  try {
    for (const tier of ['regular', 'vip'] as const) {
      const id = await driveStandardComplaint({ baseUrl: stack.baseUrl, headersFor: stack.headersFor, tier, key: `measure-${tier}-${Date.now()}`, ownerId: OWNER_ID });
      await waitFor(stack, id);
      const handle = stack.env.client.workflow.getHandle(complaintWorkflowId(id));
      await handle.result();
      const history = await handle.fetchHistory();
      if (process.argv.includes('--save')) {
        const dir = join(__dirname, '..', 'test', 'replay', 'histories');
        mkdirSync(dir, { recursive: true });
        // Binary protobuf: exact, and independent of the JSON mapping's library versions.
        // Named for the newest versioning the code carries; the older histories stay for the replay test.
        writeFileSync(join(dir, `${tier}-complaint-input-versioned.history.bin`), temporal.api.history.v1.History.encode(history).finish());
      }
      results.push(countActions(tier === 'vip' ? 'VIP, with callback' : 'regular, no callback', history));
    }
  } finally {
    await stack.stop();
  }
  if (process.argv.includes('--json')) for (const r of results) console.log(JSON.stringify(r));
  else console.table(results);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
