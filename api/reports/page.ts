/**
 * The report page an auditor reads: the month's scorecard with every deduction, the classification
 * statistics, SLA compliance, resolution and callbacks, and charts of volume by category, SLA
 * compliance and satisfaction over time. One self-contained HTML document: the charts are SVG drawn
 * here on the server, no script, no external resource (the CSP forbids them).
 */
import type { KnowledgeBaseEntry } from '../../archive/store';
import { yuan } from '../../archive/summary';
import type { CoverageWarning } from '../../domain/calendar';
import { categories } from '../../domain/complaint';
import type { ClassificationReport, ResolutionReport, SlaReport, TrendPoint } from '../../archive/reports';
import { classificationColumns } from '../../archive/reports';
import { scoreItemKeys, scoreItemTitles, type Scorecard, type UnitScore } from '../../archive/scorecard';

export interface ReportPageData {
  month: string;
  tzOffsetMinutes: number;
  generatedAt: Date;
  classification: ClassificationReport;
  sla: SlaReport;
  resolution: ResolutionReport;
  scorecard: Scorecard;
  /** Oldest first, ending with `month`. */
  trend: TrendPoint[];
  cases: KnowledgeBaseEntry[];
  /** The business calendar running out: shown above everything. */
  calendarWarning?: CoverageWarning;
}

/** The Content-Security-Policy the page is served with: nothing but itself. */
export const reportPageCsp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const esc = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const fmtPct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${v}%`);
const fmtNum = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : String(v));

const palette = ['#2563eb', '#d97706', '#059669', '#db2777', '#6b7280', '#7c3aed', '#0891b2'];

/** An instant as local time at the given offset: "2026-02-21 00:00". */
function localTime(iso: string, offsetMinutes: number): string {
  const d = new Date(Date.parse(iso) + offsetMinutes * 60_000);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

function offsetLabel(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

// ---- Charts (SVG) ----

function niceMax(v: number): number {
  if (v <= 5) return 5;
  const step = 10 ** Math.floor(Math.log10(v));
  return Math.ceil(v / step) * step;
}

/** Horizontal bars: one per category, with its count. */
function categoryBars(r: ClassificationReport): string {
  const rows = r.rows;
  const max = niceMax(Math.max(...rows.map((x) => x.total), 1));
  const w = 520;
  const labelW = 150;
  const barH = 22;
  const h = rows.length * (barH + 10) + 20;
  const bars = rows
    .map((row, i) => {
      const y = 10 + i * (barH + 10);
      const bw = ((w - labelW - 50) * row.total) / max;
      return `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(row.category)}</text>
<rect x="${labelW}" y="${y}" width="${bw.toFixed(1)}" height="${barH}" fill="${palette[i % palette.length]}"><title>${esc(row.category)}: ${row.total}</title></rect>
<text x="${(labelW + bw + 6).toFixed(1)}" y="${y + 15}" data-category="${esc(row.category)}">${row.total}</text>`;
    })
    .join('\n');
  return `<svg role="img" aria-label="Volume by category" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" class="chart">${bars}</svg>`;
}

