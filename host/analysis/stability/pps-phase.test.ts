import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { oadev } from "./allan.ts";
import { ppsToPhase } from "./pps-phase.ts";

describe("ppsToPhase", () => {
  it("gives local minus reference, relative to the first edge, with NaN for missed pulses", () => {
    const x = ppsToPhase([100, 101, 103, 104], [5.0, 6.000001, 8.000003, 9.000004]);
    expect(x).toHaveLength(5);
    expect(x[0]).toBe(0);
    expect(x[1]).toBeCloseTo(1e-6, 12);
    expect(x[2]).toBeNaN();
    expect(x[3]).toBeCloseTo(3e-6, 12);
    expect(x[4]).toBeCloseTo(4e-6, 12);
  });

  it("recovers a board clock's frequency error (1 ppm fast → x grows 1 µs per second)", () => {
    const labels = Array.from({ length: 600 }, (_, i) => 1_400_000_000 + i).filter((s) => s % 97 !== 0);
    const local = labels.map((s) => 12345.678 + (s - labels[0]!) * (1 + 1e-6));
    const x = ppsToPhase(labels, local);
    const last = x.length - 1;
    expect(x[last]! / last).toBeCloseTo(1e-6, 12);
    // The missed seconds stay missing: no term uses them, the rest are exact (no noise → OADEV 0).
    const rows = oadev({ data: x, type: "phase", tau0: 1 }, { taus: { m: [1, 10] } });
    expect(rows[0]!.n).toBeLessThan(x.length - 2);
    expect(rows[0]!.dev).toBeLessThan(1e-12);
  });

  it("rejects labels that do not increase by whole seconds", () => {
    expect(() => ppsToPhase([1, 1], [0, 1])).toThrow(RangeError);
    expect(() => ppsToPhase([1, 2.5], [0, 1])).toThrow(RangeError);
    expect(() => ppsToPhase([1, 2], [0])).toThrow(RangeError);
    expect(() => ppsToPhase([0, 1e9], [0, 1e9])).toThrow(RangeError);
    expect(ppsToPhase([], [])).toHaveLength(0);
  });

  it("places every edge at its own second", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 50 }),
        (raw) => {
          const labels = raw.slice().sort((a, b) => a - b);
          const local = labels.map((s) => s * 1.00001 + 3);
          const x = ppsToPhase(labels, local);
          expect(x.length).toBe(labels.at(-1)! - labels[0]! + 1);
          expect(Array.from(x).filter((v) => !Number.isNaN(v))).toHaveLength(labels.length);
          labels.forEach((s) => expect(x[s - labels[0]!]).toBeCloseTo((s - labels[0]!) * 1e-5, 9));
        },
      ),
    );
  });
});
