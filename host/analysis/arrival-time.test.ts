import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readingHostNs } from "./arrival-time.ts";

const T0 = 1_782_820_800_000_000_000n;

describe("readingHostNs", () => {
  it("places the last reading on the least-delayed floor, whatever its own delay and the clocks' rate", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 3, maxLength: 60 }),
        fc.integer({ min: -100_000, max: 100_000 }), // host − UTC rate, ppb
        fc.integer({ min: -1e9, max: 1e9 }), // host − UTC offset, ns
        (delaysNs, ratePpb, offsetNs) => {
          const floorIndex = delaysNs.indexOf(Math.min(...delaysNs));
          delaysNs[floorIndex] = 0;
          if (floorIndex !== 0) delaysNs[0] = 0; // two records on the floor fix the line's slope
          const readings = delaysNs.map((d, i) => {
            const utcNs = T0 + BigInt(i) * 10_000_000_000n;
            const localNs = 5e9 + i * 10e9;
            const hostMoment = utcNs + BigInt(offsetNs + Math.round(ratePpb * i * 10));
            return { localNs, utcNs, hostNs: hostMoment + BigInt(d), hostMoment };
          });
          const last = readings[readings.length - 1]!;
          const { hostNs: estimate, latencyAllowanceNs } = readingHostNs(readings);
          // Exact when the floor records line up; never later than the arrival.
          expect(estimate <= last.hostNs).toBe(true);
          expect(Number(estimate - last.hostMoment)).toBeLessThanOrEqual(5_000_000);
          expect(latencyAllowanceNs).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it("is the arrival itself with fewer than three readings", () => {
    expect(readingHostNs([{ localNs: 0, utcNs: T0, hostNs: T0 + 5n }])).toEqual({
      hostNs: T0 + 5n,
      latencyAllowanceNs: NaN,
    });
  });

  it("uses only the readings since the host clock last stepped (a leap second), and leaves out late resends", () => {
    const readings = Array.from({ length: 20 }, (_, i) => {
      const utcNs = T0 + BigInt(i) * 10_000_000_000n - (i >= 10 ? 1_000_000_000n : 0n);
      // The host's clock stepped back with UTC; reading 15 arrived 3 s late (resent).
      return { localNs: i * 10e9, utcNs, hostNs: utcNs + 2_000_000n + (i === 15 ? 3_000_000_000n : 0n) };
    });
    const moment = readingHostNs(readings);
    expect(moment.hostNs).toBe(readings[19]!.utcNs + 2_000_000n);
    expect(moment.latencyAllowanceNs).toBe(2_000_000);
  });
});
