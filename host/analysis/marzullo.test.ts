import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { marzullo } from "./marzullo.ts";
import { arbitraryIntervals } from "./source-intervals.arbitrary.ts";
import type { SourceInterval } from "./source-intervals.ts";

const coverage = (intervals: readonly SourceInterval[], x: number) =>
  intervals.filter((s) => s.earliest <= x && x <= s.latest).length;

/** Brute force: sample every endpoint and every point between neighbours, group maximal runs. */
function oracleRegions(intervals: readonly SourceInterval[]) {
  const ends = [...new Set(intervals.flatMap((s) => [s.earliest, s.latest]))].sort((a, b) => a - b);
  const samples: { x: number; end: boolean }[] = [];
  ends.forEach((x, i) => {
    samples.push({ x, end: true });
    if (i + 1 < ends.length) samples.push({ x: (x + ends[i + 1]!) / 2, end: false });
  });
  const counts = samples.map((s) => coverage(intervals, s.x));
  const best = Math.max(...counts);
  const regions: { earliest: number; latest: number }[] = [];
  let start: number | null = null;
  samples.forEach((s, i) => {
    if (counts[i] === best && start === null) start = s.x;
    if (counts[i] === best && (i + 1 === samples.length || counts[i + 1] !== best)) {
      regions.push({ earliest: start!, latest: s.x });
      start = null;
    }
  });
  return { best, regions };
}

describe("marzullo", () => {
  it("finds the region most sources agree on and names the falseticker", () => {
    const result = marzullo([
      { id: "a", earliest: 8, latest: 12 },
      { id: "b", earliest: 11, latest: 13 },
      { id: "c", earliest: 10, latest: 12 },
      { id: "liar", earliest: 20, latest: 21 },
    ]);
    expect(result).toMatchObject({ status: "agreed", earliest: 11, latest: 12, count: 3, sources: 4 });
    if (result.status !== "agreed") return;
    expect(result.truechimers).toEqual(["a", "b", "c"]);
    expect(result.falsetickers).toEqual([{ id: "liar", earliest: 20, latest: 21 }]);
  });

  it("reports no majority rather than a guess", () => {
    const result = marzullo([
      { id: "a", earliest: 0, latest: 1 },
      { id: "b", earliest: 2, latest: 3 },
      { id: "c", earliest: 4, latest: 5 },
      { id: "d", earliest: 4.5, latest: 6 },
    ]);
    expect(result.status).toBe("no-majority");
  });

  it("reports two equally supported majority regions as ambiguous", () => {
    const result = marzullo([
      { id: "wide", earliest: 0, latest: 3 },
      { id: "a", earliest: 0, latest: 1 },
      { id: "b", earliest: 2, latest: 3 },
    ]);
    expect(result).toMatchObject({
      status: "ambiguous",
      count: 2,
      regions: [
        { earliest: 0, latest: 1 },
        { earliest: 2, latest: 3 },
      ],
    });
  });

  it("rejects intervals with earliest after latest, with the reason, and uses the rest", () => {
    const result = marzullo([
      { id: "a", earliest: 0, latest: 2 },
      { id: "b", earliest: 1, latest: 3 },
      { id: "bad", earliest: 5, latest: 4 },
      { id: "nan", earliest: NaN, latest: 4 },
    ]);
    expect(result).toMatchObject({ status: "agreed", earliest: 1, latest: 2, sources: 2 });
    expect(result.rejected.map((r) => r.id)).toEqual(["bad", "nan"]);
    expect(result.rejected[0]!.reason).toContain("after latest");
  });

  it("agrees with a brute-force scan of every region", () => {
    fc.assert(
      fc.property(arbitraryIntervals(9), (intervals) => {
        const { best, regions } = oracleRegions(intervals);
        const result = marzullo(intervals);
        expect(result.count).toBe(best);
        const majority = 2 * best > intervals.length;
        if (result.status === "agreed") {
          expect(majority).toBe(true);
          expect(regions).toEqual([{ earliest: result.earliest, latest: result.latest }]);
          const mid = (result.earliest + result.latest) / 2;
          expect(result.truechimers.length).toBe(coverage(intervals, mid));
          for (const s of result.falsetickers) expect(s.earliest > mid || s.latest < mid).toBe(true);
        } else {
          expect(result.regions).toEqual(regions);
          expect(result.status).toBe(majority ? "ambiguous" : "no-majority");
          if (majority) expect(regions.length).toBeGreaterThan(1);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
