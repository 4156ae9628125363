import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeExchange } from "./ptp-exchange.ts";

const BASE = 1_767_225_600_000_000_000n;

describe("exchange maths", () => {
  it("recovers offset and delay exactly from a hand-worked exchange", () => {
    // slave 1000 ns ahead, 300 ns each way, Delay_Req sent 5 µs after the Sync arrived
    const e = computeExchange(
      {
        t1Ns: BASE,
        t2Ns: BASE + 1300n,
        t3Ns: BASE + 6300n,
        t4Ns: BASE + 5600n,
        syncCorrectionNs: 0,
        delayCorrectionNs: 0,
      },
      { asymmetryNs: 0, quantumNs: 8 },
    );
    expect(e).toEqual({
      offsetNs: 1000,
      meanPathDelayNs: 300,
      roundTripNs: 600,
      uncertaintyNs: 308,
      masterToSlaveNs: 1300,
    });
  });

  it("applies corrections as linuxptp does: t1 + corr(Sync) + corr(Follow_Up), t4 − corr(Delay_Resp)", () => {
    const e = computeExchange(
      {
        t1Ns: BASE,
        t2Ns: BASE + 1300n,
        t3Ns: BASE + 6300n,
        t4Ns: BASE + 5600n,
        syncCorrectionNs: 100,
        delayCorrectionNs: 50,
      },
      { asymmetryNs: 0, quantumNs: 0 },
    );
    expect(e.masterToSlaveNs).toBe(1200);
    expect(e.meanPathDelayNs).toBe((1200 + -750) / 2);
  });

  it("finds any offset and delays, and its interval always holds the truth", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }), // true offset, ns
        fc.integer({ min: 0, max: 1e8 }), // master→slave delay
        fc.integer({ min: 0, max: 1e8 }), // slave→master delay
        fc.integer({ min: 0, max: 1e9 }), // slave turn-around
        fc.integer({ min: -1e6, max: 1e6 }), // asymmetry the slave believes in
        (offset, ms, sm, turn, asymmetryNs) => {
          const t1 = BASE;
          const t2 = t1 + BigInt(ms + offset);
          const t3 = t2 + BigInt(turn);
          const t4 = t3 - BigInt(offset) + BigInt(sm);
          const e = computeExchange(
            { t1Ns: t1, t2Ns: t2, t3Ns: t3, t4Ns: t4, syncCorrectionNs: 0, delayCorrectionNs: 0 },
            { asymmetryNs, quantumNs: 0 },
          );
          expect(e.meanPathDelayNs).toBe((ms + sm) / 2);
          expect(e.offsetNs).toBeCloseTo(offset + (ms - sm) / 2 - asymmetryNs, 3);
          expect(Math.abs(e.offsetNs - offset)).toBeLessThanOrEqual(e.uncertaintyNs + 1e-3);
          // The asymmetry 1588 defines, told exactly, gives the offset back.
          const told = computeExchange(
            { t1Ns: t1, t2Ns: t2, t3Ns: t3, t4Ns: t4, syncCorrectionNs: 0, delayCorrectionNs: 0 },
            { asymmetryNs: (ms - sm) / 2, quantumNs: 0 },
          );
          expect(told.offsetNs).toBeCloseTo(offset, 3);
        },
      ),
    );
  });
});
