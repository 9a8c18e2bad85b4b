/**
 * The report API and page over a seeded PGlite archive: JSON and CSV answers, 400s as problem+json,
 * and the HTML page rendered in a real headless Chromium (Debian's, via playwright-core): the
 * scorecard figures of the seeded month are on the page, and a screenshot is kept as a test
 * artefact in test-artifacts/report-page.png. scripts/ensure-chromium.sh installs the browser.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { chromium, type Browser } from 'playwright-core';
import request from 'supertest';
import { ComplaintRecordStore } from '../../archive/store';
import { problemMapper, routeNotFound } from '../../api/http/problem';
import { reportRoutes } from '../../api/reports/routes';
import { authenticate } from '../../api/http/auth';
import { actors, shippedPolicy } from '../support/fixtures';
import { asActor, testAuth } from '../support/http';
import { historyRecords, SEEDED_MONTH, seedAssessment, seedRecords } from '../support/archive-seed';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');

let store: ComplaintRecordStore;
let app: express.Express;
/** The reports are read with an auditor's credentials (read-only, and allowed to see them). */
const auditor = asActor(actors.auditor);

beforeAll(async () => {
  store = await ComplaintRecordStore.open({ inMemory: true });
  for (const r of [...seedRecords(), ...historyRecords()]) await store.save(r);
  app = express();
  app.use(authenticate(testAuth));
  app.use(reportRoutes({ store, assessment: seedAssessment(), now: () => new Date('2026-03-10T04:00:00Z'), policyPlaceholders: shippedPolicy.placeholders }));
  app.use(routeNotFound);
  app.use(problemMapper);
});
afterAll(async () => store?.close());

