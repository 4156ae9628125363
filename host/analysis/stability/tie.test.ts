import { describe, expect, it } from "vitest";
import { mtie, tierms } from "./tie.ts";
import { expectDefinition } from "./test-fixtures.ts";

describe("MTIE and TIE rms", () => {
  it("give the peak-to-peak and rms phase excursion of a known series", () => {
    const x = [0, 1, 3, 2, 2, 5];
    const input = { data: x, type: "phase" as const, tau0: 1 };
    expect(mtie(input, { taus: { m: [1, 2, 5] } })).toEqual([
      { m: 1, tau: 1, n: 5, dev: 3 },
      { m: 2, tau: 2, n: 4, dev: 3 },
      { m: 5, tau: 5, n: 1, dev: 5 },
    ]);
    const rms = tierms(input, { taus: { m: [1] } })[0]!;
    expect(rms.n).toBe(5);
    expect(rms.dev).toBeCloseTo(Math.sqrt((1 + 4 + 1 + 0 + 9) / 5), 14);
  });

  it("count a frequency offset (x grows by y·τ per step)", () => {
    const r = mtie({ data: new Float64Array(100).fill(1e-6), type: "freq", tau0: 1 }, { taus: { m: [10] } });
    expect(r[0]!.dev).toBeCloseTo(1e-5, 18);
  });

  it("skip windows with a missing point instead of closing the gap", () => {
    const r = mtie({ data: [0, 0, NaN, 100, 100], type: "phase", tau0: 1 }, { taus: { m: [1] } });
    expect(r).toEqual([{ m: 1, tau: 1, n: 2, dev: 0 }]);
  });

  it("equal the definition term by term, with gaps", () => {
    expectDefinition("mtie", mtie);
    expectDefinition("tierms", tierms);
  });
});
