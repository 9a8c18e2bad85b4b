/** The report page's warnings: the calendar running out, placeholder figures. */
import { join } from 'node:path';
import { renderReportPage, type ReportPageData } from '../../api/reports/page';
import { loadAssessment } from '../../config/settings';
import { coverageWarning } from '../../domain/calendar';
import { classificationReport, resolutionReport, slaReport } from '../../archive/reports';
import { scorecard } from '../../archive/scorecard';
import { shippedCalendar } from '../support/fixtures';

const assessment = loadAssessment(join(__dirname, '..', '..', 'config', 'assessment.json'));
const at = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);

function page(overrides: Partial<ReportPageData> = {}): string {
  return renderReportPage({
    month: '2026-12',
    tzOffsetMinutes: 480,
    generatedAt: at('2026-12-01 09:00'),
    classification: classificationReport([]),
    sla: slaReport([]),
    resolution: resolutionReport([]),
    scorecard: scorecard([], assessment, '2026-12'),
    trend: [],
    cases: [],
    ...overrides,
  });
}

describe('the report page', () => {
  it('shows the calendar warning while the data is running out, and nothing otherwise', () => {
    const warning = coverageWarning(shippedCalendar, at('2026-12-01 09:00'));
    expect(warning).toBeDefined();
    const html = page({ calendarWarning: warning });
    expect(html).toContain('data-warning="calendar"');
    expect(html).toMatch(/Business calendar running out:.*config\/calendars\/cn\/2027\.json/);
    expect(page()).not.toContain('data-warning="calendar"');
  });
});

describe('the scorecard on the page', () => {
  it('marks every placeholder figure, and says "not measured" instead of showing full marks', () => {
    const card = scorecard([], assessment, '2026-12');
    expect(card.placeholders.length).toBeGreaterThan(0);
    const html = page({ scorecard: card });
    expect(html).toContain('data-warning="placeholders"');
    expect(html).toContain('<code>emergencySeats.seatCostFen</code>');
    // The shipped departments have no sampled answer rate.
    expect(html).toMatch(/<td data-item="answerTimeliness" class="unmeasured" title="not measured: no sampled answer rate \(answerTimelinessPct\)">not measured<\/td>/);
  });

  it('flags a partner whose customer-service cost exceeds its revenue (000 §2d), and marks its revenue as a placeholder', () => {
    const shipped = scorecard([], assessment, '2026-12');
    const [sp] = shipped.partners;
    expect(sp!.termination).toMatchObject({ terminate: false, measured: true });
    expect(page({ scorecard: shipped })).not.toContain('data-flag="termination-recommended"');
    const costly = { ...shipped, partners: [{ ...sp!, termination: { ...sp!.termination!, terminate: true, costFen: 6_000_000, revenueFen: 5_000_000, reason: 'cost above revenue' } }] };
    expect(page({ scorecard: costly })).toMatch(/data-flag="termination-recommended" title="cost above revenue">terminate partnership recommended \(000 §2d\): cost .*60[, ]?000.* &gt; revenue .*50[, ]?000/);
    expect(page({ scorecard: shipped })).toContain('<code>partners.sp-example.monthlyRevenueFen</code>');
  });

  it('shows no placeholder note when there is none', () => {
    expect(page({ scorecard: { ...scorecard([], assessment, '2026-12'), placeholders: [] } })).not.toContain('data-warning="placeholders"');
  });
});
