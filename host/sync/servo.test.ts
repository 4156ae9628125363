import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_SERVO, PiServo } from "./servo.ts";

describe("PI servo", () => {
  it("steps on the first usable pair, then locks onto any constant frequency and phase exactly", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: -500_000, max: 500_000 }),
        (phase, ppb) => {
          const servo = new PiServo();
          const states: string[] = [];
          for (let k = 0; k <= 30; k++) {
            const t = k * 1e9;
            states.push(servo.sample(phase + ppb * 1e-9 * t, t).state);
          }
          expect(states[0]).toBe("unlocked");
          expect(states).toContain("step");
          expect(states.at(-1)).toBe("locked");
          expect(servo.freqPpb).toBeCloseTo(ppb, 3);
          expect(servo.predict(40e9)).toBeCloseTo(phase + ppb * 40, 0);
        },
      ),
    );
  });

  it("follows a frequency change and settles to it", () => {
    const servo = new PiServo();
    let offset = 0;
    for (let k = 0; k < 300; k++) {
      const ppb = k < 100 ? 1000 : 3000;
      offset += ppb; // per 1 s sample
      servo.sample(offset, k * 1e9);
    }
    expect(servo.freqPpb).toBeCloseTo(3000, 0);
    expect(Math.abs(servo.predict(299e9) - offset)).toBeLessThan(1);
  });

  it("resets past the step threshold", () => {
    const servo = new PiServo({ ...DEFAULT_SERVO, stepThresholdNs: 1e6 });
    for (let k = 0; k <= 20; k++) servo.sample(0, k * 1e9);
    expect(servo.state).toBe("locked");
    expect(servo.sample(5e6, 21e9).state).toBe("unlocked");
  });
});
