// Vega-Lite specs for the charts of a report, as plain objects. A series with nothing to draw gives a
// short note instead of a spec, so an empty chart never reaches the page.
import type { TopLevelSpec } from "vega-lite";
import { SERVO_ACQUIRING, SERVO_HOLDOVER, SERVO_LOCKED, SERVO_NOGPS } from "../../firmware/src/servo.ts";
import type { ClockPoint, EventPoint, NodeReportModel, ReportModel, StabilitySeries } from "./model.ts";

interface ChartBase {
  /** Unique within the report: the figure's HTML id. */
  id: string;
  title: string;
}

export type Chart =
  (ChartBase & { spec: TopLevelSpec; caption: string }) | (ChartBase & { spec: null; note: string });

type Layer = Extract<TopLevelSpec, { layer: unknown }>["layer"][number];

const WIDTH = 760;
const HEIGHT = 200;
const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

const STAT_COLORS = { adev: "#1f6fb4", mdev: "#e4701e", tdev: "#2a9d3a" } as const;

const STATE_NAMES = ["NOGPS", "ACQUIRING", "LOCKED", "HOLDOVER"];
const STATE_COLORS = ["#9e9e9e", "#f2c94c", "#cfe8cf", "#f08a5d"];
const STATE_BY_VALUE: Record<number, string> = {
  [SERVO_NOGPS]: "NOGPS",
  [SERVO_ACQUIRING]: "ACQUIRING",
  [SERVO_LOCKED]: "LOCKED",
  [SERVO_HOLDOVER]: "HOLDOVER",
};

const BAND_NAMES = ["hard interval", "95 % interval", "error vs truth"];
const BAND_COLORS = ["#c6dbef", "#6baed6", "#111111"];

/** Seconds since start, or hours when the node's series span more than two hours. */
export interface TimeAxis {
  divisor: number;
  title: string;
  domain: [number, number];
}

export function timeAxis(node: NodeReportModel): TimeAxis {
  let lo = Infinity;
  let hi = -Infinity;
  const see = (t: number) => {
    if (!Number.isFinite(t)) return;
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  };
  for (const p of node.phase) see(p.t);
  for (const p of node.frequency) see(p.t);
  for (const p of node.clock) see(p.t);
  for (const p of node.temperature) see(p.t);
  for (const e of node.events) see(e.t);
  if (lo > hi) return { divisor: 1, title: "time since start (s)", domain: [0, 1] };
  // A single instant still needs a scale with some width.
  if (lo === hi) return { divisor: 1, title: "time since start (s)", domain: [lo - 1, hi + 1] };
  if (hi - lo > 2 * 3600)
    return { divisor: 3600, title: "time since start (h)", domain: [lo / 3600, hi / 3600] };
  return { divisor: 1, title: "time since start (s)", domain: [lo, hi] };
}

interface TimeUnit {
  name: string;
  ns: number;
}

const TIME_UNITS: TimeUnit[] = [
  { name: "s", ns: 1e9 },
  { name: "ms", ns: 1e6 },
  { name: "µs", ns: 1e3 },
  { name: "ns", ns: 1 },
];

/** The largest unit in which the biggest magnitude is at least 1 (ns below that). */
export function unitFor(maxAbsNs: number): TimeUnit {
  return TIME_UNITS.find((u) => maxAbsNs >= u.ns) ?? { name: "ns", ns: 1 };
}

