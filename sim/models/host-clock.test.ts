import { describe, expect, it } from "vitest";
import { createRng } from "../rng.ts";
import { createHostClock } from "./host-clock.ts";
import { createOscillator } from "./oscillator.ts";
import { constantTemperature } from "./temperature.ts";
import { oscillatorSpec } from "./testing/specs.ts";

function hostClock(initialErrorPpm = 10) {
  const monotonic = createOscillator(
    oscillatorSpec({ type: "host", tolerancePpm: 50, whiteFmAdev1s: 1e-9 }),
    {
      rng: createRng("host"),
      temperature: constantTemperature(25),
      initialErrorPpm,
      agingPpmPerYear: 0,
      initialLocalS: 5000,
      historyS: 1e6,
    },
  );
  return { monotonic, clock: createHostClock({ monotonic, initialTimeOfDayS: 1_000_000 }) };
}

describe("createHostClock", () => {
  it("monotonic follows the oscillator's rate error; time of day follows it until adjusted", () => {
    const { monotonic, clock } = hostClock(10);
    expect(clock.monotonicAt(100)).toBe(monotonic.localAt(100));
    expect(clock.monotonicAt(1000) - clock.monotonicAt(0)).toBeCloseTo(1000 * (1 + 10e-6), 6);
    expect(clock.timeOfDayAt(0)).toBe(1_000_000);
    expect(clock.timeOfDayAt(1000)).toBeCloseTo(1_000_000 + 1000 * (1 + 10e-6), 6);
  });

  it("a backward step shows in time of day but not in the monotonic clock", () => {
    const { clock } = hostClock();
    clock.schedule({ atS: 100, stepS: -2.5 });
    const before = clock.timeOfDayAt(99.999);
    const after = clock.timeOfDayAt(100);
    expect(after - before).toBeCloseTo(-2.5 + 0.001, 5);
    expect(clock.monotonicAt(100) - clock.monotonicAt(99.999)).toBeGreaterThan(0);
    let last = -Infinity;
    for (let t = 90; t < 110; t += 0.01) {
      const m = clock.monotonicAt(t);
      expect(m).toBeGreaterThan(last);
      last = m;
    }
    expect(clock.adjustmentAt(200)).toBe(-2.5);
  });

  it("slews at most 500 ppm, linearly, until the offset is applied", () => {
    const { clock } = hostClock();
    clock.slew({ atS: 10, offsetS: 0.05 }); // needs 100 s at 500 ppm
    expect(clock.adjustmentAt(10)).toBe(0);
    expect(clock.adjustmentAt(60)).toBeCloseTo(0.025, 12);
    expect(clock.remainingSlewAt(60)).toBeCloseTo(0.025, 12);
    expect(clock.adjustmentAt(110)).toBeCloseTo(0.05, 12);
    expect(clock.adjustmentAt(1000)).toBeCloseTo(0.05, 12);
    const rate =
      (clock.timeOfDayAt(51) - clock.timeOfDayAt(50)) / (clock.monotonicAt(51) - clock.monotonicAt(50)) - 1;
    expect(rate).toBeCloseTo(500e-6, 8);
    const negative = hostClock().clock;
    negative.slew({ atS: 0, offsetS: -0.001 });
    expect(negative.adjustmentAt(1)).toBeCloseTo(-0.0005, 12);
    expect(negative.adjustmentAt(5)).toBeCloseTo(-0.001, 12);
  });

  it("a new slew replaces the unfinished one; a step cancels a slew in progress", () => {
    const { clock } = hostClock();
    clock.slew({ atS: 0, offsetS: 0.1 });
    clock.slew({ atS: 20, offsetS: -0.002 }); // 0.01 applied so far, then −0.002 over 4 s
    expect(clock.adjustmentAt(24)).toBeCloseTo(0.008, 12);
    expect(clock.adjustmentAt(500)).toBeCloseTo(0.008, 12);
    clock.step({ atS: 30, stepS: 1 });
    clock.slew({ atS: 40, offsetS: 1 });
    clock.step({ atS: 50, stepS: 0 });
    expect(clock.adjustmentAt(60)).toBeCloseTo(1.008 + 10 * 500e-6, 12);
    expect(clock.remainingSlewAt(60)).toBe(0);
  });

  it("accepts adjustments registered out of order", () => {
    const a = hostClock().clock;
    a.step({ atS: 50, stepS: 1 });
    a.slew({ atS: 10, offsetS: 0.001 });
    const b = hostClock().clock;
    b.slew({ atS: 10, offsetS: 0.001 });
    b.step({ atS: 50, stepS: 1 });
    for (const t of [0, 11, 12, 49, 50, 51, 100]) expect(a.timeOfDayAt(t)).toBe(b.timeOfDayAt(t));
  });

  it("rejects bad adjustments with reasons", () => {
    const { monotonic, clock } = hostClock();
    expect(() => clock.step({ atS: Number.NaN, stepS: 1 })).toThrow(/atS must be a finite/);
    expect(() => clock.step({ atS: -1, stepS: 1 })).toThrow(/atS must be ≥ 0/);
    expect(() => clock.slew({ atS: 1, offsetS: Number.POSITIVE_INFINITY })).toThrow(/offsetS/);
    expect(() => createHostClock({ monotonic, maxSlewPpm: 0 })).toThrow(/maxSlewPpm must be > 0/);
    expect(() => createHostClock({ monotonic: undefined as never })).toThrow(/monotonic clock is required/);
  });
});
