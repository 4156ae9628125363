// NTP's intersection (clock select) algorithm, after RFC 5905 §11.2.1 and the DTS algorithm before it:
// find the smallest number of faulty sources f (with 2f < n) for which some point is inside at least
// n − f intervals and at most f midpoints lie outside the span [low, high] of such points. Truth then
// lies in [low, high] if at most f sources are wrong. Sources whose interval misses [low, high] are the
// falsetickers. If no f < n/2 works there is no majority, and the result says so.
import { checkIntervals, overlaps, type RejectedInterval, type SourceInterval } from "./source-intervals.ts";

export interface Agreed {
  status: "agreed";
  earliest: number;
  latest: number;
  /** The number of faulty sources the agreement had to allow for. */
  faultsAllowed: number;
  sources: number;
  truechimers: string[];
  falsetickers: SourceInterval[];
  rejected: RejectedInterval[];
}

export type IntersectionResult =
  Agreed | { status: "no-majority"; sources: number; rejected: RejectedInterval[] };

/** [low, high] agreed allowing f faults: the sources that reach it are truechimers, the rest falsetickers. */
function agreed(
  valid: readonly SourceInterval[],
  low: number,
  high: number,
  f: number,
  rejected: RejectedInterval[],
): Agreed {
  return {
    status: "agreed",
    earliest: low,
    latest: high,
    faultsAllowed: f,
    sources: valid.length,
    truechimers: valid.filter((s) => overlaps(s, low, high)).map((s) => s.id),
    falsetickers: valid.filter((s) => !overlaps(s, low, high)),
    rejected,
  };
}

// Edge kinds in sort order at equal values: lower ends, then midpoints, then upper ends (closed intervals).
const LOW = -1;
const MID = 0;
const HIGH = 1;

export function ntpIntersection(sources: readonly SourceInterval[]): IntersectionResult {
  const { valid, rejected } = checkIntervals(sources);
  const n = valid.length;
  const edges = valid
    .flatMap((s) => [
      { at: s.earliest, kind: LOW },
      { at: (s.earliest + s.latest) / 2, kind: MID },
      { at: s.latest, kind: HIGH },
    ])
    .sort((a, b) => a.at - b.at || a.kind - b.kind);
  for (let f = 0; 2 * f < n; f++) {
    let midpointsOutside = 0;
    let low: number | null = null;
    let chime = 0;
    for (const edge of edges) {
      chime -= edge.kind;
      if (chime >= n - f) {
        low = edge.at;
        break;
      }
      if (edge.kind === MID) midpointsOutside++;
    }
    let high: number | null = null;
    chime = 0;
    for (let i = edges.length - 1; i >= 0; i--) {
      const edge = edges[i]!;
      chime += edge.kind;
      if (chime >= n - f) {
        high = edge.at;
        break;
      }
      if (edge.kind === MID) midpointsOutside++;
    }
    if (low === null || high === null || midpointsOutside > f || low > high) continue;
    return agreed(valid, low, high, f, rejected);
  }
  return { status: "no-majority", sources: n, rejected };
}

export type SpanResult =
  | Agreed
  | {
      status: "no-majority" | "too-few-sources";
      sources: number;
      reason: string;
      rejected: RejectedInterval[];
    };

/**
 * The span of points inside at least n − f intervals, without NTP's midpoint test (which rejects a
 * precise clock whose wide neighbours' midpoints fall outside it). With `faults` given the span holds
 * the truth whenever at most that many sources are wrong, however they lie, and needs n ≥ 2f + 1.
 * Without it, f is the smallest count for which such points exist (Marzullo's assumption: the fewest
 * faults consistent with what is seen).
 */
export function agreementSpan(sources: readonly SourceInterval[], faults?: number): SpanResult {
  const { valid, rejected } = checkIntervals(sources);
  const n = valid.length;
  if (faults !== undefined && (!Number.isInteger(faults) || faults < 0 || n < 2 * faults + 1))
    return {
      status: "too-few-sources",
      sources: n,
      reason: `tolerating ${faults} wrong source${faults === 1 ? "" : "s"} needs at least ${2 * faults + 1}; ${n} usable: no guarantee is claimed`,
      rejected,
    };
  const edges = valid
    .flatMap((s) => [
      { at: s.earliest, step: 1 },
      { at: s.latest, step: -1 },
    ])
    .sort((a, b) => a.at - b.at || b.step - a.step);
  // The fewest faults consistent with the intervals: n minus the most intervals any point is inside.
  let deepest = 0;
  let depth = 0;
  for (const edge of edges) deepest = Math.max(deepest, (depth += edge.step));
  const fewest = n - deepest;
  const candidates = faults !== undefined ? [faults] : 2 * fewest < n ? [fewest] : [];
  for (const f of candidates) {
    let count = 0;
    let low: number | null = null;
    let high: number | null = null;
    for (const edge of edges) {
      count += edge.step;
      if (edge.step === 1 && count >= n - f && low === null) low = edge.at;
      // Leaving a point covered n − f times: it was the highest such so far.
      if (edge.step === -1 && count + 1 >= n - f) high = edge.at;
    }
    if (low === null || high === null) continue;
    return agreed(valid, low, high, f, rejected);
  }
  return {
    status: "no-majority",
    sources: n,
    reason: `no point is inside more than half of the ${n} sources' intervals`,
    rejected,
  };
}
