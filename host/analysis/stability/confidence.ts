// Confidence intervals of a deviation: noise type at each τ, equivalent degrees of freedom for it, and
// chi-squared bounds, dev·√(edf/χ²(1−p, edf)) … dev·√(edf/χ²(p, edf)), p = (1 − confidence)/2.
import type { DevRow } from "./deviation.ts";
import { chiSquareQuantile } from "./chi-square.ts";
import { greenhallEdf, totalEdf, type EdfKind } from "./edf.ts";
import { identifyNoise, type NoiseId } from "./noise-id.ts";
import type { PhaseSeries } from "./series.ts";
import type { StatName } from "./taus.ts";

export const DEFAULT_CONFIDENCE = 0.683;

export interface CiRow extends DevRow {
  /** Noise type used for the EDF (identified, or as given). */
  alpha: number;
  noiseMethod: NoiseId["method"] | "given";
  edf: number;
  devMin: number;
  devMax: number;
}

/** Greenhall parameters of each statistic that has them. */
export const EDF_KIND: Partial<Record<StatName, EdfKind>> = {
  adev: { d: 2, modified: false, overlapping: false },
  oadev: { d: 2, modified: false, overlapping: true },
  mdev: { d: 2, modified: true, overlapping: true },
  tdev: { d: 2, modified: true, overlapping: true },
  hdev: { d: 3, modified: false, overlapping: false },
  ohdev: { d: 3, modified: false, overlapping: true },
};

export function hasConfidence(stat: StatName): boolean {
  return stat === "totdev" || EDF_KIND[stat] !== undefined;
}

/** Chi-squared bounds of a deviation with `edf` degrees of freedom; NaN when edf is not positive. */
export function chiSquareBounds(
  dev: number,
  edf: number,
  confidence: number = DEFAULT_CONFIDENCE,
): { devMin: number; devMax: number } {
  if (!(edf > 0) || !(confidence > 0 && confidence < 1)) return { devMin: NaN, devMax: NaN };
  const tail = (1 - confidence) / 2;
  return {
    devMin: dev * Math.sqrt(edf / chiSquareQuantile(1 - tail, edf)),
    devMax: dev * Math.sqrt(edf / chiSquareQuantile(tail, edf)),
  };
}

/**
 * EDF of a statistic's row. The phase-point count given to Greenhall's algorithm is the one whose term
 * count equals the row's n, so terms lost to gaps lower the EDF as they should.
 */
export function statisticEdf(stat: StatName, alpha: number, row: DevRow): number {
  if (stat === "totdev") return totalEdf(alpha, row.m, row.n + 1);
  const kind = EDF_KIND[stat];
  if (kind === undefined) return NaN;
  const S = kind.overlapping ? row.m : 1;
  const F = kind.modified ? 1 : row.m;
  const span = row.m / F + row.m * kind.d;
  return greenhallEdf(alpha, row.m, span + ((row.n - 1) * row.m) / S, kind);
}

export interface ConfidenceOptions {
  confidence?: number;
  /** Noise type to use instead of identifying it, per averaging factor. */
  alpha?: (m: number) => number | undefined;
}

/** Adds noise type, EDF and bounds to each row of a statistic computed on `s`. */
export function withConfidence(
  stat: StatName,
  s: PhaseSeries,
  rows: readonly DevRow[],
  options: ConfidenceOptions = {},
): CiRow[] {
  const hadamard = stat === "hdev" || stat === "ohdev";
  const noiseOptions = hadamard
    ? { dmax: 3, alphaMin: -4, alphaMax: 2 }
    : { dmax: 2, alphaMin: -2, alphaMax: 2 };
  return rows.map((r) => {
    const given = options.alpha?.(r.m);
    const id = given === undefined ? identifyNoise(s, r.m, noiseOptions) : undefined;
    const alpha = given ?? id?.alpha ?? 0;
    const edf = hasConfidence(stat) ? statisticEdf(stat, alpha, r) : NaN;
    const { devMin, devMax } = chiSquareBounds(r.dev, edf, options.confidence);
    return { ...r, alpha, noiseMethod: id?.method ?? "given", edf, devMin, devMax };
  });
}
