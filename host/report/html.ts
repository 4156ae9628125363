// A report as one self-contained HTML file: inline CSS, the charts as inline SVG rendered here in Node,
// no scripts and nothing loaded from anywhere (a Content-Security-Policy says so to the browser).
import * as vega from "vega";
import { compile } from "vega-lite";
import { boundStats } from "./bounds.ts";
import type { TopLevelSpec } from "vega-lite";
import { driftSummaryChart, nodeCharts, unitFor, type Chart } from "./charts.ts";
import type { Interval, NodeReportModel, ReportModel, TempcoSummary } from "./model.ts";
import { syncCharts } from "../sync/charts.ts";
import type { SyncSessionModel } from "../sync/store.ts";

export { boundStats };

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Vega-Lite → Vega → static SVG, with hover titles on the event rules. */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile(spec);
  const view = new vega.View(vega.parse(compiled.spec), { renderer: "none" });
  try {
    return addEventTitles(await view.toSVG());
  } finally {
    view.finalize();
  }
}

// Vega writes a tooltip only as the item's aria-label (its tooltips need a script); a <title> child
// makes the browser show it on hover. The attribute is already escaped for XML, so it is valid text.
function addEventTitles(svg: string): string {
  return svg.replace(
    /(<g class="mark-rule role-mark events_marks"[^>]*>)(.*?)(<\/g>)/gs,
    (_match, open: string, body: string, close: string) =>
      open +
      body.replace(
        /<line ([^>]*?)aria-label="([^"]*)"([^>]*?)\/>/g,
        '<line $1aria-label="$2"$3><title>$2</title></line>',
      ) +
      close,
  );
}

const dash = "—";

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : dash;
}

/** Decimals that show two significant digits of σ. */
function digitsFor(sigma: number): number {
  if (!Number.isFinite(sigma) || sigma <= 0) return 3;
  return Math.min(9, Math.max(0, 1 - Math.floor(Math.log10(sigma))));
}

function formatInterval(iv: Interval, unit: string): string {
  const d = digitsFor(iv.sigma);
  return `${fixed(iv.value, d)} ± ${fixed(iv.sigma, d)}${unit ? ` ${unit}` : ""}`;
}

function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return dash;
  const unit = unitFor(Math.abs(ns));
  const v = ns / unit.ns;
  const abs = Math.abs(v);
  return `${v.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : 2)} ${unit.name}`;
}

/** Seconds since start as H:MM:SS. */
export function formatElapsed(t: number): string {
  if (!Number.isFinite(t)) return dash;
  const sign = t < 0 ? "-" : "";
  const whole = Math.floor(Math.abs(t));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const frac = Math.abs(t) - whole;
  const tenths = frac > 0 ? `.${Math.min(9, Math.floor(frac * 10))}` : "";
  return `${sign}${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}${tenths}`;
}

function formatSpan(s: number): string {
  if (!Number.isFinite(s)) return dash;
  return s >= 2 * 3600 ? `${(s / 3600).toFixed(1)} h` : `${Math.round(s)} s`;
}

function turnoverText(tempco: TempcoSummary | null): string {
  if (tempco === null) return dash;
  return tempco.turnoverC === null ? "none in range" : formatInterval(tempco.turnoverC, "°C");
}

function summaryTable(model: ReportModel): string {
  const head = [
    "node",
    "board",
    "oscillator",
    "records",
    "lost",
    "drift (ppm ± σ)",
    "aging (ppm/day ± σ)",
    "tempco turnover",
    "95 % bound, worst / median",
  ];
  const rows = model.nodes.map((n, i) => {
    const bound = boundStats(n.clock);
    const cells = [
      `<a href="#node-${i + 1}">${escapeHtml(n.name)}</a>`,
      escapeHtml(n.board),
      escapeHtml(n.oscillator),
      String(n.records),
      String(n.lostRecords),
      n.drift ? formatInterval(n.drift.offsetPpm, "") : dash,
      n.drift?.agingPpmPerDay ? formatInterval(n.drift.agingPpmPerDay, "") : dash,
      turnoverText(n.tempco),
      bound ? `± ${formatNs(bound.worstNs)} / ± ${formatNs(bound.medianNs)}` : dash,
    ];
    return `<tr>${cells.map((c, j) => `<td${j >= 3 ? ' class="num"' : ""}>${c}</td>`).join("")}</tr>`;
  });
  return (
    `<table class="summary"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>` +
    `<tbody>\n${rows.join("\n")}\n</tbody></table>`
  );
}

