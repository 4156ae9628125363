// Temperature profiles (°C as a function of true time) for oscillators and boards.

import type { TemperatureProfile } from "../contracts.ts";
import { paramChecks } from "./params.ts";

const { finite } = paramChecks("temperature");

/** Below absolute zero or hotter than any board survives: certainly a unit mistake. */
function plausibleC(name: string, v: unknown): number {
  const c = finite(name, v);
  if (c < -273.15 || c > 1000)
    throw new RangeError(`temperature: ${name} = ${c} °C is not a plausible temperature`);
  return c;
}

export function constantTemperature(c: number): TemperatureProfile {
  const value = plausibleC("c", c);
  return { at: () => value };
}

/** Linear from `from` to `to` over [startS, startS + durationS]; flat outside. durationS = 0 is a step. */
export function rampTemperature(p: {
  from: number;
  to: number;
  startS: number;
  durationS: number;
}): TemperatureProfile {
  const from = plausibleC("from", p.from);
  const to = plausibleC("to", p.to);
  const startS = finite("startS", p.startS);
  const durationS = finite("durationS", p.durationS);
  if (durationS < 0) throw new RangeError(`temperature: ramp durationS must be ≥ 0, got ${durationS}`);
  const endS = startS + durationS;
  return {
    at(t) {
      if (t < startS) return from;
      if (t >= endS) return to;
      return from + ((to - from) * (t - startS)) / durationS;
    },
  };
}

/** `before` until atS, `after` from atS on. */
export function stepTemperature(p: { before: number; after: number; atS: number }): TemperatureProfile {
  const before = plausibleC("before", p.before);
  const after = plausibleC("after", p.after);
  const atS = finite("atS", p.atS);
  return { at: (t) => (t < atS ? before : after) };
}

/** meanC + amplitudeC·sin(2π(t − phaseS)/periodS): the maximum is at phaseS + periodS/4. */
export function dailyCycle(p: {
  meanC: number;
  amplitudeC: number;
  periodS?: number;
  phaseS?: number;
}): TemperatureProfile {
  const meanC = plausibleC("meanC", p.meanC);
  const amplitudeC = finite("amplitudeC", p.amplitudeC);
  if (amplitudeC < 0) throw new RangeError(`temperature: amplitudeC must be ≥ 0, got ${amplitudeC}`);
  const periodS = finite("periodS", p.periodS ?? 86_400);
  if (periodS <= 0) throw new RangeError(`temperature: periodS must be > 0, got ${periodS}`);
  const phaseS = finite("phaseS", p.phaseS ?? 0);
  const omega = (2 * Math.PI) / periodS;
  return { at: (t) => meanC + amplitudeC * Math.sin(omega * (t - phaseS)) };
}

/**
 * Sum of profiles: the first gives the base temperature, the others add their values as offsets,
 * e.g. sumTemperature(dailyCycle({meanC: 20, …}), stepTemperature({before: 0, after: 5, atS})).
 */
export function sumTemperature(...parts: TemperatureProfile[]): TemperatureProfile {
  if (parts.length === 0) throw new RangeError("temperature: sumTemperature needs at least one profile");
  for (const [i, part] of parts.entries()) {
    if (typeof part?.at !== "function")
      throw new TypeError(`temperature: sumTemperature argument ${i} is not a profile`);
  }
  const list = parts.slice();
  return {
    at(t) {
      let c = 0;
      for (const part of list) c += part.at(t);
      return c;
    },
  };
}
