import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRng } from "../../sim/rng.ts";
import { TodTracker, type ClockReader, type TodStep } from "./tod-tracker.ts";

/** A host whose time of day is mono + offsetNs (whole ns), read as Date.now() would: floor to ms. */
function fakeHost(startMono: bigint, offsetNs: bigint) {
  const host = { mono: startMono, offset: offsetNs };
  const reader: ClockReader = {
    monoNs: () => host.mono,
    todMs: () => Number((host.mono + host.offset) / 1_000_000n),
  };
  return { host, reader };
}

describe("time of day against the monotonic clock", () => {
  it("narrows ToD − mono to microseconds from millisecond readings", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        (seed, extra) => {
          const rng = createRng(seed);
          const offset = 1_782_820_800_000_000_000n + extra;
          const { host, reader } = fakeHost(5_000_000_000n, offset);
          const tracker = new TodTracker(reader);
          for (let i = 0; i < 400; i++) {
            host.mono += BigInt(Math.floor(5_000_000 + rng.uniform() * 10_000_000));
            expect(tracker.observe()).toBeNull();
          }
          const error = Number(tracker.systemNsAt(host.mono) - (host.mono + offset));
          expect(Math.abs(error)).toBeLessThanOrEqual(tracker.uncertaintyNs() + 1);
          expect(tracker.uncertaintyNs()).toBeLessThan(50_000);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("reports a step of the time of day (forward, backward, a resume from suspend) once, then follows", () => {
    const { host, reader } = fakeHost(1_000_000_000n, 1_700_000_000_000_000_000n);
    const steps: TodStep[] = [];
    const tracker = new TodTracker(reader, { onStep: (s) => steps.push(s) });
    const run = (n: number) => {
      for (let i = 0; i < n; i++) {
        host.mono += 7_654_321n;
        tracker.observe();
      }
    };
    run(200);
    host.offset -= 250_000_000n; // an NTP step back by 250 ms
    run(200);
    host.offset += 3_600_000_000_000n; // an hour asleep: ToD went on, mono did not
    run(200);
    expect(steps.map((s) => Math.round(s.stepNs / 1e6))).toEqual([-250, 3_600_000]);
    expect(Math.abs(steps[0]!.stepNs + 250e6)).toBeLessThanOrEqual(1e6);
    const error = Number(tracker.systemNsAt(host.mono) - (host.mono + host.offset));
    expect(Math.abs(error)).toBeLessThanOrEqual(tracker.uncertaintyNs() + 1);
  });

  it("takes a slow slew of the time of day in its stride", () => {
    const { host, reader } = fakeHost(0n, 1_700_000_000_000_000_000n);
    const tracker = new TodTracker(reader);
    for (let i = 0; i < 20_000; i++) {
      host.mono += 10_000_000n;
      host.offset += 15n; // 1.5 ppm faster than the monotonic clock
      expect(tracker.observe()).toBeNull();
    }
  });
});