function definitionList(items: [string, string][]): string {
  return `<dl>${items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join("")}</dl>`;
}

function driftBlock(node: NodeReportModel): string {
  const drift = node.drift;
  if (drift === null) return `<p class="no-data">No drift fit.</p>`;
  const o = drift.offsetPpm;
  const d = digitsFor(o.sigma);
  const items: [string, string][] = [
    ["frequency offset", `${formatInterval(o, "ppm")} (1 σ)`],
    ["95 % interval", `[${fixed(o.value - 1.96 * o.sigma, d)}, ${fixed(o.value + 1.96 * o.sigma, d)}] ppm`],
    ["aging", drift.agingPpmPerDay ? `${formatInterval(drift.agingPpmPerDay, "ppm/day")} (1 σ)` : dash],
    ["fitted over", `${formatSpan(drift.spanS)}, ${drift.points} points`],
  ];
  return definitionList(items);
}

const COEFFICIENT_UNITS = ["ppm", "ppm/°C", "ppm/°C²", "ppm/°C³"];

function tempcoBlock(node: NodeReportModel): string {
  const t = node.tempco;
  if (t === null) return `<p class="no-data">No temperature coefficient fit.</p>`;
  const coefficients = t.coefficients
    .map((c, i) => `c${i} = ${formatInterval(c, COEFFICIENT_UNITS[i] ?? "")}`)
    .join("<br>");
  const items: [string, string][] = [
    ["model", `${escapeHtml(t.model)} in (T − ${fixed(t.referenceC, 1)} °C)`],
    ["coefficients", coefficients],
    ["turnover", turnoverText(t)],
    [
      "measured range",
      `${fixed(t.temperatureRangeC[0], 1)} – ${fixed(t.temperatureRangeC[1], 1)} °C, ${t.points} points`,
    ],
  ];
  return definitionList(items);
}

function eventsTable(node: NodeReportModel): string {
  if (node.events.length === 0) return `<p class="no-data">No events.</p>`;
  const rows = node.events.map(
    (e) =>
      `<tr><td class="num">${formatElapsed(e.t)}</td><td>${escapeHtml(e.source)}</td>` +
      `<td><code>${escapeHtml(e.code)}</code></td><td>${escapeHtml(e.value)}</td></tr>`,
  );
  return (
    `<table class="events"><thead><tr><th>time</th><th>source</th><th>code</th><th>value</th></tr></thead>` +
    `<tbody>\n${rows.join("\n")}\n</tbody></table>`
  );
}

function intervalsTable(node: NodeReportModel): string {
  if (node.intervals.length === 0)
    return `<p class="no-data">Not enough labelled PPS edges to measure how the clock keeps time between them.</p>`;
  const percent = (share: number) => (Number.isFinite(share) ? `${(100 * share).toFixed(1)} %` : dash);
  const rows = node.intervals.map(
    (i) =>
      `<tr><td class="num">${formatSpan(i.horizonS)}</td><td class="num">±${formatNs(i.halfWidth95Ns)}</td>` +
      `<td class="num">${percent(i.coverage95)}</td><td class="num">±${formatNs(i.neededHalfWidth95Ns)}</td>` +
      `<td class="num">±${formatNs(i.halfWidthHardNs)}</td><td class="num">${percent(i.coverageHard)}</td>` +
      `<td class="num">${i.checkSamples}</td></tr>`,
  );
  return (
    `<p>The board clock as a reading of UTC, some time after its last GPS pulse (a line through the ` +
    `preceding 5 minutes of phase, extrapolated): bounds set on the first half of the record, checked on the second.</p>` +
    `<table class="intervals"><thead><tr><th>since last pulse</th><th>95 % bound</th><th>held</th>` +
    `<th>needed for 95 %</th><th>hard bound</th><th>held</th><th>checks</th></tr></thead>` +
    `<tbody>\n${rows.join("\n")}\n</tbody></table>`
  );
}

