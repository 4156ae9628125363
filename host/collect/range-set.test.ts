import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RangeSet } from "./range-set.ts";

type Op = { add: boolean; first: number; length: number };

describe("RangeSet", () => {
  it("behaves like a plain set of integers under any adds and removes", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            add: fc.boolean(),
            first: fc.integer({ min: 0, max: 80 }),
            length: fc.integer({ min: 1, max: 12 }),
          }),
          { maxLength: 60 },
        ),
        (ops: Op[]) => {
          const set = new RangeSet();
          const oracle = new Set<number>();
          for (const { add, first, length } of ops) {
            const last = first + length - 1;
            if (add) {
              set.add(first, last);
              for (let v = first; v <= last; v++) oracle.add(v);
            } else {
              const removed = set
                .remove(first, last)
                .flatMap((r) => Array.from({ length: r.last - r.first + 1 }, (_, i) => r.first + i));
              const expected = [...oracle].filter((v) => v >= first && v <= last).sort((a, b) => a - b);
              expect(removed.sort((a, b) => a - b)).toEqual(expected);
              for (let v = first; v <= last; v++) oracle.delete(v);
            }
          }
          const sorted = [...oracle].sort((a, b) => a - b);
          expect(set.size).toBe(oracle.size);
          expect(set.lowest).toBe(sorted[0] ?? null);
          for (let v = 0; v < 95; v++) expect(set.has(v)).toBe(oracle.has(v));
          // Ranges stay sorted, disjoint and not adjacent.
          const ranges = set.list();
          for (let i = 1; i < ranges.length; i++)
            expect(ranges[i]!.first).toBeGreaterThan(ranges[i - 1]!.last + 1);
        },
      ),
    );
  });
});
