// The report in the terminal: one row per node with the numbers people look for first; the JSON and
// the HTML carry the rest.
import { formatTable } from "../cli/table.ts";
import { fixed, formatNs } from "../cli/units.ts";
import { boundStats } from "./bounds.ts";
import type { Interval, NodeReportModel, ReportModel, StabilitySeries } from "./model.ts";

/** Lab runs put the truth beside each estimate. */
export interface TerminalTruth {
  driftPpm: number;
  inside95: number | null;
  insideHard: number | null;
}

const withSigma = (i: Interval | null | undefined, digits: number) =>
  i ? `${fixed(i.value, digits)} ±${fixed(i.sigma, digits)}` : "—";

function adevAt(stability: StabilitySeries[], tau: number): string {
  const row = stability.find((s) => s.stat === "adev")?.rows.find((r) => r.tau === tau);
  return row ? row.dev.toExponential(1) : "—";
}

function medianBound95(node: NodeReportModel): string {
  const stats = boundStats(node.clock);
  return stats ? `±${formatNs(stats.medianNs)}` : "—";
}

/** The measured 95 % interval half an hour after the last pulse, and how often it held on new data. */
function holdover(node: NodeReportModel): string {
  const row = node.intervals.find((i) => i.horizonS === 1800);
  return row ? `±${formatNs(row.halfWidth95Ns)} (${percent(row.coverage95)})` : "—";
}

const percent = (share: number | null | undefined) =>
  share === null || share === undefined ? "—" : `${(100 * share).toFixed(1)}%`;

export function reportTable(model: ReportModel, truth?: Map<string, TerminalTruth>): string {
  const headers = [
    "NODE",
    "BOARD",
    "OSCILLATOR",
    "RECORDS",
    "LOST",
    "DRIFT ppm ±1σ",
    ...(truth ? ["TRUTH ppm"] : []),
    "AGING ppm/day",
    "TEMPCO ppm/°C²",
    "TURNOVER °C",
    "ADEV 1 s",
    "ADEV 1024 s",
    "95% BOUND",
    ...(truth ? ["IN 95%", "IN HARD"] : []),
    "30 MIN W/O GPS (HELD)",
  ];
  const digitsFor = (n: NodeReportModel) => (Math.abs(n.drift?.offsetPpm.value ?? 0) > 100 ? 1 : 4);
  return formatTable(
    headers,
    model.nodes.map((n) => {
      const t = truth?.get(n.name);
      return [
        n.name,
        n.board,
        n.oscillator,
        String(n.records),
        String(n.lostRecords),
        withSigma(n.drift?.offsetPpm, digitsFor(n)),
        ...(truth ? [t ? fixed(t.driftPpm, digitsFor(n)) : "—"] : []),
        withSigma(n.drift?.agingPpmPerDay, 2),
        withSigma(n.tempco?.coefficients[2], 4),
        withSigma(n.tempco?.turnoverC, 1),
        adevAt(n.stability, 1),
        adevAt(n.stability, 1024),
        medianBound95(n),
        ...(truth ? [percent(t?.inside95), percent(t?.insideHard)] : []),
        holdover(n),
      ];
    }),
  );
}