/** Stacked columns: complaints per month, split by category. */
function volumeOverTime(trend: TrendPoint[]): string {
  const cats = [...(categories as readonly string[])];
  const w = 580;
  const h = 260;
  const left = 40;
  const bottom = 40;
  const top = 20;
  const plotH = h - bottom - top;
  const max = niceMax(Math.max(...trend.map((t) => t.submitted), 1));
  const slot = (w - left - 10) / Math.max(trend.length, 1);
  const barW = Math.min(48, slot * 0.6);
  const grid = [0, 0.5, 1]
    .map((f) => {
      const y = top + plotH * (1 - f);
      return `<line x1="${left}" x2="${w - 10}" y1="${y}" y2="${y}" stroke="#e5e7eb"/><text x="${left - 6}" y="${y + 4}" text-anchor="end" class="axis">${Math.round(max * f)}</text>`;
    })
    .join('');
  const columns = trend
    .map((t, i) => {
      const x = left + slot * i + (slot - barW) / 2;
      let y = top + plotH;
      const segments = cats
        .map((c, ci) => {
          const n = t.byCategory[c] ?? 0;
          if (!n) return '';
          const sh = (plotH * n) / max;
          y -= sh;
          return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${sh.toFixed(1)}" fill="${palette[ci % palette.length]}"><title>${esc(t.label)} ${esc(c)}: ${n}</title></rect>`;
        })
        .join('');
      return `${segments}<text x="${(x + barW / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" class="value">${t.submitted}</text>
<text x="${(x + barW / 2).toFixed(1)}" y="${h - bottom + 16}" text-anchor="middle" class="axis">${esc(t.label)}</text>`;
    })
    .join('\n');
  // Each legend entry as wide as its label (under 6 px a character at this size).
  let lx = left;
  const legend = cats
    .map((c, i) => {
      const entry = `<rect x="${lx}" y="${h - 14}" width="10" height="10" fill="${palette[i % palette.length]}"/><text x="${lx + 14}" y="${h - 5}" class="axis">${esc(c)}</text>`;
      lx += 22 + c.length * 5.8;
      return entry;
    })
    .join('');
  return `<svg role="img" aria-label="Volume by category over time" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" class="chart">${grid}${columns}${legend}</svg>`;
}

/** Lines on a 0–100% scale: SLA compliance, satisfaction and resolution rate per month. */
function ratesOverTime(trend: TrendPoint[]): string {
  const series: Array<{ name: string; key: 'slaCompliancePct' | 'satisfactionPct' | 'resolutionRatePct'; color: string }> = [
    { name: 'SLA compliance', key: 'slaCompliancePct', color: '#2563eb' },
    { name: 'Satisfaction', key: 'satisfactionPct', color: '#059669' },
    { name: 'Resolution rate', key: 'resolutionRatePct', color: '#d97706' },
  ];
  const w = 560;
  const h = 260;
  const left = 40;
  const bottom = 40;
  const top = 20;
  const plotH = h - bottom - top;
  const slot = (w - left - 10) / Math.max(trend.length, 1);
  const xOf = (i: number) => left + slot * i + slot / 2;
  const yOf = (v: number) => top + plotH * (1 - v / 100);
  const grid = [0, 50, 80, 100]
    .map((v) => `<line x1="${left}" x2="${w - 10}" y1="${yOf(v)}" y2="${yOf(v)}" stroke="${v === 80 ? '#fca5a5' : '#e5e7eb'}"${v === 80 ? ' stroke-dasharray="4 3"' : ''}/><text x="${left - 6}" y="${yOf(v) + 4}" text-anchor="end" class="axis">${v}%</text>`)
    .join('');
  const labels = trend.map((t, i) => `<text x="${xOf(i).toFixed(1)}" y="${h - bottom + 16}" text-anchor="middle" class="axis">${esc(t.label)}</text>`).join('');
  const lines = series
    .map((s) => {
      const pts = trend.map((t, i) => ({ i, v: t[s.key] })).filter((p): p is { i: number; v: number } => p.v !== null);
      // Months without data leave a gap: the path restarts after one.
      let d = '';
      let prev = -2;
      for (const p of pts) {
        d += `${p.i === prev + 1 ? 'L' : 'M'}${xOf(p.i).toFixed(1)} ${yOf(p.v).toFixed(1)} `;
        prev = p.i;
      }
      const dots = pts
        .map((p) => `<circle cx="${xOf(p.i).toFixed(1)}" cy="${yOf(p.v).toFixed(1)}" r="3.5" fill="${s.color}"><title>${esc(s.name)} ${esc(trend[p.i]!.label)}: ${p.v}%</title></circle>`)
        .join('');
      return `<path d="${d.trim()}" fill="none" stroke="${s.color}" stroke-width="2"/>${dots}`;
    })
    .join('\n');
  const legend = series
    .map((s, i) => `<rect x="${left + i * 140}" y="${h - 14}" width="10" height="10" fill="${s.color}"/><text x="${left + i * 140 + 14}" y="${h - 5}" class="axis">${esc(s.name)}</text>`)
    .join('');
  return `<svg role="img" aria-label="SLA compliance, satisfaction and resolution rate over time" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" class="chart">${grid}${labels}${lines}${legend}</svg>`;
}

