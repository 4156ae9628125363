import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ppsRate } from "./pps-rate.ts";

describe("ppsRate", () => {
  it("reads a constant interval as its frequency error", () => {
    expect(ppsRate([1_000_012, 1_000_012, 1_000_012])).toEqual({
      freqPpm: 12,
      standardErrorPpm: 0,
      intervals: 3,
    });
  });

  it("is NaN without data and has no standard error from one interval", () => {
    expect(ppsRate([]).freqPpm).toBeNaN();
    expect(ppsRate([999_990]).standardErrorPpm).toBeNaN();
  });

  it("matches the two-pass mean and standard error", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 900_000, max: 1_100_000 }), { minLength: 2, maxLength: 200 }),
        (xs) => {
          const ys = xs.map((x) => x - 1e6);
          const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
          const sd = Math.sqrt(ys.reduce((a, b) => a + (b - mean) ** 2, 0) / (ys.length - 1));
          const estimate = ppsRate(xs);
          expect(estimate.freqPpm).toBeCloseTo(mean, 6);
          expect(estimate.standardErrorPpm).toBeCloseTo(sd / Math.sqrt(ys.length), 6);
        },
      ),
    );
  });
});