async function figure(chart: Chart): Promise<string> {
  const id = escapeHtml(chart.id);
  const title = `<strong>${escapeHtml(chart.title)}</strong>`;
  if (chart.spec === null) {
    return (
      `<figure class="chart empty" id="${id}" data-note="${id}"><figcaption>${title}</figcaption>` +
      `<p class="no-data">${escapeHtml(chart.note)}</p></figure>`
    );
  }
  const svg = await renderChartSvg(chart.spec);
  return (
    `<figure class="chart" id="${id}" data-chart="${id}">` +
    `<figcaption>${title} ${escapeHtml(chart.caption)}</figcaption>\n${svg}\n</figure>`
  );
}

async function nodeSection(node: NodeReportModel, index: number): Promise<string> {
  const prefix = `node-${index + 1}`;
  const meta = [
    `board ${escapeHtml(node.board)}`,
    `serial ${escapeHtml(node.serial)}`,
    escapeHtml(node.oscillator),
    `boot ${node.bootId === null ? dash : escapeHtml(node.bootId)}`,
    `${node.records} records, ${node.lostRecords} lost`,
  ].join(" · ");
  const figures: string[] = [];
  for (const chart of nodeCharts(node, prefix)) figures.push(await figure(chart));
  return [
    `<section class="node" id="${prefix}">`,
    `<h2>${escapeHtml(node.name)}</h2>`,
    `<p class="meta">${meta}</p>`,
    `<div class="numbers">`,
    `<div><h3>Drift</h3>${driftBlock(node)}</div>`,
    `<div><h3>Temperature coefficient</h3>${tempcoBlock(node)}</div>`,
    `</div>`,
    `<h3>Error interval of a clock reading</h3>`,
    intervalsTable(node),
    `<h3>Events</h3>`,
    eventsTable(node),
    `<h3>Charts</h3>`,
    ...figures,
    `</section>`,
  ].join("\n");
}

async function syncSection(session: SyncSessionModel, index: number): Promise<string> {
  const prefix = `sync-${index + 1}`;
  const meta = [
    `${escapeHtml(session.role)} of ${session.peer === null ? dash : escapeHtml(session.peer)}`,
    `session ${escapeHtml(session.session)}`,
    `${session.exchanges} exchanges`,
    `median |offset| ${formatNs(session.medianAbsOffsetNs)}`,
    `median delay ${formatNs(session.medianDelayNs)}`,
    `median bound ±${formatNs(session.medianBoundNs)}`,
  ].join(" · ");
  const figures: string[] = [];
  for (const chart of syncCharts(session, prefix)) figures.push(await figure(chart));
  return [
    `<section class="sync" id="${prefix}">`,
    `<h2>PTP session ${index + 1}</h2>`,
    `<p class="meta">${meta}</p>`,
    ...figures,
    `</section>`,
  ].join("\n");
}

const CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0 auto;
  max-width: 1100px; padding: 1.5rem; color: #1d1d1f; background: #fafafa; line-height: 1.4; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2.5rem 0 .25rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.meta { color: #555; margin: 0 0 1rem; }
table { border-collapse: collapse; font-size: .9rem; background: white; }
th, td { border: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.numbers { display: flex; flex-wrap: wrap; gap: 2rem; }
dl { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; margin: 0; }
dt { color: #555; }
dd { margin: 0; font-variant-numeric: tabular-nums; }
figure.chart { margin: 1rem 0; padding: .5rem; background: white; border: 1px solid #e2e2e2; }
figcaption { font-size: .9rem; margin-bottom: .4rem; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
.no-data { color: #777; font-style: italic; margin: .3rem 0; }
code { font-size: .9em; }
`;

export async function renderHtml(model: ReportModel): Promise<string> {
  const summary = await figure(driftSummaryChart(model, "summary-drift"));
  const sections: string[] = [];
  for (const [i, node] of model.nodes.entries()) sections.push(await nodeSection(node, i));
  for (const [i, session] of (model.sync ?? []).entries()) sections.push(await syncSection(session, i));
  return [
    "<!doctype html>",
    `<html lang="en">`,
    "<head>",
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(model.title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    `<header><h1>${escapeHtml(model.title)}</h1>`,
    `<p class="meta">Generated ${escapeHtml(model.generatedAt)} from ${escapeHtml(model.source)}; ` +
      `${model.nodes.length} node${model.nodes.length === 1 ? "" : "s"}.</p></header>`,
    `<section id="summary"><h2>Summary</h2>`,
    model.nodes.length > 0 ? summaryTable(model) : `<p class="no-data">No nodes.</p>`,
    summary,
    "</section>",
    ...sections,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
