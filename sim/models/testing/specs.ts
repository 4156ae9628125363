// Oscillator specs for tests (figures in the range of ../../../shared/reference/timekeeping.md §7.3).

import type { Oscillator } from "../../../boards/types.ts";

const src = "(test fixture)";

export function oscillatorSpec(overrides: {
  type?: Oscillator["type"];
  tolerancePpm?: number;
  temperature?: Oscillator["temperature"]["value"];
  agingPpmPerYear?: number;
  whiteFmAdev1s?: number;
  randomWalkFmAdev1s?: number;
  rcCalibration?: { periodS: number; stepPpm: number };
}): Oscillator {
  const spec: Oscillator = {
    name: "test oscillator",
    type: overrides.type ?? "tuning-fork-32k",
    nominalHz: 32_768,
    tolerancePpm: { value: overrides.tolerancePpm ?? 20, source: src },
    temperature: {
      value: overrides.temperature ?? { model: "parabolic", turnoverC: 25, kPpmPerC2: -0.034 },
      source: src,
    },
    agingPpmPerYear: { value: overrides.agingPpmPerYear ?? 3, source: src },
    noise: {
      value: {
        whiteFmAdev1s: overrides.whiteFmAdev1s ?? 0,
        randomWalkFmAdev1s: overrides.randomWalkFmAdev1s ?? 0,
      },
      source: src,
    },
  };
  if (overrides.rcCalibration !== undefined)
    spec.rcCalibration = { value: overrides.rcCalibration, source: src };
  return spec;
}
