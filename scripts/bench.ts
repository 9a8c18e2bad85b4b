/**
 * `npm run bench`: the service against raw Temporal on the same dev server in the same run, as
 * ratios, and 10,000 open complaints on one worker process. Writes bench/RESULTS.md (or --out); git keeps the earlier runs.
 *
 *   npm run bench              # the full run (about 15 minutes on 2 cores)
 *   npm run bench -- --quick   # under 5 minutes: 1,000 open complaints, smaller samples
 *   npm run bench -- --quick --profile /tmp/prof   # only starts and lifecycles, with V8 CPU profiles
 *                                                  # of the complaint worker (one per thread)
 *   npm run bench -- --quick --lifecycle-only      # only starts and lifecycles (a quick A/B)
 *
 * Everything runs on this machine on spare ports: a dev server on its own database, a receiver
 * standing in for the outside systems, the complaint worker and the raw-Temporal worker as their
 * own processes, the API in this one. The archive is the worker's default, the embedded PGlite,
 * unless DATABASE_URL names a PostgreSQL (as in production); the run's records stay there. A
 * PostgreSQL on this machine has its CPU counted too.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { measureLifecycles, measureStarts } from './lib/bench-lifecycle';
import { archiveLocal, archivePostgres, log } from './lib/bench-measure';
import { measureOpenComplaints } from './lib/bench-open';
import { measureRestart } from './lib/bench-restart';
import { startBenchStack, type BenchSizes } from './lib/bench-stack';
import { temporalCli } from './temporal-binaries';

const quick = process.argv.includes('--quick');
const outArg = process.argv.indexOf('--out');
// One results file: each run replaces it, and git keeps the history of runs.
const out = outArg > 0 ? process.argv[outArg + 1]! : join(__dirname, '..', 'bench', 'RESULTS.md');
const profileArg = process.argv.indexOf('--profile');
const profileDir = profileArg > 0 ? process.argv[profileArg + 1] : undefined;
const lifecycleOnly = process.argv.includes('--lifecycle-only') || profileDir !== undefined;
const sizes: BenchSizes = quick ? { starts: 100, lifecycles: 20, rounds: 2, open: 1_000, breachSample: 50, calm: 30 } : { starts: 300, lifecycles: 50, rounds: 3, open: 10_000, breachSample: 100, calm: 100 };

/** The machine's 1-minute load average when the run started (others' work skews every figure). */
const loadAtStart = loadavg()[0]!;

async function main(): Promise<void> {
  const stack = await startBenchStack(profileDir);
  const results: Record<string, string | number> = {};
  try {
    await measureStarts(stack, sizes, results);
    await measureLifecycles(stack, sizes, results);

    if (lifecycleOnly) {
      // A profile is written when the worker exits normally (below it is killed with -9).
      await stack.worker.stop();
      if (profileDir) log(`profiled the lifecycle phase: CPU profiles of the complaint worker in ${profileDir}`);
      console.log(results);
      return;
    }

    const open = await measureOpenComplaints(stack, sizes, results);
    await measureRestart(stack, sizes, results, open);
  } finally {
    await stack.close();
  }
  writeResults(results);
}

function writeResults(results: Record<string, string | number>): void {
  const cli = temporalCli();
  const temporalVersion = cli.type === 'existing-path' ? execFileSync(cli.path, ['--version'], { encoding: 'utf8' }).trim() : 'unknown';
  const lines = [
    `# Benchmark results${quick ? ' (--quick)' : ''}`,
    '',
    `Run on ${new Date().toISOString()} by \`npm run bench${quick ? ' -- --quick' : ''}\`.`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; ${temporalVersion} (dev server, SQLite).`,
    'The dev server, the receiver, the API, the complaint worker and the raw-Temporal worker all share the machine.',
    archivePostgres
      ? `Archive: PostgreSQL at ${archivePostgres.host || 'the local socket'} (DATABASE_URL)${archiveLocal ? ', on this machine too' : ''}.`
      : 'Archive: the embedded PGlite in the worker process (the default without DATABASE_URL).',
    `Load average (1 min) at the start of the run: ${loadAtStart.toFixed(2)}; at the end: ${loadavg()[0]!.toFixed(2)} (other work on the machine skews every figure).`,
    '',
    '| measure | value |',
    '| --- | --- |',
    ...Object.entries(results).map(([k, v]) => `| ${k} | ${v} |`),
    '',
  ];
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, lines.join('\n'));
  console.log(lines.join('\n'));
  console.log(`written ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