// ---- Tables ----

const shortTitles: Record<(typeof scoreItemKeys)[number], string> = {
  hotline: 'Hotline',
  mobileContact: 'Mobile',
  serviceComplaints: 'Service compl.',
  answerTimeliness: 'Answer',
  handlingTime: 'Handling time',
  resolutionRate: 'Resolution',
  complaintRate: 'Compl. rate',
};

function scorecardTable(kind: string, units: UnitScore[]): string {
  if (units.length === 0) return `<p class="muted">No ${esc(kind)} to assess this month.</p>`;
  const maxOf = (key: string) => units[0]!.items.find((i) => i.key === key)?.maxPoints ?? '';
  const head = scoreItemKeys.map((k) => `<th title="${esc(scoreItemTitles[k])}">${esc(shortTitles[k])}<br><small>${maxOf(k)}</small></th>`).join('');
  const rows = units
    .map((u) => {
      const cells = scoreItemKeys
        .map((k) => {
          const i = u.items.find((x) => x.key === k)!;
          // A line without its input is not a measurement: say so instead of showing full marks.
          if (i.measured === false) return `<td data-item="${k}" class="unmeasured" title="${esc(i.measure)}">not measured</td>`;
          const cls = i.points < i.maxPoints ? ' class="lost"' : '';
          return `<td data-item="${k}"${cls} title="${esc(i.measure)}">${i.points}</td>`;
        })
        .join('');
      const flags = [
        u.bottomTen ? `<span class="flag">bottom ten · ${u.emergencySeats} seat(s) · ${esc(yuan(u.emergencySeatFeeFen))}</span>` : '',
        u.configured === false ? '<span class="flag" data-flag="unconfigured">not configured: no seats charged</span>' : '',
        u.bonus ? `<span class="bonus" data-flag="bonus" title="${esc(u.bonus.rule)}">+${u.bonus.points} top three twice (000 §4.8) = ${u.totalScore}</span>` : '',
        u.suspension?.inForce ? '<span class="flag" data-flag="suspended">suspended (000 §2d)</span>' : u.suspension?.suspend ? `<span class="flag" data-flag="suspension-proposed" title="${esc(u.suspension.reasons.join('; '))}">suspension proposed (000 §2d)</span>` : '',
        u.termination?.terminate ? `<span class="flag" data-flag="termination-recommended" title="${esc(u.termination.reason)}">terminate partnership recommended (000 §2d): cost ${esc(yuan(u.termination.costFen))} &gt; revenue ${esc(yuan(u.termination.revenueFen ?? 0))}</span>` : '',
      ].filter(Boolean);
      const flag = flags.join(' ');
      return `<tr data-unit="${esc(`${u.kind}:${u.unit}`)}" data-score="${u.score}"><td>${u.rank}</td><th scope="row">${esc(u.unit)}</th><td class="score">${u.score}</td>${cells}<td>${u.complaints}</td><td>${flag}</td></tr>`;
    })
    .join('\n');
  return `<table class="scorecard"><thead><tr><th>Rank</th><th>${esc(kind)}</th><th>Score<br><small>100</small></th>${head}<th>Complaints</th><th>Emergency seats (000 §5)</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function deductionList(units: UnitScore[]): string {
  return units
    .map((u) => {
      const lines = u.items.flatMap((i) =>
        i.deductions.map(
          (d) =>
            `<li data-deduction="${esc(`${u.kind}:${u.unit}:${i.key}`)}"><b>${esc(shortTitles[i.key])}</b>: ${esc(d.rule)} — ${d.count} × ${d.pointsEach} = <b>−${d.points}</b>${d.complaintIds?.length ? ` <small>(${esc(d.complaintIds.join(', '))})</small>` : ''}</li>`,
        ),
      );
      const capped = u.items
        .filter((i) => i.deductions.reduce((sum, d) => sum + d.points, 0) > i.maxPoints)
        .map((i) => `<li class="muted">${esc(shortTitles[i.key])}: deductions exceed the line's ${i.maxPoints} points; it scores 0</li>`);
      lines.push(...capped);
      const missing = u.missingInputs.length ? `<li class="muted">inputs missing in config/assessment.json: ${esc(u.missingInputs.join(', '))}</li>` : '';
      const body = lines.length || missing ? `<ul>${lines.join('')}${missing}</ul>` : '<p class="muted">No deductions.</p>';
      return `<div class="unit"><h4>${esc(u.unit)} <small>${u.score} / 100</small></h4>${body}</div>`;
    })
    .join('\n');
}

