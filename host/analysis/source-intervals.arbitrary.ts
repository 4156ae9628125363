// Property-test input shared by the interval algorithms' tests: small integer intervals, so ties and
// touching ends are common.
import fc from "fast-check";
import type { SourceInterval } from "./source-intervals.ts";

export const arbitraryIntervals = (maxLength: number): fc.Arbitrary<SourceInterval[]> =>
  fc
    .array(fc.record({ a: fc.integer({ min: -20, max: 20 }), b: fc.integer({ min: -20, max: 20 }) }), {
      minLength: 1,
      maxLength,
    })
    .map((pairs) =>
      pairs.map((p, i) => ({ id: `n${i}`, earliest: Math.min(p.a, p.b), latest: Math.max(p.a, p.b) })),
    );
