/**
 * Saved histories of real complaints replayed against today's workflow code: a change that is
 * not deterministic (a reordered activity, a new timer on an old path) fails here, not in
 * production. Regenerate with `npx tsx scripts/measure-actions.ts --save` after a deliberate,
 * versioned change (patched()).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/temporal';

const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.history.bin'));

test('there are saved histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(4);
});

test.each(files)('%s replays deterministically', async (file) => {
  const history = temporal.api.history.v1.History.decode(readFileSync(join(dir, file)));
  const results = Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, [{ workflowId: file, history }]);
  for await (const result of results) {
    expect(result.error).toBeUndefined();
  }
}, 60_000);
