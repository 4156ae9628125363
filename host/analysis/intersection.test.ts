import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { agreementSpan, ntpIntersection } from "./intersection.ts";
import { arbitraryIntervals } from "./source-intervals.arbitrary.ts";
import type { SourceInterval } from "./source-intervals.ts";

/** Brute force of the same definition: for each f, the points inside ≥ n − f intervals, their span and midpoints. */
function oracle(intervals: readonly SourceInterval[]) {
  const n = intervals.length;
  const ends = intervals.flatMap((s) => [s.earliest, s.latest]);
  const covered = (x: number) => intervals.filter((s) => s.earliest <= x && x <= s.latest).length;
  for (let f = 0; 2 * f < n; f++) {
    const points = ends.filter((x) => covered(x) >= n - f);
    if (points.length === 0) continue;
    const low = Math.min(...points);
    const high = Math.max(...points);
    const outside = intervals
      .map((s) => (s.earliest + s.latest) / 2)
      .filter((m) => m < low || m > high).length;
    if (outside <= f) return { f, low, high };
  }
  return null;
}

describe("ntpIntersection", () => {
  it("agrees on the majority's span and names the falseticker with its interval", () => {
    const result = ntpIntersection([
      { id: "a", earliest: 10, latest: 12.5 },
      { id: "b", earliest: 11, latest: 13 },
      { id: "c", earliest: 10, latest: 12 },
      { id: "d", earliest: 9, latest: 14 },
      { id: "liar", earliest: 20, latest: 21 },
    ]);
    expect(result).toMatchObject({ status: "agreed", earliest: 11, latest: 12, faultsAllowed: 1 });
    if (result.status !== "agreed") return;
    expect(result.falsetickers).toEqual([{ id: "liar", earliest: 20, latest: 21 }]);
    expect(result.truechimers).toEqual(["a", "b", "c", "d"]);
  });

  it("says there is no majority when half the sources disagree with the other half", () => {
    const result = ntpIntersection([
      { id: "a", earliest: 0, latest: 1 },
      { id: "b", earliest: 0, latest: 1 },
      { id: "c", earliest: 5, latest: 6 },
      { id: "d", earliest: 5, latest: 6 },
    ]);
    expect(result).toEqual({ status: "no-majority", sources: 4, rejected: [] });
  });

  it("has no majority without any valid source", () => {
    const result = ntpIntersection([{ id: "x", earliest: 3, latest: 2 }]);
    expect(result.status).toBe("no-majority");
    expect(result.rejected).toHaveLength(1);
  });

  it("matches a brute-force search over f, and truth inside ≥ n − f intervals lies in its span", () => {
    fc.assert(
      fc.property(arbitraryIntervals(9), fc.integer({ min: -20, max: 20 }), (intervals, truth) => {
        const expected = oracle(intervals);
        const result = ntpIntersection(intervals);
        if (expected === null) {
          expect(result.status).toBe("no-majority");
          return;
        }
        expect(result).toMatchObject({
          status: "agreed",
          earliest: expected.low,
          latest: expected.high,
          faultsAllowed: expected.f,
        });
        if (result.status !== "agreed") return;
        expect(result.falsetickers.length).toBeLessThanOrEqual(expected.f);
        expect(result.truechimers.length + result.falsetickers.length).toBe(intervals.length);
        const inside = intervals.filter((s) => s.earliest <= truth && truth <= s.latest).length;
        if (inside >= intervals.length - expected.f) {
          expect(truth).toBeGreaterThanOrEqual(result.earliest);
          expect(truth).toBeLessThanOrEqual(result.latest);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("agreementSpan", () => {
  it("keeps a precise clock that NTP's midpoint test would widen away", () => {
    const intervals = [
      { id: "precise", earliest: 100, latest: 101 },
      { id: "wide", earliest: 0, latest: 150 },
      { id: "wider", earliest: -100, latest: 400 },
    ];
    expect(agreementSpan(intervals)).toMatchObject({
      status: "agreed",
      earliest: 100,
      latest: 101,
      faultsAllowed: 0,
    });
    expect(ntpIntersection(intervals)).toMatchObject({ status: "agreed", earliest: 0, latest: 150 });
  });

  it("with a fault count, refuses too few sources and says how many are needed", () => {
    const result = agreementSpan(
      [
        { id: "a", earliest: 0, latest: 1 },
        { id: "b", earliest: 0, latest: 1 },
      ],
      1,
    );
    expect(result.status).toBe("too-few-sources");
    if (result.status === "too-few-sources") expect(result.reason).toContain("at least 3");
  });

  it("is the span of the points inside ≥ n − f intervals, and holds the truth if ≤ f are wrong", () => {
    fc.assert(
      fc.property(
        arbitraryIntervals(9),
        fc.integer({ min: -20, max: 20 }),
        fc.nat(4),
        (intervals, truth, f) => {
          const n = intervals.length;
          const covered = (x: number) => intervals.filter((s) => s.earliest <= x && x <= s.latest).length;
          const ends = intervals.flatMap((s) => [s.earliest, s.latest]);
          const result = agreementSpan(intervals, f);
          if (n < 2 * f + 1) return void expect(result.status).toBe("too-few-sources");
          const points = ends.filter((x) => covered(x) >= n - f);
          if (points.length === 0) return void expect(result.status).toBe("no-majority");
          expect(result).toMatchObject({ earliest: Math.min(...points), latest: Math.max(...points) });
          if (result.status === "agreed" && covered(truth) >= n - f) {
            expect(truth).toBeGreaterThanOrEqual(result.earliest);
            expect(truth).toBeLessThanOrEqual(result.latest);
          }
          const smallest = agreementSpan(intervals);
          const fMin = Array.from({ length: Math.ceil(n / 2) }, (_, k) => k).find((k) =>
            ends.some((x) => covered(x) >= n - k),
          );
          if (fMin === undefined) expect(smallest.status).toBe("no-majority");
          else expect(smallest).toMatchObject({ status: "agreed", faultsAllowed: fMin });
        },
      ),
      { numRuns: 2000 },
    );
  });
});
