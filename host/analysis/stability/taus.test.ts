import { describe, expect, it } from "vitest";
import { loadReference } from "./test-fixtures.ts";
import {
  allTauFactors,
  averagingFactors,
  decadeFactors,
  maxAveragingFactor,
  octaveFactors,
  type StatName,
} from "./taus.ts";

describe("averaging factors", () => {
  it("reproduces every all-tau m list of the Stable32 reference tables", () => {
    for (const set of ["ocxo", "pink_frequency"] as const) {
      const { expected } = loadReference(set);
      for (const [stat, table] of Object.entries(expected.statistics)) {
        const ms = table.rows.map((r) => r.m);
        // Stable32's step divisor was 42 for the pink-noise overlapping and total runs, 53 elsewhere.
        const divisor = set === "pink_frequency" && stat !== "adev" && stat !== "hdev" ? 42 : 53;
        const generated = averagingFactors("all", stat as StatName, expected.data.points, 1, {
          allDivisor: divisor,
        });
        // The tables end at Stable32's largest factor except pink TOTDEV, which was cut short.
        expect(generated.slice(0, ms.length), `${set} ${stat}`).toEqual(ms);
        if (!(set === "pink_frequency" && stat === "totdev")) expect(generated.length).toBe(ms.length);
      }
    }
  });

  it("uses Stable32's largest factors: N/5 non-overlapping, N/4 overlapping, N/2 total", () => {
    expect(maxAveragingFactor("adev", 19982)).toBe(3996);
    expect(maxAveragingFactor("hdev", 10000)).toBe(2000);
    expect(maxAveragingFactor("oadev", 19982)).toBe(4995);
    expect(maxAveragingFactor("mdev", 10000)).toBe(2500);
    expect(maxAveragingFactor("totdev", 19982)).toBe(9991);
  });

  it("gives octave and decade lists", () => {
    expect(octaveFactors(2500)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]);
    expect(decadeFactors(500)).toEqual([1, 2, 4, 10, 20, 40, 100, 200, 400]);
    expect(averagingFactors("octave", "adev", 19982, 1).at(-1)).toBe(2048);
    expect(averagingFactors("octave", "oadev", 19982, 1).at(-1)).toBe(4096);
    expect(allTauFactors(60).slice(50)).toEqual([51, 52, 53, 55, 57, 59]);
  });

  it("rounds explicit taus to multiples of tau0, drops duplicates and factors below 1", () => {
    expect(averagingFactors({ taus: [84, 42, 40, 10, 1000.4] }, "adev", 100, 42)).toEqual([1, 2, 24]);
    expect(averagingFactors({ m: [3, 1, 3, 0, -2] }, "mdev", 10, 1)).toEqual([1, 3]);
  });
});