function classificationTable(r: ClassificationReport): string {
  const labels: Record<string, string> = { upheld: 'Upheld', notUpheld: 'Not upheld', withdrawn: 'Withdrawn', resolved: 'Resolved', escalated: 'Escalated', open: 'Open' };
  const head = classificationColumns.map((c) => `<th>${labels[c]}</th>`).join('');
  const row = (x: ClassificationReport['rows'][number], total = false) =>
    `<tr${total ? ' class="total"' : ''} data-category="${esc(x.category)}"><th scope="row">${esc(x.category)}</th><td>${x.total}</td><td>${fmtPct(x.sharePct)}</td>${classificationColumns
      .map((c) => `<td>${x.counts[c]} <small>${fmtPct(x.sharesPct[c])}</small></td>`)
      .join('')}</tr>`;
  return `<table><thead><tr><th>Category</th><th>Total</th><th>Share</th>${head}</tr></thead><tbody>${r.rows.map((x) => row(x)).join('')}${row(r.totals, true)}</tbody></table>
<p class="muted">Columns overlap as on the paper form (004): an upheld complaint can also be escalated and resolved.</p>`;
}

function slaTables(r: SlaReport): string {
  const clocks = r.clocks
    .map((c) => `<tr data-clock="${esc(c.clock)}"><th scope="row">${esc(c.clock)}</th><td>${c.started}</td><td>${c.met}</td><td>${c.warned}</td><td>${c.breached}</td><td>${c.metLate}</td><td>${c.running}</td><td>${c.cancelled}</td><td><b>${fmtPct(c.compliancePct)}</b></td></tr>`)
    .join('');
  const esc2 = r.escalations.byLevelAndTrigger.map((e) => `<tr><td>${e.level}</td><td class="text">${esc(e.trigger)}</td><td>${e.count}</td></tr>`).join('');
  return `<table><thead><tr><th>Clock</th><th>Started</th><th>Met</th><th>Warned</th><th>Breached</th><th>Met late</th><th>Running</th><th>Cancelled</th><th>Compliance</th></tr></thead>
<tbody>${clocks}<tr class="total"><th scope="row">all</th><td></td><td>${r.overall.met}</td><td></td><td>${r.overall.breached}</td><td colspan="3"></td><td><b>${fmtPct(r.overall.compliancePct)}</b></td></tr></tbody></table>
<p>Promised times (001): ${r.promises.total} given, ${r.promises.kept} kept, <b>${r.promises.missed} missed</b>, ${r.promises.pending} pending.</p>
<table><thead><tr><th>Level</th><th>Trigger</th><th>Escalations</th></tr></thead><tbody>${esc2 || '<tr><td colspan="3" class="muted">none</td></tr>'}</tbody></table>`;
}

/** Every placeholder figure behind the scorecard (config/assessment.json, config/policy.json). */
function placeholderNote(sc: Scorecard): string {
  const list = sc.placeholders ?? [];
  if (list.length === 0) return '';
  return `<div class="warning" data-warning="placeholders"><b>Placeholder figures</b> (not yet the deployment's real numbers; scores and charges built on them are provisional):<ul>${list
    .map((p) => `<li><code>${esc(p.path)}</code>: ${esc(p.note)}</li>`)
    .join('')}</ul></div>`;
}

function figure(label: string, value: string, id: string, note = ''): string {
  return `<div class="figure" data-figure="${id}"><div class="value">${esc(value)}</div><div class="label">${esc(label)}</div>${note ? `<div class="note">${esc(note)}</div>` : ''}</div>`;
}

