/** Bounded work per caller: per address before credentials, per principal after, 429 with Retry-After. */
import type { Client } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/app';
import { TokenBuckets } from '../../api/http/rate-limit';
import { loadSettings } from '../../config/settings';
import { shippedCalendar, shippedPolicy } from '../support/fixtures';
import { asActor, asService, testAuth } from '../support/http';

const untouchableClient = new Proxy({} as Client, {
  get(_target, property) {
    throw new Error(`the request reached Temporal (client.${String(property)})`);
  },
});

const appWith = (rateLimits: Parameters<typeof createApp>[0]['rateLimits']) =>
  createApp({ client: untouchableClient, policy: shippedPolicy, calendar: shippedCalendar, checkTemporal: async () => true, auth: testAuth, rateLimits });

const agent = { id: 'agent-7', role: 'agent' };
const statuses = async (n: number, send: () => request.Test) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await send()).status);
  return out;
};

describe('token buckets', () => {
  it('grants the burst at once, then the sustained rate, and says how long to wait', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perSecond: 2, burst: 3 }, () => now);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBeCloseTo(0.5);
    expect(buckets.take('b')).toBe(0); // another caller has its own bucket
    now = 500;
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBeGreaterThan(0);
    now = 60_000; // a long pause refills to the burst, no further
    expect([0, 1, 2, 3].map(() => buckets.take('a'))).toEqual([0, 0, 0, expect.any(Number)]);
  });
});

describe('rate limits on the API', () => {
  it('answers a principal over its rate 429 rate-limited, with Retry-After, and other principals still pass', async () => {
    const app = appWith({ perAddress: { perSecond: 1000, burst: 1000 }, perPrincipal: { perSecond: 0.01, burst: 3 } });
    expect(await statuses(4, () => request(app).get('/nothing-here').set(asActor(agent)))).toEqual([404, 404, 404, 429]);
    const refused = await request(app).get('/nothing-here').set(asActor(agent));
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: 'rate-limited', status: 429, errors: [{ field: 'principal' }] });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await request(app).get('/nothing-here').set(asService())).status).toBe(404);
  });

  it('limits an address before its credentials are checked, so guessing keys is slow too', async () => {
    const app = appWith({ perAddress: { perSecond: 0.01, burst: 2 }, perPrincipal: { perSecond: 1000, burst: 1000 } });
    const guess = () => request(app).get('/complaints').set('X-API-Key', 'a-guess-0123456789');
    expect(await statuses(3, guess)).toEqual([401, 401, 429]);
    expect((await request(app).get('/healthz')).status).not.toBe(429); // probes are not counted
  });

  it('is on by default in the processes: 40 at once, then 20 a second, per principal', () => {
    const { rateLimits } = loadSettings({});
    expect(rateLimits).toEqual({ perAddress: { perSecond: 50, burst: 100 }, perPrincipal: { perSecond: 20, burst: 40 } });
    let now = 0;
    const buckets = new TokenBuckets(rateLimits.perPrincipal, () => now);
    let passed = 0;
    for (now = 0; now < 10_000; now += 1) if (buckets.take('p') === 0) passed++; // one request a millisecond for 10 s
    expect(passed).toBe(40 + 20 * 10 - 1);
  });
});