describe('report API', () => {
  it('answers the classification of a month as JSON', async () => {
    const res = await request(app).get(`/reports/classification?month=${SEEDED_MONTH}`).set(auditor).expect(200).expect('Content-Type', /application\/json/);
    expect(res.body.period).toEqual({ month: '2026-03', from: '2026-02-20T16:00:00.000Z', to: '2026-03-20T16:00:00.000Z' });
    expect(res.body.total).toBe(12);
    expect(res.body.totals.counts).toEqual({ upheld: 9, notUpheld: 1, withdrawn: 2, resolved: 7, escalated: 6, open: 1 });
  });

  it('takes from/to as local dates, `to` inclusive: 2026-02-21..2026-03-20 is the window of 2026-03', async () => {
    const res = await request(app).get('/reports/resolution?from=2026-02-21&to=2026-03-20').set(auditor).expect(200);
    expect(res.body.period).toEqual({ from: '2026-02-20T16:00:00.000Z', to: '2026-03-20T16:00:00.000Z' });
    expect(res.body).toMatchObject({ submitted: 12, resolved: 7, acceptedBySilence: 1, resolutionRatePct: 80, handlingTime: { meanHours: 33.29, p90Hours: 95 } });
    // Instants with an offset: `to` exclusive, so the last second of the window drops C12.
    const cut = await request(app).get('/reports/resolution').set(auditor).query({ from: '2026-02-21T00:00:00+08:00', to: '2026-03-20T23:59:59+08:00' }).expect(200);
    expect(cut.body.submitted).toBe(11);
  });

  it('answers CSV for ?format=csv and for Accept: text/csv', async () => {
    const csv = await request(app).get(`/reports/sla?month=${SEEDED_MONTH}&format=csv`).set(auditor).expect(200).expect('Content-Type', /text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="?sla-2026-03\.csv"?$/);
    expect(csv.text.startsWith('\uFEFFsection,item,metric,value\r\n')).toBe(true);
    expect(csv.text).toContain('clock,reply,compliance_pct,81.8\r\n');
    expect(csv.text).toContain('clock,all,compliance_pct,80\r\n');

    const accepted = await request(app).get(`/reports/classification?month=${SEEDED_MONTH}`).set(auditor).set('Accept', 'text/csv').expect(200).expect('Content-Type', /text\/csv/);
    const lines = accepted.text.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe('category,total,share_pct,upheld,upheld_pct,not_upheld,not_upheld_pct,withdrawn,withdrawn_pct,resolved,resolved_pct,escalated,escalated_pct,open,open_pct');
    expect(lines.at(-1)).toBe('all,12,100,9,75,1,8.3,2,16.7,7,58.3,6,50,1,8.3');
  });

  it('itemises every deduction of the scorecard in its CSV', async () => {
    const res = await request(app).get(`/reports/scorecard?month=${SEEDED_MONTH}&format=csv`).set(auditor).expect(200);
    const rows = res.text.replace('\uFEFF', '').trim().split('\r\n');
    expect(rows).toContain('2026-03,partner,sp-music,3,43.2,true,2,720000,serviceComplaints,20,0,2 of 2 upheld complaint(s) caused by poor handling,media exposure (媒体曝光),1,16,16,C06');
    expect(rows).toContain('2026-03,department,network,3,59.94,false,0,0,handlingTime,20,18,1 overdue of 3,overdue case: resolve clock breached,1,2,2,C04');
    // The placeholders are rows of their own; the policy's come with the assessment's.
    expect(rows).toContain('2026-03,placeholder,policy.takeover.taxRate,,,,,,placeholder,,,6% is a stand-in for the deployment\'s tax cost on refunds (000 §6),,,,,');
    expect(rows.at(-1)).toBe('2026-03,partner-charge,sp-music,,,,,,takeover-charges,,,1 case(s),refund + costs + 30% handling fee (000 §6),1,,13800,C03');
  });

  it('answers the scorecard as JSON', async () => {
    const res = await request(app).get(`/reports/scorecard?month=${SEEDED_MONTH}`).set(auditor).expect(200);
    expect(res.body.partners.map((u: { unit: string; score: number }) => [u.unit, u.score])).toEqual([
      ['sp-news', 90],
      ['sp-games', 81.6],
      ['sp-music', 43.2],
    ]);
    // Every placeholder figure is marked in the answer: the assessment's and the policy's.
    const paths = res.body.placeholders.map((p: { path: string }) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['assessment.emergencySeats.seatCostFen', 'policy.takeover.postageFen', 'policy.takeover.taxRate']));
  });

  it('searches the knowledge base by category and words, as JSON or CSV', async () => {
    const res = await request(app).get('/knowledge-base').set(auditor).query({ category: 'network-quality', q: 'repeater' }).expect(200);
    expect(res.body.entries.map((e: { complaintId: string }) => e.complaintId)).toEqual(['C04']);
    const csv = await request(app).get('/knowledge-base?q=taken%20over&format=csv').set(auditor).expect(200);
    expect(csv.text).toContain('C03,billing-dispute,closed,resolved');
  });

  it("gives a department desk only the cases it was responsible for; the others every desk's", async () => {
    const ids = async (who: { id: string; role: string; department?: string }, q?: string) =>
      ((await request(app).get('/knowledge-base').set(asActor(who)).query({ limit: 500, ...(q ? { q } : {}) }).expect(200)).body.entries as Array<{ complaintId: string }>).map((e) => e.complaintId);
    const everyone = await ids(actors.auditor);
    const billing = await ids(actors.billing);
    expect(billing.length).toBeGreaterThan(0);
    expect(billing.every((id) => everyone.includes(id))).toBe(true);
    expect(everyone.filter((id) => !billing.includes(id)).length).toBeGreaterThan(0);
    // C04 is the network desk's repeater case: the billing desk does not find it.
    expect(await ids(actors.auditor, 'repeater')).toContain('C04');
    expect(await ids(actors.billing, 'repeater')).not.toContain('C04');
  });

  it.each([
    ['/reports/scorecard', 'query.month'],
    ['/reports/scorecard?month=2026-13', 'query.month'],
    ['/reports/sla', 'query.month'],
    ['/reports/sla?from=2026-03-01', 'query.to'],
    ['/reports/sla?month=2026-03&from=2026-03-01&to=2026-03-02', 'query.month'],
    ['/reports/sla?from=2026-03-05&to=2026-03-01', 'query.to'],
    ['/reports/sla?from=2026-02-30&to=2026-03-01', 'query.from'],
    ['/reports/classification?from=yesterday&to=today', 'query.from'],
    ['/reports/resolution?month=2026-03&format=xml', 'query.format'],
    ['/knowledge-base?limit=0', 'query.limit'],
    ['/reports?month=March', 'query.month'],
    ['/reports?month=0000-01', 'query.month'],
    ['/reports/scorecard?month=0000-01', 'query.month'],
    ['/knowledge-base?q=%00', 'query.q'],
  ])('answers %s with 400 problem+json naming %s', async (url, field) => {
    const res = await request(app).get(url).set(auditor).expect(400).expect('Content-Type', /application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'invalid-request', status: 400 });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('lets supervisors, managers and auditors read the reports; agents and departments only the knowledge base', async () => {
    for (const reader of [actors.supervisor, actors.manager, actors.auditor]) {
      await request(app).get(`/reports/sla?month=${SEEDED_MONTH}`).set(asActor(reader)).expect(200);
    }
    for (const other of [actors.owner, actors.billing, actors.service]) {
      const res = await request(app).get(`/reports/sla?month=${SEEDED_MONTH}`).set(asActor(other)).expect(403);
      expect(res.body).toMatchObject({ type: 'access-denied', detail: `A${other.role === 'agent' ? 'n' : ''} ${other.role} may not read the reports` });
    }
    for (const reader of [actors.owner, actors.billing]) {
      await request(app).get('/knowledge-base').set(asActor(reader)).expect(200);
    }
    await request(app).get('/knowledge-base').set(asActor(actors.service)).expect(403);
    await request(app).get('/reports').expect(401);
  });

  it('allows only GET', async () => {
    const res = await request(app).post('/reports/sla').set(auditor).expect(405);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
  });
});

