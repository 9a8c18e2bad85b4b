/**
 * The Temporal Web UI tells each complaint's story: in the dev server's UI, opened in a headless
 * Chromium, a complaint's page shows its summary (id, customer, tier, category, severity), the
 * intake, and its current details (stage, owner, what it waits for, next deadline); its timeline
 * names each timer's clock and each batch's effects. Every payload is encrypted; the UI decodes
 * them through the API's codec endpoint, as `npm start` wires it. Screenshots go to test-artifacts/.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { createMemoryPorts } from '../../activities/adapters/memory';
import { createApp } from '../../api/app';
import { codecRoutes } from '../../api/codec/routes';
import { DEV_PAYLOAD_KEY, DEV_PAYLOAD_KEY_ID, developmentDataConverter, EncryptionCodec } from '../../config/payload-codec';
import { freePorts, spareDevServerPorts, temporalCli } from '../../scripts/temporal-binaries';
import { complaintSearchAttributes } from '../../contract/search-attributes';
import { actors, intakeBody, shippedCalendar, wallClockPolicy } from '../support/fixtures';
import { asActor, asService, testAuth } from '../support/http';
import { startWorker, type RunningWorker } from '../support/temporal';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');
const browserHere = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!browserHere) console.warn(`No Chromium at ${CHROMIUM}: skipping the Web UI test (run scripts/ensure-chromium.sh as root, or set CHROMIUM_PATH).`);
const describeInBrowser = browserHere ? describe : describe.skip;

describeInBrowser('the Temporal Web UI tells a complaint story', () => {
  let env: TestWorkflowEnvironment;
  let worker: RunningWorker;
  let browser: Browser;
  let uiPort: number;
  let codecServer: Server;
  const capability = `dev-${randomBytes(18).toString('base64url')}`;

  beforeAll(async () => {
    const [ui] = await freePorts(1);
    const { port, extraArgs } = await spareDevServerPorts();
    uiPort = ui!;
    // Every payload is encrypted: the UI decodes through the API's codec endpoint, as npm start wires it.
    const codec = await EncryptionCodec.create({ activeKeyId: DEV_PAYLOAD_KEY_ID, keys: { [DEV_PAYLOAD_KEY_ID]: DEV_PAYLOAD_KEY } });
    codecServer = express()
      .use('/codec', codecRoutes({ auth: testAuth, codec, corsOrigin: `http://127.0.0.1:${uiPort}`, devCapability: capability, logger: pino({ level: 'silent' }) }))
      .listen(0, '127.0.0.1');
    await new Promise((ready) => codecServer.once('listening', ready));
    const codecEndpoint = `http://127.0.0.1:${(codecServer.address() as AddressInfo).port}/codec/${capability}`;
    env = await TestWorkflowEnvironment.createLocal({
      server: { executable: temporalCli(), port, ui: true, uiPort, searchAttributes: Object.values(complaintSearchAttributes), extraArgs: ['--log-level', 'error', '--ui-codec-endpoint', codecEndpoint, ...extraArgs] },
      client: { dataConverter: await developmentDataConverter() },
    });
    worker = await startWorker(env, createMemoryPorts());
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await new Promise((done) => codecServer?.close(done));
    await browser?.close();
    await worker?.stop();
    await env?.teardown();
  }, 120_000);

  it('shows the summary, the intake and the current details on the complaint page; the timeline names timers and effects', async () => {
    const app = createApp({ client: env.client, policy: wallClockPolicy, calendar: shippedCalendar, auth: testAuth });
    const body = intakeBody({ customer: { ...intakeBody().customer, name: 'Wang Xiaohong', tier: 'vip' } });
    const opened = await request(app).post('/complaints').set(asService()).send(body).expect(201);
    const { complaintId, workflowId } = opened.body as { complaintId: string; workflowId: string };
    await request(app).post(`/complaints/${complaintId}/validity-judgment`).set(asActor(actors.owner)).send({ upheld: true, reason: 'double charge', departments: ['billing'] }).expect(200);

    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const ui = `http://127.0.0.1:${uiPort}/namespaces/default`;
    await page.goto(`${ui}/workflows`);
    await page.getByText(workflowId).first().waitFor({ timeout: 30_000 });
    // This UI (2.54) offers no summary column in its list: the summary is on the complaint's page.
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-ui-list.png') });

    await page.goto(`${ui}/workflows/${workflowId}`);
    await page.getByText('User Metadata').first().click();
    await page.getByText('Current Details').first().waitFor({ timeout: 30_000 });
    let text = '';
    for (const deadline = Date.now() + 30_000; !text.includes('findings from billing') && Date.now() < deadline; await page.waitForTimeout(250)) {
      text = await allText(page);
    }
    expect(text).toContain('Waits for:');
    expect(text).toContain(`${complaintId} · billing-dispute · normal · vip`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-ui-complaint-details.png'), fullPage: true });
    // The timeline names the clock of the timer and the effects of each batch.
    await page.getByText('Timeline', { exact: true }).first().click();
    let timeline = '';
    for (const deadline = Date.now() + 30_000; !(timeline.includes('customer notice (acknowledgement)') && timeline.includes('clock warning')) && Date.now() < deadline; await page.waitForTimeout(250)) {
      timeline = await allText(page);
    }
    expect(timeline).toContain('customer notice (acknowledgement)');
    expect(timeline).toContain('clock warning');
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-ui-complaint-timeline.png'), fullPage: true });
    expect(text).toContain('investigating');
    expect(text).toContain('findings from billing');
    expect(text).toContain('Complaint (billing-dispute)');
    // The UI's list and page name no customer: whoever reaches Temporal reads them in plaintext.
    expect(text).not.toContain('Wang Xiaohong');
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-ui-complaint.png'), fullPage: true });
    await page.close();
  }, 120_000);
});

/** The page's text and its frames' (the UI renders Markdown in sandboxed frames). */
async function allText(page: Page): Promise<string> {
  const texts = await Promise.all(page.frames().map((f) => f.locator('body').innerText().catch(() => '')));
  return texts.join('\n');
}
