/**
 * 000 §2d at intake: while cooperation with a partner is suspended (config/assessment.json
 * `partners.<id>.suspended`), a complaint to be transferred to it stays with the platform.
 */
import type { Client } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/app';
import { loadAssessment } from '../../config/settings';
import type { Assessment } from '../../archive/scorecard';
import { intakeBody, shippedCalendar, shippedPolicy } from '../support/fixtures';
import { asService, testAuth } from '../support/http';

function appWith(assessment: Assessment) {
  const start = jest.fn().mockResolvedValue({});
  const client = { workflow: { start } } as unknown as Client;
  const app = createApp({ client, policy: shippedPolicy, calendar: shippedCalendar, auth: testAuth, assessment, newComplaintId: () => 'C-SUSP' });
  return { app, start };
}
const shipped = loadAssessment();
const suspended: Assessment = { ...shipped, partners: { ...shipped.partners, 'sp-x': { suspended: true } } };

describe('POST /complaints against a suspended partner', () => {
  it('starts it as the platform\'s own (direct) complaint, the partner still named', async () => {
    const { app, start } = appWith(suspended);
    await request(app).post('/complaints').set(asService()).send(intakeBody({ kind: 'transferred', partner: 'sp-x' })).expect(201);
    expect(start.mock.calls[0][1].args[0].intake).toMatchObject({ kind: 'direct', partner: 'sp-x', source: 'customer' });
  });

  it('transfers as usual to a partner not suspended', async () => {
    const { app, start } = appWith(suspended);
    await request(app).post('/complaints').set(asService()).send(intakeBody({ kind: 'transferred', partner: 'sp-y' })).expect(201);
    expect(start.mock.calls[0][1].args[0].intake).toMatchObject({ kind: 'transferred', partner: 'sp-y' });
  });
});
