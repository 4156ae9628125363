import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMonotonicState, monotonicMapUs, monotonicSample } from "./monotonic.ts";

function fresh() {
  return createMonotonicState(5, 1, 0.001);
}

describe("monotonicSample", () => {
  it("follows raw readings in integer µs from the first sample", () => {
    const st = fresh();
    expect(monotonicSample(st, 100.25)).toBe(0);
    expect(monotonicSample(st, 101.25)).toBe(1000000);
    expect(monotonicSample(st, 101.2500004)).toBe(1000000);
    expect(monotonicSample(st, 103.7500006)).toBe(3500001);
    expect(st.jumps).toBe(0);
  });

  it("absorbs a setTime jump forward and backward, crediting one nominal interval", () => {
    const st = fresh();
    monotonicSample(st, 10);
    monotonicSample(st, 11);
    expect(monotonicSample(st, 1.7e9)).toBe(2000000);
    expect(st.jumps).toBe(1);
    expect(st.lastJumpUs).toBe(Math.round((1.7e9 - 11) * 1e6) - 1000000);
    expect(monotonicSample(st, 1.7e9 + 0.5)).toBe(2500000);
    expect(monotonicSample(st, 1.7e9 - 100)).toBe(3500000);
    expect(st.jumps).toBe(2);
    expect(st.lastJumpUs).toBe(-101500000);
    expect(monotonicMapUs(st, 1.7e9 - 99.75)).toBe(3750000);
  });

  it("holds through small backward jitter without counting a jump", () => {
    const st = fresh();
    monotonicSample(st, 5);
    expect(monotonicSample(st, 6)).toBe(1000000);
    expect(monotonicSample(st, 5.9995)).toBe(1000000);
    expect(monotonicSample(st, 6.5)).toBe(1500000);
    expect(st.jumps).toBe(0);
  });

  it("ignores NaN", () => {
    const st = fresh();
    monotonicSample(st, 5);
    monotonicSample(st, 6);
    expect(monotonicSample(st, NaN)).toBe(1000000);
    expect(monotonicSample(st, 7)).toBe(2000000);
  });

  it("property: never decreases, and advances by the true interval except across jumps", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dtS: fc.double({ min: 0, max: 4, noNaN: true }),
            jump: fc.option(fc.double({ min: -2e9, max: 2e9, noNaN: true }), { freq: 5 }),
          }),
          { minLength: 1, maxLength: 200 },
        ),
        fc.double({ min: 0, max: 2e9, noNaN: true }),
        (steps, startS) => {
          const st = fresh();
          let raw = startS;
          let prev = monotonicSample(st, raw);
          let jumpsMade = 0;
          for (const step of steps) {
            raw += step.dtS;
            if (step.jump !== null) {
              raw += step.jump;
              jumpsMade++;
            }
            const before = st.jumps;
            const mono = monotonicSample(st, raw);
            expect(mono).toBeGreaterThanOrEqual(prev);
            expect(Number.isInteger(mono)).toBe(true);
            if (st.jumps === before) expect(mono - prev).toBeLessThanOrEqual(4 * 1e6 + 1 + 5e6);
            prev = mono;
          }
          expect(st.jumps).toBeLessThanOrEqual(jumpsMade);
        },
      ),
      { numRuns: 300 },
    );
  });
});
