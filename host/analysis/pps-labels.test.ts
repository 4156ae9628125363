import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { labelEdgesFromNmea, labelEdgesFromServo, type Edge, type NmeaLabel } from "./pps-labels.ts";

const START = Date.UTC(2026, 5, 30, 12, 0, 0) / 1000;

function hmsOf(posix: number): { ymd: number; hms: number } {
  const d = new Date(posix * 1000);
  return {
    ymd: d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate(),
    hms: d.getUTCHours() * 10000 + d.getUTCMinutes() * 100 + d.getUTCSeconds(),
  };
}

describe("labelEdgesFromNmea", () => {
  it("pairs each edge with the label that completes within the next second, across missing pulses", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            missing: fc.boolean(),
            delayMs: fc.integer({ min: 60, max: 950 }),
            dated: fc.boolean(),
          }),
          {
            minLength: 2,
            maxLength: 80,
          },
        ),
        fc.double({ min: -200e-6, max: 200e-6, noNaN: true }),
        (seconds, freqError) => {
          const edges: Edge[] = [];
          const labels: NmeaLabel[] = [];
          const expected: { second: number; localNs: number }[] = [];
          seconds.forEach(({ missing, delayMs, dated }, k) => {
            const localNs = Math.round((5 + k) * 1e9 * (1 + freqError));
            const { ymd, hms } = hmsOf(START + k);
            if (!missing) edges.push({ localNs, flags: 0 });
            // The first label always carries a date, so later ones can borrow it.
            labels.push({ localNs: localNs + delayMs * 1e6, ymd: dated || k === 0 ? ymd : 0, hms, valid: 1 });
            if (!missing) expected.push({ second: START + k, localNs });
          });
          expect(labelEdgesFromNmea(edges, labels)).toEqual(expected);
        },
      ),
    );
  });

  it("skips invalid labels, applies the offset and drops a repeated second", () => {
    const edges = [0, 1, 2, 3].map((k) => ({ localNs: k * 1e9, flags: 0 }));
    const { ymd, hms } = hmsOf(START);
    const labels: NmeaLabel[] = [
      { localNs: 0.2e9, ymd, hms, valid: 1 },
      { localNs: 1.2e9, ymd, hms: hms + 1, valid: 0 },
      { localNs: 2.2e9, ymd, hms: hms + 2, valid: 1 },
      { localNs: 3.2e9, ymd, hms: hms + 2, valid: 1 },
    ];
    expect(labelEdgesFromNmea(edges, labels, -1)).toEqual([
      { second: START - 1, localNs: 0 },
      { second: START + 1, localNs: 2e9 },
    ]);
  });
});

describe("labelEdgesFromServo", () => {
  it("keeps the servo's labels in order without repeats", () => {
    expect(
      labelEdgesFromServo([
        { edgeLocalNs: 1e9, gpsSecond: 100 },
        { edgeLocalNs: 1e9, gpsSecond: 100 },
        { edgeLocalNs: 3e9, gpsSecond: 102 },
      ]),
    ).toEqual([
      { second: 100, localNs: 1e9 },
      { second: 102, localNs: 3e9 },
    ]);
  });
});
