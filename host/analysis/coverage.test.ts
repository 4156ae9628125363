import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundCoverage } from "./coverage.ts";

const reading = (errorNs: number, half95: number, halfHard: number) => ({
  errorNs,
  earliest95Ns: -half95,
  latest95Ns: half95,
  earliestHardNs: -halfHard,
  latestHardNs: halfHard,
});

describe("boundCoverage", () => {
  it("counts readings inside each interval", () => {
    const c = boundCoverage([
      reading(5, 10, 20),
      reading(-15, 10, 20),
      reading(30, 10, 20),
      reading(0, 10, 20),
    ]);
    expect(c.inside95).toBe(0.5);
    expect(c.insideHard).toBe(0.75);
    expect(c.medianHalfWidth95Ns).toBe(10);
    expect(c.neededHalfWidth95Ns).toBe(30);
    expect(c.maxErrorNs).toBe(30);
  });

  it("is NaN with no readings", () => {
    expect(boundCoverage([]).inside95).toBeNaN();
  });

  it("needs a width that covers at least 95 % of readings", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (errors) => {
          const c = boundCoverage(errors.map((e) => reading(e, 1, 1)));
          const covered = errors.filter((e) => Math.abs(e) <= c.neededHalfWidth95Ns).length;
          expect(covered / errors.length).toBeGreaterThanOrEqual(0.95);
        },
      ),
    );
  });
});
