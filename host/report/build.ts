// Builds the report model from a collector's database: for each node, the boot with most records,
// its PPS phase against GPS, drift fit, stability with confidence intervals, temperature coefficient,
// clock readings with their bounds, and events. The maths is host/analysis; this only gathers.
import { getBoard } from "../../boards/index.ts";
import { clockIntervals } from "../analysis/clock-interval.ts";
import { fitPhaseDrift } from "../analysis/drift-fit.ts";
import { ppsToPhase } from "../analysis/stability/pps-phase.ts";
import { computeStability } from "../analysis/stability/index.ts";
import { windowedFrequency } from "../analysis/stability/series.ts";
import { measuredTempco, pairWithTemperature } from "../analysis/tempco.ts";
import type { Db } from "../store/open.ts";
import { syncSessions } from "../sync/store.ts";
import {
  clockReadings,
  labelledEdges,
  listNodes,
  lostCount,
  nodeBoots,
  nodeEvents,
  ppsEdges,
  temperatures,
  type ClockRow,
  type NodeRow,
} from "../store/read.ts";
import type { DriftSummary, NodeReportModel, ReportModel, StabilitySeries, TempcoSummary } from "./model.ts";

export interface BuildReportOptions {
  title: string;
  source: string;
  /** Only this node (name or serial). */
  node?: string;
  /** Where the truth is known (virtual lab): true UTC − the reading, ns. */
  clockTruth?: (node: NodeRow, reading: ClockRow) => number | null;
  /** Frequency averaging window, seconds (also the temperature-coefficient sample). */
  frequencyAveragingS?: number;
  /** Most points per plotted series. */
  maxPlotPoints?: number;
  /** Fixed time for `generatedAt` (tests, reproducible lab runs). */
  generatedAt?: string;
}

const STABILITY_STATS = ["adev", "mdev", "tdev"] as const;

function oscillatorOf(board: string): string {
  try {
    const profile = getBoard(board);
    return `${profile.oscillator.type} ±${profile.oscillator.tolerancePpm.value} ppm`;
  } catch {
    return "unknown board";
  }
}

function decimate<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const stride = Math.ceil(points.length / max);
  return points.filter((_, i) => i % stride === 0);
}

function driftOf(phase: Float64Array): DriftSummary | null {
  const t: number[] = [];
  const x: number[] = [];
  phase.forEach((v, i) => {
    if (Number.isFinite(v)) {
      t.push(i);
      x.push(v);
    }
  });
  if (t.length < 10) return null;
  // The offset is the slope of a straight line through the phase (the mean frequency error, weighted as
  // least squares weighs it); the aging comes from a parabola through the same points.
  const linear = fitPhaseDrift(t, x, { model: "linear" });
  const quadratic = fitPhaseDrift(t, x, { model: "quadratic" });
  return {
    offsetPpm: { value: linear.offsetPpm.value, sigma: linear.offsetPpm.uncertainty },
    agingPpmPerDay: quadratic.agingPpmPerDay
      ? { value: quadratic.agingPpmPerDay.value, sigma: quadratic.agingPpmPerDay.uncertainty }
      : null,
    spanS: t[t.length - 1]! - t[0]!,
    points: t.length,
  };
}

function stabilityOf(phase: Float64Array): StabilitySeries[] {
  if (phase.length < 32) return [];
  return computeStability({ data: phase, type: "phase", tau0: 1 }, STABILITY_STATS, { taus: "octave" }).map(
    (result) => ({
      stat: result.stat as StabilitySeries["stat"],
      rows: result.rows
        .filter((r) => Number.isFinite(r.dev) && r.dev > 0)
        .map((r) => ({ tau: r.tau, n: r.n, dev: r.dev, min: r.devMin, max: r.devMax, alpha: r.alpha })),
    }),
  );
}

function tempcoOf(
  frequency: { t: number; y: number }[],
  temperature: { t: number; c: number }[],
  windowS: number,
): TempcoSummary | null {
  const pairs = pairWithTemperature(frequency, temperature, windowS);
  const measured = measuredTempco(
    pairs.map((p) => p.c),
    pairs.map((p) => p.y),
  );
  if (!measured) return null;
  const { fit, rangeC, turnover } = measured;
  return {
    model: "parabolic",
    referenceC: fit.referenceC,
    coefficients: [fit.offsetPpm, fit.linearPpmPerC, fit.quadraticPpmPerC2].map((e) => ({
      value: e.value,
      sigma: e.uncertainty,
    })),
    turnoverC: turnover ? { value: turnover.temperatureC, sigma: turnover.uncertaintyC } : null,
    temperatureRangeC: rangeC,
    points: pairs.length,
  };
}

