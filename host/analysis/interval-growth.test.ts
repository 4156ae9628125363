import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { growthAt, growthRatePpb } from "./interval-growth.ts";

describe("interval growth from measured points", () => {
  const points = [
    { ageS: 10, halfWidthNs: 100 },
    { ageS: 100, halfWidthNs: 1000 },
    { ageS: 1000, halfWidthNs: 4000 },
  ];

  it("interpolates through (0, 0) and extrapolates at the steepest measured rate", () => {
    expect(growthAt(points, 0)).toBe(0);
    expect(growthAt(points, 5)).toBe(50);
    expect(growthAt(points, 55)).toBe(550);
    expect(growthRatePpb(points)).toBe(10);
    expect(growthAt(points, 2000)).toBe(4000 + 10 * 1000);
  });

  it("has no answer without measurements", () => {
    expect(growthAt([], 5)).toBeNaN();
    expect(growthRatePpb([{ ageS: NaN, halfWidthNs: 3 }])).toBeNaN();
  });

  it("never shrinks with age, whatever the measurements", () => {
    const point = fc.record({
      ageS: fc.double({ min: 0.1, max: 5000, noNaN: true }),
      halfWidthNs: fc.double({ min: 0, max: 1e9, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(point, { minLength: 1, maxLength: 8 }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        (ps, a, b) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          expect(growthAt(ps, hi)).toBeGreaterThanOrEqual(growthAt(ps, lo) - 1e-6 * (1 + growthAt(ps, lo)));
          for (const p of ps)
            if (p.ageS <= hi) expect(growthAt(ps, hi)).toBeGreaterThanOrEqual(p.halfWidthNs * (1 - 1e-12));
        },
      ),
    );
  });
});
