// Stability statistics on the OCXO reference record (19982 points, 1 s): each statistic over Stable32's
// full all-tau list, alone and with noise identification + confidence intervals; and OADEV/MDEV/HDEV at
// every m up to N/4 on 20000 synthetic points (O(N) per τ).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { withConfidence } from "../host/analysis/stability/confidence.ts";
import { STATISTICS } from "../host/analysis/stability/index.ts";
import { parseSeries } from "../host/analysis/stability/parse.ts";
import { preparePhase } from "../host/analysis/stability/series.ts";
import { STAT_NAMES } from "../host/analysis/stability/taus.ts";
import { createRng } from "../sim/rng.ts";
import { bestOf } from "./timing.ts";

const OCXO = join(
  import.meta.dirname,
  "..",
  "..",
  "shared",
  "data",
  "stability",
  "ocxo",
  "ocxo_frequency.txt",
);

export function benchStability() {
  const everyM = Array.from({ length: 5000 }, (_, i) => i + 1);
  const rng = createRng("bench-stability");
  const synthetic = preparePhase({
    data: Float64Array.from({ length: 20000 }, () => rng.normal()),
    type: "freq",
    tau0: 1,
  });
  const everyTau = {
    points: 20000,
    taus: everyM.length,
    oadevMs: bestOf(2, () => STATISTICS.oadev(synthetic, { taus: { m: everyM } })),
    mdevMs: bestOf(2, () => STATISTICS.mdev(synthetic, { taus: { m: everyM } })),
    hdevMs: bestOf(2, () => STATISTICS.hdev(synthetic, { taus: { m: everyM } })),
  };
  if (!existsSync(OCXO)) return { skipped: `no reference data at ${OCXO}`, everyTau };
  const y = parseSeries(readFileSync(OCXO, "utf8")).values.map((f) => (f - 1e7) / 1e7);
  const series = preparePhase({ data: y, type: "freq", tau0: 1 });
  const ocxoAllTau: Record<string, { taus: number; ms: number; withConfidenceMs: number }> = {};
  for (const stat of STAT_NAMES) {
    let rows = STATISTICS[stat](series, { taus: "all" });
    const ms = bestOf(3, () => (rows = STATISTICS[stat](series, { taus: "all" })));
    const withConfidenceMs = bestOf(3, () =>
      withConfidence(stat, series, STATISTICS[stat](series, { taus: "all" })),
    );
    ocxoAllTau[stat] = { taus: rows.length, ms, withConfidenceMs };
  }
  return { points: y.length, ocxoAllTau, everyTau };
}