function nodeModel(db: Db, node: NodeRow, options: BuildReportOptions): NodeReportModel {
  const windowS = options.frequencyAveragingS ?? 60;
  const maxPoints = options.maxPlotPoints ?? 800;
  const boots = nodeBoots(db, node.id);
  const boot = boots.length > 0 ? boots.reduce((a, b) => (b.records > a.records ? b : a)) : null;
  const empty: NodeReportModel = {
    name: node.name,
    serial: node.serial,
    board: node.board,
    oscillator: oscillatorOf(node.board),
    bootId: boot?.bootId ?? null,
    records: boots.reduce((s, b) => s + b.records, 0),
    lostRecords: lostCount(db, node.id),
    drift: null,
    tempco: null,
    stability: [],
    intervals: [],
    phase: [],
    frequency: [],
    frequencyAveragingS: windowS,
    clock: [],
    temperature: [],
    events: [],
  };
  if (!boot) return empty;
  const edges = labelledEdges(db, boot.bootKey);
  const firstEdge = edges[0];
  // Local (board) time of the first labelled edge is t = 0; before any edge, the boot's first PPS edge.
  const zeroLocalNs = firstEdge?.localNs ?? ppsEdges(db, boot.bootKey)[0]?.localNs ?? 0;
  const firstPps = ppsEdges(db, boot.bootKey).find((e) => e.localNs === zeroLocalNs);
  const zeroHostNs = firstPps?.hostNs ?? null;
  const tOfLocal = (localNs: number) => (localNs - zeroLocalNs) / 1e9;

  const temperature = temperatures(db, boot.bootKey).map((r) => ({
    t: tOfLocal(r.localNs),
    c: r.milliC / 1000,
  }));
  const clock = clockReadings(db, boot.bootKey).map((r) => ({
    t: tOfLocal(r.localNs),
    errorNs: options.clockTruth ? options.clockTruth(node, r) : null,
    earliest95Ns: r.earliest95Ns,
    latest95Ns: r.latest95Ns,
    earliestHardNs: r.earliestHardNs,
    latestHardNs: r.latestHardNs,
    servoState: r.servoState,
  }));
  const events = nodeEvents(db, node.id, boot.bootKey).map((e) => ({
    t:
      e.localNs !== null
        ? tOfLocal(e.localNs)
        : zeroHostNs !== null
          ? Number(e.hostNs - zeroHostNs) / 1e9
          : 0,
    source: e.source,
    code: e.code,
    value: e.value,
  }));
  const model = {
    ...empty,
    temperature: decimate(temperature, maxPoints),
    clock: decimate(clock, maxPoints),
    events,
  };
  if (edges.length < 2) return model;

  const phase = ppsToPhase(
    edges.map((e) => e.second),
    edges.map((e) => e.localNs / 1e9),
  );
  const frequency = windowedFrequency(phase, windowS);
  return {
    ...model,
    drift: driftOf(phase),
    tempco: tempcoOf(frequency, temperature, windowS),
    stability: stabilityOf(phase),
    intervals: clockIntervals(phase).map((i) => ({
      horizonS: i.horizonS,
      halfWidth95Ns: i.halfWidth95S * 1e9,
      halfWidthHardNs: i.halfWidthHardS * 1e9,
      coverage95: i.coverage95,
      coverageHard: i.coverageHard,
      neededHalfWidth95Ns: i.neededHalfWidth95S * 1e9,
      checkSamples: i.checkSamples,
    })),
    phase: decimate(
      Array.from(phase, (x, t) => ({ t, x })).filter((p) => Number.isFinite(p.x)),
      maxPoints,
    ),
    frequency: frequency.map((f) => ({ t: f.t, ppm: f.y * 1e6 })),
  };
}

export function buildReport(db: Db, options: BuildReportOptions): ReportModel {
  const nodes = listNodes(db).filter(
    (n) => options.node === undefined || n.name === options.node || n.serial === options.node,
  );
  return {
    title: options.title,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    source: options.source,
    nodes: nodes.map((node) => nodeModel(db, node, options)),
    sync: options.node === undefined ? syncSessions(db, options.maxPlotPoints ?? 800) : [],
  };
}
