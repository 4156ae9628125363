// Marzullo's algorithm: the region of time consistent with the largest number of sources' intervals.
// A majority (more than half of the valid sources) must agree on one region, or the result says so
// instead of guessing: "no-majority" when the best region has half or fewer, "ambiguous" when two
// separate regions each have the best count (possible: [0,3], [0,1], [2,3]).
import { checkIntervals, overlaps, type RejectedInterval, type SourceInterval } from "./source-intervals.ts";

export interface Region {
  earliest: number;
  latest: number;
}

export type MarzulloResult =
  | {
      status: "agreed";
      earliest: number;
      latest: number;
      /** How many sources contain the region, out of `sources`. */
      count: number;
      sources: number;
      truechimers: string[];
      /** Sources whose interval misses the agreed region, with their intervals. */
      falsetickers: SourceInterval[];
      rejected: RejectedInterval[];
    }
  | {
      status: "no-majority" | "ambiguous";
      count: number;
      sources: number;
      /** Every region reached by `count` sources (one for no-majority unless it is also ambiguous). */
      regions: Region[];
      rejected: RejectedInterval[];
    };

/** Every region covered by the largest number of the (valid) closed intervals, and that number. */
export function bestRegions(intervals: readonly SourceInterval[]): { count: number; regions: Region[] } {
  // Starts sort before ends at the same value: closed intervals touching at a point overlap there.
  const edges = intervals
    .flatMap((s) => [
      { at: s.earliest, step: 1 },
      { at: s.latest, step: -1 },
    ])
    .sort((a, b) => a.at - b.at || b.step - a.step);
  let best = 0;
  let count = 0;
  let regions: Region[] = [];
  let openAt: number | null = null;
  for (const edge of edges) {
    count += edge.step;
    if (edge.step === 1) {
      if (count > best) {
        best = count;
        regions = [];
      }
      if (count === best) openAt = edge.at;
    } else if (openAt !== null) {
      regions.push({ earliest: openAt, latest: edge.at });
      openAt = null;
    }
  }
  return { count: best, regions };
}

export function marzullo(sources: readonly SourceInterval[]): MarzulloResult {
  const { valid, rejected } = checkIntervals(sources);
  const { count, regions } = bestRegions(valid);
  const n = valid.length;
  if (n === 0 || 2 * count <= n || regions.length !== 1)
    return {
      status: n > 0 && 2 * count > n ? "ambiguous" : "no-majority",
      count,
      sources: n,
      regions,
      rejected,
    };
  const region = regions[0]!;
  const inside = (s: SourceInterval) => overlaps(s, region.earliest, region.latest);
  return {
    status: "agreed",
    earliest: region.earliest,
    latest: region.latest,
    count,
    sources: n,
    truechimers: valid.filter(inside).map((s) => s.id),
    falsetickers: valid.filter((s) => !inside(s)),
    rejected,
  };
}
