/**
 * The CI-sized chaos run (`npm run chaos` is the 200-complaint one): standard complaints over HTTP
 * while the worker process is killed with -9 in the middle of an effect batch and the dev server
 * is restarted on its database. Every complaint closes; every owed effect reaches the receiver,
 * once per key (a batch cut short by the kill is resent under the same keys).
 */
import { runChaos } from '../../scripts/lib/chaos';

test('kill -9 of the worker mid-batch and a dev server restart: everything closes, every effect once', async () => {
  const figures = await runChaos({ complaints: 6, concurrency: 3, kills: 1, serverRestarts: 1 });
  // One assertion over the whole record, so a failure shows every figure.
  // Complaints 0 and 3 are approved without waiting: each approval applied exactly once.
  expect(figures).toMatchObject({ kills: 1, serverRestarts: 1, closed: 6, missing: [], effectsNotDone: 0, asyncApprovals: 2, asyncApprovalsAppliedOnce: 2 });
  // 6 standard complaints owe at least 20 effects and events each.
  expect(figures.owed).toBeGreaterThanOrEqual(6 * 20);
  expect(figures.delivered).toBe(figures.owed);
}, 300_000);
