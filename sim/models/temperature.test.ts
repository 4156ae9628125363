import { describe, expect, it } from "vitest";
import {
  constantTemperature,
  dailyCycle,
  rampTemperature,
  stepTemperature,
  sumTemperature,
} from "./temperature.ts";

describe("temperature profiles", () => {
  it("constant, ramp and step", () => {
    expect(constantTemperature(21.5).at(1e6)).toBe(21.5);
    const ramp = rampTemperature({ from: 20, to: 40, startS: 100, durationS: 200 });
    expect([ramp.at(0), ramp.at(100), ramp.at(200), ramp.at(300), ramp.at(1e9)]).toEqual([
      20, 20, 30, 40, 40,
    ]);
    const instant = rampTemperature({ from: 20, to: 40, startS: 100, durationS: 0 });
    expect([instant.at(99.9), instant.at(100)]).toEqual([20, 40]);
    const step = stepTemperature({ before: 25, after: -10, atS: 50 });
    expect([step.at(49.999), step.at(50), step.at(51)]).toEqual([25, -10, -10]);
  });

  it("daily cycle peaks a quarter period after phaseS", () => {
    const cycle = dailyCycle({ meanC: 20, amplitudeC: 5, phaseS: 3600 });
    expect(cycle.at(3600)).toBeCloseTo(20, 12);
    expect(cycle.at(3600 + 86_400 / 4)).toBeCloseTo(25, 12);
    expect(cycle.at(3600 + (3 * 86_400) / 4)).toBeCloseTo(15, 12);
    expect(dailyCycle({ meanC: 0, amplitudeC: 1, periodS: 60 }).at(15)).toBeCloseTo(1, 12);
  });

  it("sums a base profile and offsets", () => {
    const t = sumTemperature(
      dailyCycle({ meanC: 20, amplitudeC: 2, periodS: 100 }),
      stepTemperature({ before: 0, after: 5, atS: 10 }),
    );
    expect(t.at(0)).toBeCloseTo(20, 12);
    expect(t.at(25)).toBeCloseTo(27, 12);
  });

  it("rejects bad parameters with reasons", () => {
    expect(() => constantTemperature(Number.NaN)).toThrow(/c must be a finite number/);
    expect(() => constantTemperature(-300)).toThrow(/not a plausible temperature/);
    expect(() => rampTemperature({ from: 0, to: 1, startS: 0, durationS: -1 })).toThrow(
      /durationS must be ≥ 0/,
    );
    expect(() => dailyCycle({ meanC: 20, amplitudeC: -1 })).toThrow(/amplitudeC must be ≥ 0/);
    expect(() => dailyCycle({ meanC: 20, amplitudeC: 1, periodS: 0 })).toThrow(/periodS must be > 0/);
    expect(() => stepTemperature({ before: 0, after: 1, atS: Number.POSITIVE_INFINITY })).toThrow(/atS/);
    expect(() => sumTemperature()).toThrow(/at least one/);
    expect(() => sumTemperature({} as never)).toThrow(/not a profile/);
  });
});
