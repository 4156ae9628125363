import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { faultsTolerated, faultTolerantMidpoint, nodesNeeded } from "./ft-midpoint.ts";

/** Oracle: remove the smallest and the largest value one at a time, f times each, then the midpoint. */
function oracle(values: number[], f: number): number {
  const rest = [...values];
  for (let i = 0; i < f; i++) {
    rest.splice(rest.indexOf(Math.min(...rest)), 1);
    rest.splice(rest.indexOf(Math.max(...rest)), 1);
  }
  return (Math.min(...rest) + Math.max(...rest)) / 2;
}

const value = fc.double({ min: -1e6, max: 1e6, noNaN: true });

/** n ≥ 3f + 1 readings: the correct ones, and f faulty ones that may say anything. */
const scenario = fc
  .integer({ min: 0, max: 4 })
  .chain((f) =>
    fc.record({
      f: fc.constant(f),
      correct: fc.array(value, { minLength: 2 * f + 1, maxLength: 2 * f + 6 }),
      liesA: fc.array(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { minLength: f, maxLength: f }),
      liesB: fc.array(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { minLength: f, maxLength: f }),
    }),
  )
  .filter((s) => s.correct.length + s.f >= 3 * s.f + 1);

const named = (values: number[], prefix: string) => values.map((v, i) => ({ id: `${prefix}${i}`, value: v }));

describe("faultTolerantMidpoint", () => {
  it("ignores one liar among four", () => {
    const result = faultTolerantMidpoint(
      [
        { id: "a", value: 10 },
        { id: "b", value: 12 },
        { id: "c", value: 11 },
        { id: "liar", value: 1e9 },
      ],
      1,
    );
    expect(result).toEqual({
      status: "agreed",
      midpoint: 11.5,
      faults: 1,
      nodes: 4,
      kept: ["c", "b"],
      dropped: ["a", "liar"],
    });
  });

  it("claims nothing with fewer than 3f + 1 nodes and says how many are needed", () => {
    const result = faultTolerantMidpoint(named([1, 2, 3], "n"), 1);
    expect(result).toMatchObject({ status: "too-few-nodes", needed: 4, nodes: 3 });
    if (result.status === "too-few-nodes") expect(result.reason).toContain("at least 4");
    expect(nodesNeeded(2)).toBe(7);
    expect([1, 3, 4, 6, 7, 10].map(faultsTolerated)).toEqual([0, 0, 1, 1, 2, 3]);
  });

  it("equals the remove-extremes oracle and stays within the correct readings' range", () => {
    fc.assert(
      fc.property(scenario, ({ f, correct, liesA }) => {
        const readings = [...named(correct, "c"), ...named(liesA, "x")];
        const result = faultTolerantMidpoint(readings, f);
        if (result.status !== "agreed") throw new Error(result.reason);
        expect(result.midpoint).toBe(oracle([...correct, ...liesA], f));
        expect(result.midpoint).toBeGreaterThanOrEqual(Math.min(...correct));
        expect(result.midpoint).toBeLessThanOrEqual(Math.max(...correct));
      }),
      { numRuns: 1000 },
    );
  });

  it("two observers shown different lies agree to within half the correct range", () => {
    fc.assert(
      fc.property(scenario, ({ f, correct, liesA, liesB }) => {
        const a = faultTolerantMidpoint([...named(correct, "c"), ...named(liesA, "x")], f);
        const b = faultTolerantMidpoint([...named(correct, "c"), ...named(liesB, "x")], f);
        if (a.status !== "agreed" || b.status !== "agreed") throw new Error("expected agreement");
        const range = Math.max(...correct) - Math.min(...correct);
        expect(Math.abs(a.midpoint - b.midpoint)).toBeLessThanOrEqual(range / 2 + 1e-9 * (1 + range));
      }),
      { numRuns: 1000 },
    );
  });
});