export function renderReportPage(d: ReportPageData): string {
  const { resolution: res, scorecard: sc } = d;
  const tz = offsetLabel(d.tzOffsetMinutes);
  const from = localTime(sc.window.from, d.tzOffsetMinutes);
  const toInclusive = localTime(new Date(Date.parse(sc.window.to) - 86_400_000).toISOString(), d.tzOffsetMinutes).slice(0, 10);
  const q = `month=${encodeURIComponent(d.month)}`;
  const charges = sc.partnerCharges
    .map((c) => `<tr data-charge="${esc(c.partner)}"><th scope="row">${esc(c.partner)}</th><td>${c.cases}</td><td>${esc(yuan(c.refundFen))}</td><td>${esc(yuan(c.costsFen))}</td><td>${esc(yuan(c.handlingFeeFen))}</td><td><b>${esc(yuan(c.totalFen))}</b></td><td><small>${esc(c.complaintIds.join(', '))}</small></td></tr>`)
    .join('');
  const cases = d.cases
    .map((c) => `<li><b>${esc(c.complaintId)}</b> <small>${esc(c.category)} · ${esc(c.outcome ?? c.stage)}</small><br>Cause: ${esc(c.cause)}<br>Remedy: ${esc(c.remedy)}<br>Lesson: ${esc(c.lesson)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Complaint report ${esc(d.month)}</title>
<style>
body{font-family:system-ui,-apple-system,"DejaVu Sans",sans-serif;margin:24px;color:#111827;max-width:1180px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}h4{margin:8px 0 4px}
.muted{color:#6b7280}small{color:#6b7280}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #e5e7eb;padding:4px 8px;text-align:right}th[scope=row],thead th:first-child{text-align:left}th[scope=row]{white-space:nowrap}
thead th{background:#f3f4f6;text-align:center}td.text{text-align:left}tr.total{font-weight:600;background:#f9fafb}td.lost{color:#b91c1c}td.score{font-weight:700}
.warning{background:#fef3c7;border:1px solid #f59e0b;padding:6px 10px;border-radius:4px}
td.unmeasured{color:#92400e;font-style:italic}.bonus{background:#dcfce7;color:#166534;padding:1px 6px;border-radius:4px;white-space:nowrap}
.flag{background:#fee2e2;color:#991b1b;padding:1px 6px;border-radius:4px;white-space:nowrap}
.figures{display:flex;flex-wrap:wrap;gap:12px}.figure{border:1px solid #e5e7eb;border-radius:6px;padding:8px 14px;min-width:130px}
.figure .value{font-size:22px;font-weight:700}.figure .label{font-size:12px;color:#374151}.figure .note{font-size:11px;color:#b91c1c}
.charts{display:flex;flex-wrap:wrap;gap:16px 32px}.charts figure{margin:0}figcaption{font-size:14px;margin-bottom:4px}.chart text{font-size:11px;fill:#111827}.chart .axis{fill:#6b7280}.chart .value{font-weight:600}
.units{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:4px 24px;font-size:13px}.units ul{margin:0;padding-left:18px}
nav a{margin-right:12px}
</style></head>
<body>
<header>
<h1>Complaint report — assessment month ${esc(d.month)}</h1>
<p class="muted">Window ${esc(from)} to ${esc(toInclusive)} 24:00 (${esc(tz)}), per seed 000 §4: the 21st of last month to the 20th of this month. Generated ${esc(d.generatedAt.toISOString())}.</p>
<form method="get" action=""><label>Month <input type="month" name="month" value="${esc(d.month)}"></label> <button type="submit">Show</button></form>
${d.calendarWarning ? `<p class="warning" data-warning="calendar"><b>Business calendar ${esc(d.calendarWarning.severity === 'expired' ? 'expired' : 'running out')}:</b> ${esc(d.calendarWarning.message)}</p>` : ''}
<nav>CSV: <a href="reports/scorecard?${q}&amp;format=csv">scorecard</a><a href="reports/classification?${q}&amp;format=csv">classification</a><a href="reports/sla?${q}&amp;format=csv">SLA</a><a href="reports/resolution?${q}&amp;format=csv">resolution</a><a href="knowledge-base?format=csv">knowledge base</a></nav>
</header>

<h2>Key figures</h2>
<div class="figures">
${figure('Complaints submitted', String(res.submitted), 'submitted')}
${figure('Resolved', String(res.resolved), 'resolved')}
${figure('Accepted by silence', String(res.acceptedBySilence), 'accepted-by-silence', res.acceptedBySilence ? 'not counted as resolved (002)' : '')}
${figure('Resolution rate', fmtPct(res.resolutionRatePct), 'resolution-rate')}
${figure('Handling time, mean', res.handlingTime.meanHours === null ? '—' : `${res.handlingTime.meanHours} h`, 'handling-mean')}
${figure('Handling time, p90', res.handlingTime.p90Hours === null ? '—' : `${res.handlingTime.p90Hours} h`, 'handling-p90')}
${figure('SLA compliance', fmtPct(d.sla.overall.compliancePct), 'sla-compliance')}
${figure('Repeat complaints', `${res.repeats.repeatComplaints} (${fmtPct(res.repeats.repeatRatePct)})`, 'repeats')}
${figure('Callback coverage', fmtPct(res.callbacks.coveragePct), 'callback-coverage')}
${figure('VIP callbacks', `${res.callbacks.vip.called}/${res.callbacks.vip.eligible}`, 'vip-callbacks', res.callbacks.vip.compliant ? '' : `below 100% (004): ${res.callbacks.vip.missing.join(', ')}`)}
${figure('Satisfaction', fmtPct(res.satisfaction.satisfactionPct), 'satisfaction')}
</div>

<h2>Charts</h2>
<div class="charts">
<figure><figcaption>Volume by category, ${esc(d.month)}</figcaption>${categoryBars(d.classification)}</figure>
<figure><figcaption>Volume by category over time</figcaption>${volumeOverTime(d.trend)}</figure>
<figure><figcaption>SLA compliance, satisfaction and resolution rate over time (dashed: 80%)</figcaption>${ratesOverTime(d.trend)}</figure>
</div>

<h2>Scorecard: departments</h2>
${scorecardTable('Department', sc.departments)}
<h2>Scorecard: partners</h2>
${scorecardTable('Partner', sc.partners)}
${placeholderNote(sc)}
<h2>Deductions, itemised</h2>
<div class="units">${deductionList([...sc.departments, ...sc.partners])}</div>
<h2>Partner charges for takeovers (000 §6)</h2>
${charges ? `<table><thead><tr><th>Partner</th><th>Cases</th><th>Refunds</th><th>Costs</th><th>Handling fee 30%</th><th>Total</th><th>Complaints</th></tr></thead><tbody>${charges}</tbody></table>` : '<p class="muted">No takeovers this month.</p>'}

<h2>Classification statistics (004)</h2>
${classificationTable(d.classification)}

<h2>SLA compliance, promised times, escalations</h2>
${slaTables(d.sla)}

<h2>Resolution and callbacks</h2>
<p>Resolved ${res.resolved} of ${res.submitted} (${fmtPct(res.resolutionRatePct)}); handling time over ${res.handlingTime.count} resolved: mean ${fmtNum(res.handlingTime.meanHours)} h, p90 ${fmtNum(res.handlingTime.p90Hours)} h.
Repeat complaints (same customer, same category): ${res.repeats.groups.map((g) => `${esc(g.customerId)}/${esc(g.category)} ×${g.complaintIds.length}`).join(', ') || 'none'}.
Callbacks: ${res.callbacks.called} of ${res.callbacks.eligible} eligible (${fmtPct(res.callbacks.coveragePct)}); VIP ${res.callbacks.vip.called} of ${res.callbacks.vip.eligible}; satisfied ${res.satisfaction.satisfied} of ${res.satisfaction.callbacks} (${fmtPct(res.satisfaction.satisfactionPct)}).</p>

<h2>Case summaries (knowledge base)</h2>
${cases ? `<ul>${cases}</ul>` : '<p class="muted">No archived cases this month.</p>'}
</body></html>`;
}
