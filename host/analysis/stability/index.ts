// The stability statistics by name, for callers that choose them at run time (the CLI, benches).
import { adev, oadev } from "./allan.ts";
import { withConfidence, type CiRow, type ConfidenceOptions, hasConfidence } from "./confidence.ts";
import type { DevRow, StatData, StatOptions } from "./deviation.ts";
import { hdev, ohdev } from "./hadamard.ts";
import { mdev, tdev } from "./modified.ts";
import { preparePhase, type StabilityInput } from "./series.ts";
import { mtie, tierms } from "./tie.ts";
import { totdev } from "./total.ts";
import type { StatName } from "./taus.ts";

export const STATISTICS: Record<StatName, (data: StatData, options?: StatOptions) => DevRow[]> = {
  adev,
  oadev,
  mdev,
  tdev,
  hdev,
  ohdev,
  totdev,
  mtie,
  tierms,
};

export interface StabilityResult {
  stat: StatName;
  /** Rows with noise type, EDF and bounds where the statistic has them (NaN otherwise). */
  rows: CiRow[];
}

/** Several statistics of one data set, sharing the phase preparation, each with confidence bounds. */
export function computeStability(
  input: StabilityInput,
  stats: readonly StatName[],
  options: StatOptions & ConfidenceOptions = {},
): StabilityResult[] {
  const series = preparePhase(input);
  return stats.map((stat) => {
    const rows = STATISTICS[stat](series, options);
    if (hasConfidence(stat)) return { stat, rows: withConfidence(stat, series, rows, options) };
    return {
      stat,
      rows: rows.map((r) => ({ ...r, alpha: NaN, noiseMethod: "given", edf: NaN, devMin: NaN, devMax: NaN })),
    };
  });
}
