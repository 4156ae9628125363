// The row every statistic returns, and the loop over averaging factors they share.
import { frequencyPoints, preparePhase, type PhaseSeries, type StabilityInput } from "./series.ts";
import { averagingFactors, type StatName, type TauOptions, type TauSpec } from "./taus.ts";

export interface DevRow {
  /** Averaging factor. */
  m: number;
  /** Averaging time m·τ0, seconds. */
  tau: number;
  /** Number of terms summed (Stable32's count when nothing is missing). */
  n: number;
  /** The deviation: dimensionless, or seconds for TDEV, MTIE and TIE rms. */
  dev: number;
}

export interface StatOptions extends TauOptions {
  taus?: TauSpec;
}

/** Either raw input or a series already prepared (to share the work between statistics). */
export type StatData = StabilityInput | PhaseSeries;

export function asSeries(data: StatData): PhaseSeries {
  return "x" in data ? data : preparePhase(data);
}

/** Runs `at` for every averaging factor of the spec and keeps the rows that have at least one term. */
export function deviationRows(
  data: StatData,
  stat: StatName,
  options: StatOptions,
  at: (s: PhaseSeries, m: number) => DevRow,
): DevRow[] {
  const s = asSeries(data);
  const ms = averagingFactors(options.taus ?? "octave", stat, frequencyPoints(s), s.tau0, options);
  const rows: DevRow[] = [];
  for (const m of ms) {
    const row = at(s, m);
    if (row.n > 0) rows.push(row);
  }
  return rows;
}

export function row(m: number, tau0: number, n: number, dev: number): DevRow {
  return { m, tau: m * tau0, n, dev: n > 0 ? dev : NaN };
}
