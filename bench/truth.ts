// Agreement over many intervals (Marzullo, NTP intersection, agreement span, fault-tolerant midpoint):
// 10 000 seeded random intervals, one in ten a liar far off. All are O(n log n): the sort dominates.
import { faultTolerantMidpoint } from "../host/analysis/ft-midpoint.ts";
import { agreementSpan, ntpIntersection } from "../host/analysis/intersection.ts";
import { marzullo } from "../host/analysis/marzullo.ts";
import { createRng } from "../sim/rng.ts";
import { bestOf } from "./timing.ts";

export function benchTruth() {
  const rng = createRng("bench-truth");
  const n = 10_000;
  const intervals = Array.from({ length: n }, (_, i) => {
    const centre = (i % 10 === 0 ? 1e6 : 0) + rng.normal() * 100;
    const half = 200 + Math.abs(rng.normal()) * 300;
    return { id: `n${i}`, earliest: centre - half, latest: centre + half };
  });
  const readings = intervals.map((s) => ({ id: s.id, value: (s.earliest + s.latest) / 2 }));
  const faults = Math.floor((n - 1) / 3);
  return {
    intervals: n,
    marzulloMs: bestOf(3, () => marzullo(intervals)),
    ntpIntersectionMs: bestOf(3, () => ntpIntersection(intervals)),
    agreementSpanMs: bestOf(3, () => agreementSpan(intervals)),
    ftMidpointMs: bestOf(3, () => faultTolerantMidpoint(readings, faults)),
  };
}
