/** GET /readyz: Temporal, and the business calendar's coverage. Open, like /healthz. */
import type { Client } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/app';
import { shippedCalendar, shippedPolicy } from '../support/fixtures';
import { testAuth } from '../support/http';

const noClient = {} as Client;
const at = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);

function appAt(now: Date, options: { temporal?: boolean; warnDays?: number } = {}) {
  return createApp({
    client: noClient,
    policy: shippedPolicy,
    calendar: shippedCalendar,
    auth: testAuth,
    checkTemporal: async () => options.temporal ?? true,
    calendarWarnDays: options.warnDays,
    now: () => now,
  });
}

describe('GET /readyz', () => {
  it('is ok while the calendar covers more than 60 days ahead', async () => {
    const res = await request(appAt(at('2026-11-01 00:00'))).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', temporal: 'reachable', calendar: { name: 'cn', years: [2026], coveredUntil: '2027-01-01', daysLeft: 61, status: 'ok' } });
  });

  it('degrades (still 200) from 60 days before the data ends, and says what to add', async () => {
    const res = await request(appAt(at('2026-11-02 00:00'))).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'degraded', calendar: { status: 'warning', daysLeft: 60 } });
    expect(res.body.calendar.message).toMatch(/config\/calendars\/cn\/2027\.json/);
  });

  it('takes the number of days from configuration', async () => {
    const res = await request(appAt(at('2026-11-02 00:00'), { warnDays: 30 })).get('/readyz');
    expect(res.body.status).toBe('ok');
  });

  it('says expired once the data has run out', async () => {
    const res = await request(appAt(at('2027-01-02 09:00'))).get('/readyz');
    expect(res.body).toMatchObject({ status: 'degraded', calendar: { status: 'expired', coveredUntil: null, daysLeft: 0 } });
  });

  it('says which policy new complaints start on and how many of its numbers are chosen, not the seeds\'', async () => {
    const res = await request(appAt(at('2026-11-01 00:00'))).get('/readyz');
    expect(res.body.policy).toEqual({ version: '2026-11-seeds', chosenNumbers: 46, placeholders: 4 });
    const fewer = { ...shippedPolicy, version: 'fewer-marks', chosen: shippedPolicy.chosen.filter((m) => m.path !== 'callback.sampleRate') };
    const other = await request(createApp({ client: noClient, policy: fewer, calendar: shippedCalendar, auth: testAuth, checkTemporal: async () => true, now: () => at('2026-11-01 00:00') })).get('/readyz');
    expect(other.body.policy).toEqual({ version: 'fewer-marks', chosenNumbers: 45, placeholders: 4 });
  });

  it('answers 503 when Temporal does not answer', async () => {
    const res = await request(appAt(at('2026-06-01 00:00'), { temporal: false })).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'unavailable', temporal: 'unreachable' });
  });
});
