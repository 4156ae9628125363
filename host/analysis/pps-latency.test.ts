import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRng } from "../../sim/rng.ts";
import { fitPpsLatency } from "./pps-latency.ts";

/** Edges of a clock `freqPpb` fast, offset `phaseNs`, stamped `floorNs` + exponential latency late. */
function edges(
  seed: number,
  n: number,
  freqPpb: number,
  phaseNs: number,
  floorNs: number,
  meanNs: number,
  outlierEvery = 0,
) {
  const rng = createRng(seed);
  const t: number[] = [];
  const y: number[] = [];
  const outliers: number[] = [];
  for (let i = 0; i < n; i++) {
    let latency = floorNs - meanNs * Math.log(1 - rng.uniform());
    if (outlierEvery > 0 && i % outlierEvery === outlierEvery - 1) {
      latency += 1e6 + rng.uniform() * 4e6;
      outliers.push(i);
    }
    t.push(i * (1 + freqPpb * 1e-9));
    y.push(phaseNs + freqPpb * i + latency);
  }
  return { t, y, outliers };
}

describe("PPS stamps with user-space latency", () => {
  it("finds frequency and phase under exponential latency, and sets the latency tail apart", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.double({ min: -50_000, max: 50_000, noNaN: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        (seed, freqPpb, phaseNs) => {
          const meanNs = 15_000;
          const { t, y, outliers } = edges(seed, 300, freqPpb, phaseNs, 40_000, meanNs, 50);
          const fit = fitPpsLatency(t, y)!;
          expect(fit.outliers).toBeGreaterThanOrEqual(outliers.length);
          expect(fit.outliers).toBeLessThan(outliers.length + 15);
          expect(Math.abs(fit.freqPpb - freqPpb)).toBeLessThan(5 * fit.freqSigmaPpb + 50);
          // The phase is late by the latency floor plus the mean of what the line kept.
          const expected = phaseNs + freqPpb * 299 + 40_000 + meanNs;
          expect(Math.abs(fit.phaseNs - expected)).toBeLessThan(6_000);
          expect(fit.excessLatencyNs.max).toBeGreaterThan(1e6);
          expect(fit.excessLatencyNs.p50).toBeGreaterThan(0.4 * meanNs);
          expect(fit.excessLatencyNs.p50).toBeLessThan(1.2 * meanNs);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("needs three edges", () => {
    expect(fitPpsLatency([0, 1], [0, 0])).toBeNull();
  });
});
