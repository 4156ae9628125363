import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { frequencyToPhase, phaseToFrequency, pointsComplete, preparePhase, spanComplete } from "./series.ts";
import { meanRemovedPhase, nbs14Thousand } from "./test-fixtures.ts";

describe("phase and frequency", () => {
  it("converts both ways (phase in seconds, τ0 scaling)", () => {
    expect(Array.from(frequencyToPhase([0.5, 0.25, -0.25], 2))).toEqual([0, 1, 1.5, 1]);
    expect(Array.from(phaseToFrequency([0, 1, 1.5, 1], 2))).toEqual([0.5, 0.25, -0.25]);
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { maxLength: 50 }), (y) => {
        const back = phaseToFrequency(frequencyToPhase(y, 0.25), 0.25);
        back.forEach((v, i) => expect(v).toBeCloseTo(y[i]!, 12));
      }),
    );
  });

  it("builds the NBS14 phase form of nbs14.md", () => {
    const x = meanRemovedPhase(nbs14Thousand(), 1);
    expect(x).toHaveLength(1001);
    expect(x[1]).toBeCloseTo(0.0851160103, 10);
    expect(Math.abs(x[1000]!)).toBeLessThan(1e-10);
  });

  it("marks what a missing sample breaks and never closes the gap", () => {
    // A missing frequency value breaks the link between its two phase points only.
    const f = preparePhase({ data: [1, NaN, 1, 1], type: "freq", tau0: 1 });
    expect(f.x).toHaveLength(5);
    expect(f.gaps).toBe(1);
    expect(spanComplete(f, 0, 1)).toBe(true);
    expect(spanComplete(f, 1, 2)).toBe(false);
    expect(spanComplete(f, 2, 4)).toBe(true);
    expect(pointsComplete(f, 0, 2, 3)).toBe(false);
    // A missing phase point is missing itself: terms that skip over it stay complete.
    const p = preparePhase({ data: [0, 1, NaN, 3, 4], type: "phase", tau0: 1 });
    expect(p.x).toHaveLength(5);
    expect(spanComplete(p, 1, 3)).toBe(false);
    expect(pointsComplete(p, 1, 2, 2)).toBe(true);
    expect(pointsComplete(p, 0, 2, 3)).toBe(false);
    // Placeholders are finite so running sums stay finite.
    expect(Array.from(p.x).every(Number.isFinite)).toBe(true);
  });

  it("propagates NaN through the phase of frequency data (the phase after a gap is unknown)", () => {
    const x = frequencyToPhase([1, NaN, 1], 1);
    expect(x[1]).toBe(1);
    expect(x[2]).toBeNaN();
    expect(x[3]).toBeNaN();
    expect(phaseToFrequency([0, NaN, 2], 1).every(Number.isNaN)).toBe(true);
  });

  it("rejects a non-positive τ0", () => {
    expect(() => preparePhase({ data: [1, 2], type: "freq", tau0: 0 })).toThrow(RangeError);
  });
});