// On these machines (and in CI) the test command installs Chromium; on a laptop without it and
// without root, the browser half is left out with a warning rather than failing the suite.
const browserHere = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!browserHere) console.warn(`No Chromium at ${CHROMIUM}: skipping the report page's browser test (run scripts/ensure-chromium.sh as root, or set CHROMIUM_PATH).`);
const describeInBrowser = browserHere ? describe : describe.skip;

describeInBrowser('report page in a headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`No Chromium at ${CHROMIUM}: run scripts/ensure-chromium.sh (as root, installs Debian's chromium) or set CHROMIUM_PATH.`);
    }
    server = await new Promise<Server>((ready) => {
      const s = app.listen(0, '127.0.0.1', () => ready(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (server) {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });

  it('renders the scorecard of the seeded month, its charts and figures, with nothing blocked, and keeps a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: auditor });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));

    // No month given: the page takes the month whose window holds `now` (2026-03-10 → 2026-03).
    const response = await page.goto(`${baseUrl}/reports`);
    expect(response!.status()).toBe(200);
    expect(response!.headers()['content-security-policy']).toMatch(/default-src 'none'/);
    await expect(page.title()).resolves.toBe('Complaint report 2026-03');

    const score = (unit: string) => page.locator(`tr[data-unit="${unit}"] td.score`).innerText();
    expect(await score('partner:sp-music')).toBe('43.2');
    expect(await score('partner:sp-games')).toBe('81.6');
    expect(await score('partner:sp-news')).toBe('90');
    expect(await score('department:product')).toBe('83.98');
    expect(await score('department:billing')).toBe('77.92');
    expect(await score('department:network')).toBe('59.94');
    expect(await score('department:service')).toBe('49.96');
    const cell = (unit: string, item: string) => page.locator(`tr[data-unit="${unit}"] td[data-item="${item}"]`).innerText();
    // 000: C01 was not caused by poor handling: only C04 and C10 count (−8).
    expect(await cell('department:network', 'serviceComplaints')).toBe('12');
    expect(await cell('department:network', 'answerTimeliness')).toBe('not measured');
    expect(await cell('department:network', 'complaintRate')).toBe('13.94');
    expect(await cell('partner:sp-music', 'answerTimeliness')).toBe('2');
    expect(await page.locator('tr[data-unit="partner:sp-music"] .flag').innerText()).toBe('bottom ten · 2 seat(s) · ¥7200.00');
    expect(await page.locator('[data-deduction="partner:sp-music:serviceComplaints"]').allInnerTexts()).toEqual([
      'Service compl.: media exposure (媒体曝光) — 1 × 16 = −16 (C06)',
      'Service compl.: carrier complaint: transferred from a carrier branch (通信公司投诉) — 1 × 10 = −10 (C03)',
    ]);
    expect(await page.locator('tr[data-charge="sp-music"]').innerText()).toContain('¥138.00');

    const figure = (id: string) => page.locator(`[data-figure="${id}"] .value`).innerText();
    expect(await figure('submitted')).toBe('12');
    expect(await figure('resolution-rate')).toBe('80%');
    expect(await figure('handling-mean')).toBe('33.29 h');
    expect(await figure('handling-p90')).toBe('95 h');
    expect(await figure('sla-compliance')).toBe('80%');
    expect(await figure('vip-callbacks')).toBe('4/4');
    expect(await figure('satisfaction')).toBe('83.3%');

    // Three charts, drawn: the month's bars by category and two series over six months.
    expect(await page.locator('svg.chart').count()).toBe(3);
    expect(await page.locator('svg[aria-label="Volume by category"] text[data-category="network-quality"]').textContent()).toBe('4');
    expect(await page.locator('svg[aria-label="Volume by category over time"] rect').count()).toBeGreaterThan(10);
    expect(await page.locator('svg[aria-label^="SLA compliance"] circle').count()).toBeGreaterThanOrEqual(10);

    // The CSV link downloads the itemised scorecard.
    const href = await page.locator('nav a', { hasText: 'scorecard' }).getAttribute('href');
    const csv = await page.request.get(new URL(href!, `${baseUrl}/reports`).toString());
    expect(csv.headers()['content-type']).toMatch(/text\/csv/);
    expect(await csv.text()).toContain('sp-music');

    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, 'report-page.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(20_000);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows another month from the month picker', async () => {
    const page = await browser.newPage({ extraHTTPHeaders: auditor });
    await page.goto(`${baseUrl}/reports?month=2026-03`);
    await page.fill('input[name="month"]', '2026-04');
    await Promise.all([page.waitForURL(/month=2026-04/), page.click('button[type="submit"]')]);
    expect(await page.locator('h1').innerText()).toBe('Complaint report — assessment month 2026-04');
    // April holds B4 only: a carrier complaint against sp-news with a breached reply clock.
    expect(await page.locator('tr[data-unit="partner:sp-news"] td[data-item="serviceComplaints"]').innerText()).toBe('10');
    await page.close();
  });
});
