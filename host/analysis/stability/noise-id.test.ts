import { describe, expect, it } from "vitest";
import { createRng } from "../../../sim/rng.ts";
import { b1Theory, identifyNoise, lag1Autocorrelation } from "./noise-id.ts";
import { preparePhase } from "./series.ts";
import { loadReference } from "./test-fixtures.ts";

function white(n: number, seed: string): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => rng.normal());
}

function cumulative(v: Float64Array): Float64Array {
  let s = 0;
  return v.map((e) => (s += e));
}

describe("noise identification", () => {
  it("names the power laws of synthetic white and random-walk noise, from phase or frequency data", () => {
    const w = white(20000, "noise-id");
    const cases: [Float64Array, "phase" | "freq", number][] = [
      [w, "freq", 0], // white FM
      [cumulative(w), "freq", -2], // random-walk FM
      [w, "phase", 2], // white PM
      [cumulative(w), "phase", 0], // white FM as phase
    ];
    for (const [data, type, alpha] of cases) {
      const s = preparePhase({ data, type, tau0: 1 });
      for (const m of [1, 4, 32, 256]) {
        const id = identifyNoise(s, m);
        expect(id.method, `${type} α=${alpha} m=${m}`).toBe("lag1");
        expect(id.alpha, `${type} α=${alpha} m=${m}`).toBe(alpha);
      }
    }
  });

  it("falls back to B1 below 30 averaged points (right most of the time with 20 averages)", () => {
    // 20 averages make B1 a noisy statistic: score the fallback over many records.
    const cases: [string, (w: Float64Array) => Float64Array, "phase" | "freq", number][] = [
      ["white FM", (w) => w, "freq", 0],
      ["random-walk FM", cumulative, "freq", -2],
      ["white PM (R(n) picks it from flicker PM)", (w) => w, "phase", 2],
    ];
    for (const [label, make, type, alpha] of cases) {
      let right = 0;
      for (let seed = 0; seed < 40; seed++) {
        const id = identifyNoise(preparePhase({ data: make(white(2000, `b1-${seed}`)), type, tau0: 1 }), 100);
        expect(id.method).toBe("b1");
        if (id.alpha === alpha) right++;
      }
      expect(right, label).toBeGreaterThanOrEqual(24);
    }
  });

  it("has Barnes' B1 values: 1 for white FM, N/2 for random-walk FM, (N + 1)/(1.5 N) for white PM", () => {
    expect(b1Theory(20, -1)).toBeCloseTo(1, 14);
    expect(b1Theory(20, 1)).toBeCloseTo(10, 12);
    expect(b1Theory(20, -2)).toBeCloseTo(21 / 30, 14);
    expect(b1Theory(20, 0)).toBeCloseTo((20 * Math.log(20)) / (38 * Math.log(2)), 14);
  });

  it("agrees with Stable32's noise types on at least 97 % of the rows with 30 or more averaged points", () => {
    for (const set of ["ocxo", "pink_frequency"] as const) {
      const ref = loadReference(set);
      const s = preparePhase({ data: ref.y, type: "freq", tau0: ref.tau0 });
      for (const stat of ["adev", "oadev", "hdev"]) {
        const hadamard = stat === "hdev";
        let lag1 = 0;
        let agree = 0;
        for (const row of ref.expected.statistics[stat]!.rows) {
          const id = identifyNoise(s, row.m, hadamard ? { dmax: 3, alphaMin: -4 } : {});
          if (id.method !== "lag1") continue;
          lag1++;
          if (id.alpha === row.alpha) agree++;
        }
        expect(lag1, `${set} ${stat}`).toBeGreaterThan(100);
        expect(agree / lag1, `${set} ${stat}: ${agree}/${lag1}`).toBeGreaterThanOrEqual(0.97);
      }
    }
  });

  it("skips missing values in the lag-1 autocorrelation", () => {
    expect(lag1Autocorrelation([1, -1, 1, -1, 1, -1])).toBeCloseTo(-5 / 6, 14);
    expect(lag1Autocorrelation([1, -1, NaN, 1, -1, 1, -1])).toBeLessThan(-0.5);
    expect(lag1Autocorrelation([NaN])).toBeNaN();
  });
});
