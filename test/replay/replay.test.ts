/**
 * Saved histories of real complaints replayed against today's workflow code: a change that is
 * not deterministic (a reordered activity, a new timer on an old path) fails here, not in
 * production. The `*-ledger` ones ran on the effects ledger; `*-signals` has commands sent without waiting and events
 * from outside (`npx tsx scripts/record-signals-history.ts`); the `*-stage-archive` ones an archive
 * record per stage change (patched('archive-on-stage-change')); `vip-complaint-stage-archive-input`
 * was started with `archiveStageChanges` in its input and the ledger's patch marker; the
 * `*-input-versioned` ones say both in their input and carry no marker. Save new ones with `npm run measure:actions -- --save`
 * after a deliberate, versioned change (patched(); see docs/effects-and-versioning.md).
 */
import { developmentDataConverter, failureConverterPath } from '../../config/payload-codec';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { NormalModuleReplacementPlugin } from 'webpack';
import { workflowBundle } from '../support/temporal';

const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.history.bin'));

test('there are saved histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(8);
  expect(files.filter((f) => f.includes('-signals'))).toHaveLength(1);
  expect(files.filter((f) => f.includes('-ledger'))).toHaveLength(2);
  expect(files.filter((f) => f.includes('-input-versioned'))).toHaveLength(2);
});

test('a complaint the API starts says what it starts on, and writes no patch marker', () => {
  const history = temporal.api.history.v1.History.decode(readFileSync(join(dir, 'vip-complaint-input-versioned.history.bin')));
  const markers = history.events?.filter((e) => e.markerRecordedEventAttributes) ?? [];
  expect(markers).toHaveLength(0);
  const upserted = (history.events ?? []).flatMap((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}));
  expect(upserted).not.toContain('TemporalChangeVersion');
});

test('a complaint started before the effects ledger is not carried on by this code: its task fails, saying so', async () => {
  const history = temporal.api.history.v1.History.decode(readFileSync(join(__dirname, 'pre-ledger', 'regular-complaint.history.bin')));
  // With the service's converter the task's failure is encrypted (so is every failure: it may
  // carry personal data); to read its message, this replay leaves failures plain.
  const plain = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m) => console.error(m) } });
  const results = Worker.runReplayHistories({ workflowBundle: plain }, [{ workflowId: 'pre-ledger', history }]);
  const errors: string[] = [];
  for await (const result of results) errors.push(String((result.error?.cause as Error | undefined)?.message ?? result.error?.message));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/started before the effects ledger; finish it on the previous release/);
}, 60_000);

test.each(files)('%s replays deterministically', async (file) => {
  const history = temporal.api.history.v1.History.decode(readFileSync(join(dir, file)));
  const results = Worker.runReplayHistories({ workflowBundle: await workflowBundle(), dataConverter: await developmentDataConverter() }, [{ workflowId: file, history }]);
  for await (const result of results) {
    expect(result.error).toBeUndefined();
  }
}, 60_000);

describe('a rule tightened while complaints run', () => {
  // A test build in which only supervisors and managers may judge validity: agents judged every
  // saved complaint. Validators do not run on replay and handlers do not judge, so it replays.
  let tightened: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    tightened = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      failureConverterPath,
      logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m) => console.error(m) },
      webpackConfigHook: (config) => {
        config.plugins = [...(config.plugins ?? []), new NormalModuleReplacementPlugin(/^\.\.?\/command-rules$/, require.resolve('./rule-changes/judging-by-supervisors-only'))];
        return config;
      },
    });
  }, 60_000);

  test('the test build really carries the changed rule', () => {
    expect(tightened.code).toContain('judging-by-supervisors-only');
  });

  // `*-signals`: the judgment was sent without waiting (the submitCommand signal), handed back to
  // the complaint as its update by an activity: replay applies what history says was applied.
  test.each(files.filter((f) => f.includes('-ledger') || f.includes('-signals')))('%s still replays', async (file) => {
    const history = temporal.api.history.v1.History.decode(readFileSync(join(dir, file)));
    const judged = history.events?.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'judgeValidity');
    expect(judged).toBeDefined();
    const results = Worker.runReplayHistories({ workflowBundle: tightened, dataConverter: await developmentDataConverter() }, [{ workflowId: file, history }]);
    for await (const result of results) {
      expect(result.error).toBeUndefined();
    }
  }, 60_000);
});