function maxAbs(values: Iterable<number | null>): number {
  let m = 0;
  for (const v of values) if (v !== null && Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m;
}

function timeX(axis: TimeAxis) {
  return {
    field: "t",
    type: "quantitative",
    title: axis.title,
    scale: { domain: axis.domain, nice: false, zero: false },
  } as const;
}

function eventLayer(events: EventPoint[], axis: TimeAxis): Layer {
  return {
    // The name puts a class on the SVG group, which the HTML renderer uses to add hover titles.
    name: "events",
    data: {
      values: events.map((e) => ({ t: e.t / axis.divisor, tip: `${e.code}: ${e.value} (${e.source})` })),
    },
    mark: { type: "rule", color: "#7a7a7a", strokeDash: [4, 3], strokeWidth: 1 },
    encoding: {
      x: timeX(axis),
      tooltip: { field: "tip", type: "nominal" },
      description: { field: "tip", type: "nominal" },
    },
  };
}

function withEvents(layers: Layer[], node: NodeReportModel, axis: TimeAxis): Layer[] {
  return node.events.length > 0 ? [...layers, eventLayer(node.events, axis)] : layers;
}

function layered(layers: Layer[]): TopLevelSpec {
  return {
    $schema: SCHEMA,
    width: WIDTH,
    height: HEIGHT,
    background: "white",
    config: { legend: { orient: "right" }, axis: { labelFontSize: 11, titleFontSize: 11 } },
    layer: layers,
  };
}

const EVENTS_NOTE = "Dashed lines: events (hover for code and value).";

function lineChart(
  node: NodeReportModel,
  axis: TimeAxis,
  rows: { t: number; y: number }[],
  yTitle: string,
  color: string,
): TopLevelSpec {
  return layered(
    withEvents(
      [
        {
          data: { values: rows.map((r) => ({ t: r.t / axis.divisor, y: r.y })) },
          mark: { type: "line", color, strokeWidth: 1.2, aria: false },
          encoding: {
            x: timeX(axis),
            y: { field: "y", type: "quantitative", title: yTitle, scale: { zero: false } },
          },
        },
      ],
      node,
      axis,
    ),
  );
}

function phaseChart(node: NodeReportModel, id: string, axis: TimeAxis): Chart {
  const title = "Phase (time error against GPS)";
  if (node.phase.length === 0) return { id, title, spec: null, note: "No phase data." };
  const unit = unitFor(maxAbs(node.phase.map((p) => p.x * 1e9)));
  const rows = node.phase.map((p) => ({ t: p.t, y: (p.x * 1e9) / unit.ns }));
  const text = captionFor(node, `Time error of the board's clock against GPS, in ${unit.name}.`);
  return {
    id,
    title,
    caption: text,
    spec: lineChart(node, axis, rows, `time error (${unit.name})`, "#1f6fb4"),
  };
}

function frequencyChart(node: NodeReportModel, id: string, axis: TimeAxis): Chart {
  const title = "Frequency error";
  if (node.frequency.length === 0) return { id, title, spec: null, note: "No frequency data." };
  const rows = node.frequency.map((p) => ({ t: p.t, y: p.ppm }));
  const text = captionFor(
    node,
    `Fractional frequency error in ppm, averaged over ${node.frequencyAveragingS} s ` +
      `(+ = the board's clock runs fast).`,
  );
  return { id, title, caption: text, spec: lineChart(node, axis, rows, "frequency error (ppm)", "#7b3fa0") };
}

function temperatureChart(node: NodeReportModel, id: string, axis: TimeAxis): Chart {
  const title = "Temperature";
  if (node.temperature.length === 0) return { id, title, spec: null, note: "No temperature readings." };
  const rows = node.temperature.map((p) => ({ t: p.t, y: p.c }));
  const text = captionFor(node, "Board temperature, °C.");
  return { id, title, caption: text, spec: lineChart(node, axis, rows, "temperature (°C)", "#c0392b") };
}

/** The caption's sentences, with the events' key when the chart draws events. */
function captionFor(node: NodeReportModel, ...sentences: string[]): string {
  return (node.events.length > 0 ? [...sentences, EVENTS_NOTE] : sentences).join(" ");
}

interface StateSpan {
  t0: number;
  t1: number;
  state: string;
}

/** Runs of equal servo state, each lasting until the first reading of the next run. */
export function servoSpans(clock: ClockPoint[]): StateSpan[] {
  const sorted = [...clock].sort((a, b) => a.t - b.t);
  const spans: StateSpan[] = [];
  for (const p of sorted) {
    const state = STATE_BY_VALUE[p.servoState] ?? `state ${p.servoState}`;
    const last = spans[spans.length - 1];
    if (last) last.t1 = p.t;
    if (!last || last.state !== state) spans.push({ t0: p.t, t1: p.t, state });
  }
  return spans;
}

function clockChart(node: NodeReportModel, id: string, axis: TimeAxis): Chart {
  const title = "Offset and error bounds";
  if (node.clock.length === 0) {
    return { id, title, spec: null, note: "No clock readings (the board does not report its UTC clock)." };
  }
  const hasTruth = node.clock.some((p) => p.errorNs !== null);
  const bands = hasTruth ? 3 : 2;
  const unit = unitFor(maxAbs(node.clock.flatMap((p) => [p.earliestHardNs, p.latestHardNs, p.errorNs])));
  const rows = node.clock.map((p) => ({
    t: p.t / axis.divisor,
    hardLo: p.earliestHardNs / unit.ns,
    hardHi: p.latestHardNs / unit.ns,
    lo95: p.earliest95Ns / unit.ns,
    hi95: p.latest95Ns / unit.ns,
    error: p.errorNs === null ? null : p.errorNs / unit.ns,
  }));
  const spans = servoSpans(node.clock).map((s) => ({
    t0: s.t0 / axis.divisor,
    t1: s.t1 / axis.divisor,
    state: s.state,
  }));
  const yTitle = `offset (${unit.name})`;
  const y = { type: "quantitative", title: yTitle, scale: { zero: false } } as const;
  const color = (name: string) =>
    ({
      datum: name,
      type: "nominal",
      scale: { domain: BAND_NAMES.slice(0, bands), range: BAND_COLORS.slice(0, bands) },
      legend: { title: null, symbolType: "square" },
    }) as const;
  const layers: Layer[] = [
    {
      data: { values: spans },
      mark: { type: "rect", opacity: 0.35 },
      encoding: {
        x: { ...timeX(axis), field: "t0" },
        x2: { field: "t1" },
        fill: {
          field: "state",
          type: "nominal",
          scale: { domain: STATE_NAMES, range: STATE_COLORS },
          legend: { title: "servo state" },
        },
      },
    },
    {
      data: { values: rows },
      layer: [
        {
          mark: { type: "area", opacity: 0.9, aria: false },
          encoding: {
            x: timeX(axis),
            y: { ...y, field: "hardLo" },
            y2: { field: "hardHi" },
            color: color("hard interval"),
          },
        },
        {
          mark: { type: "area", opacity: 0.9, aria: false },
          encoding: {
            x: timeX(axis),
            y: { ...y, field: "lo95" },
            y2: { field: "hi95" },
            color: color("95 % interval"),
          },
        },
        ...(hasTruth
          ? [
              {
                mark: { type: "line", strokeWidth: 1.2, aria: false },
                encoding: { x: timeX(axis), y: { ...y, field: "error" }, color: color("error vs truth") },
              } as const,
            ]
          : []),
      ],
    },
  ];
  const text = captionFor(
    node,
    `Offsets from the board's reading, in ${unit.name}, that contain true UTC: the 95 % and the hard ` +
      `interval as bands` +
      (hasTruth ? ", and the true error as a line." : " (no truth on real hardware)."),
    "The background shows the servo state (holdover in orange).",
  );
  return { id, title, caption: text, spec: layered(withEvents(layers, node, axis)) };
}

function stabilityLayers(series: StabilitySeries[], scale: number, yTitle: string): Layer[] {
  const rows = series.flatMap((s) =>
    s.rows
      .filter((r) => Number.isFinite(r.dev) && r.dev > 0 && r.tau > 0)
      .map((r) => {
        const bar = Number.isFinite(r.min) && Number.isFinite(r.max) && r.min > 0 && r.max >= r.min;
        return {
          stat: s.stat.toUpperCase(),
          tau: r.tau,
          dev: r.dev * scale,
          lo: bar ? r.min * scale : null,
          hi: bar ? r.max * scale : null,
          n: r.n,
        };
      }),
  );
  const stats = series.map((s) => s.stat);
  const color = {
    field: "stat",
    type: "nominal",
    scale: { domain: stats.map((s) => s.toUpperCase()), range: stats.map((s) => STAT_COLORS[s]) },
    legend: { title: null },
  } as const;
  const x = { field: "tau", type: "quantitative", title: "τ (s)", scale: { type: "log" } } as const;
  const y = { field: "dev", type: "quantitative", title: yTitle, scale: { type: "log" } } as const;
  return [
    {
      data: { values: rows },
      layer: [
        {
          transform: [{ filter: "datum.lo != null && datum.hi != null" }],
          mark: { type: "rule", strokeWidth: 1.2 },
          encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" }, color },
        },
        { mark: { type: "line", strokeWidth: 1, aria: false }, encoding: { x, y, color } },
        { mark: { type: "point", filled: true, size: 30 }, encoding: { x, y, color } },
      ],
    },
  ];
}

function usableStability(node: NodeReportModel, stats: StabilitySeries["stat"][]): StabilitySeries[] {
  return node.stability.filter(
    (s) => stats.includes(s.stat) && s.rows.some((r) => Number.isFinite(r.dev) && r.dev > 0 && r.tau > 0),
  );
}

function stabilityChart(node: NodeReportModel, id: string): Chart {
  const title = "Frequency stability: ADEV and MDEV";
  const series = usableStability(node, ["adev", "mdev"]);
  if (series.length === 0) return { id, title, spec: null, note: "No ADEV or MDEV results." };
  const caption =
    "Allan and modified Allan deviation (dimensionless) against averaging time τ, log-log; " +
    "bars span each value's confidence interval.";
  return { id, title, caption, spec: layered(stabilityLayers(series, 1, "deviation")) };
}

function tdevChart(node: NodeReportModel, id: string): Chart {
  const title = "Time stability: TDEV";
  const series = usableStability(node, ["tdev"]);
  if (series.length === 0) return { id, title, spec: null, note: "No TDEV results." };
  const caption = "Time deviation in ns against τ, log-log; bars span each value's confidence interval.";
  return { id, title, caption, spec: layered(stabilityLayers(series, 1e9, "TDEV (ns)")) };
}

/** The charts of one node, in page order; `prefix` makes their ids unique in the report. */
export function nodeCharts(node: NodeReportModel, prefix: string): Chart[] {
  const axis = timeAxis(node);
  return [
    stabilityChart(node, `${prefix}-stability`),
    tdevChart(node, `${prefix}-tdev`),
    phaseChart(node, `${prefix}-phase`, axis),
    frequencyChart(node, `${prefix}-frequency`, axis),
    clockChart(node, `${prefix}-clock`, axis),
    temperatureChart(node, `${prefix}-temperature`, axis),
  ];
}

/** Mean frequency error of every node that has a drift fit, ± 1 σ. */
export function driftSummaryChart(model: ReportModel, id: string): Chart {
  const title = "Frequency offset by node";
  const rows = model.nodes.flatMap((n, i) =>
    n.drift === null
      ? []
      : [
          {
            // The index keeps two nodes of the same name apart.
            node: `${i + 1}. ${n.name}`,
            ppm: n.drift.offsetPpm.value,
            lo: n.drift.offsetPpm.value - n.drift.offsetPpm.sigma,
            hi: n.drift.offsetPpm.value + n.drift.offsetPpm.sigma,
          },
        ],
  );
  if (rows.length === 0) return { id, title, spec: null, note: "No node has a drift fit." };
  const y = { field: "node", type: "nominal", title: null, sort: null } as const;
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    width: WIDTH,
    background: "white",
    data: { values: rows },
    encoding: { y },
    layer: [
      {
        mark: { type: "rule", color: "#1f6fb4", strokeWidth: 2 },
        encoding: {
          x: { field: "lo", type: "quantitative", title: "frequency offset (ppm)" },
          x2: { field: "hi" },
        },
      },
      {
        mark: { type: "point", filled: true, color: "#1f6fb4", size: 50 },
        encoding: { x: { field: "ppm", type: "quantitative", title: "frequency offset (ppm)" } },
      },
    ],
  };
  return { id, title, caption: "Mean frequency error of each node, bars ± 1 σ.", spec };
}
