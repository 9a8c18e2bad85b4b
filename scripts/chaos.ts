/**
 * `npm run chaos`: 200 standard complaints over HTTP while the worker is killed with -9 mid-batch
 * and the dev server restarted on its database; prints what was owed, delivered and repeated.
 *
 *   npm run chaos -- --complaints 200 --kills 4 --restarts 2 --concurrency 10
 */
import { runChaos } from './lib/chaos';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const figures = await runChaos({
    complaints: arg('complaints', 200),
    concurrency: arg('concurrency', 10),
    kills: arg('kills', 4),
    serverRestarts: arg('restarts', 2),
    log: (line) => console.log(`[${new Date().toISOString()}] ${line}`),
    apiLogLevel: 'error',
  });
  console.log(JSON.stringify({ ...figures, missing: figures.missing.length, missingKeys: figures.missing.slice(0, 20) }, null, 2));
  const ok = figures.closed === figures.complaints && figures.missing.length === 0 && figures.effectsNotDone === 0 && figures.asyncApprovalsAppliedOnce === figures.asyncApprovals;
  console.log(ok ? 'every complaint closed; every owed effect delivered (once per key at the receiver)' : 'FAILED: see the figures above');
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
