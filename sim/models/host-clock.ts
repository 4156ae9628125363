// A host's two clocks: a monotonic clock (an oscillator's local time: rate error, never steps) and a
// time-of-day clock = monotonic elapsed + adjustments made by an NTP-like agent:
//   step({atS, stepS})   ToD jumps by stepS at true time atS (backwards when negative) and, like
//                        Linux settimeofday(), cancels any slew still in progress;
//   slew({atS, offsetS}) from atS ToD gains offsetS at ±maxSlewPpm of true time until done; like
//                        adjtime(), a new slew replaces the unfinished part of the previous one.
// Adjustments may be registered in any order; ToD at t depends only on those with atS ≤ t (equal
// times apply in registration order).

import type { BoardClock } from "../contracts.ts";
import { paramChecks } from "./params.ts";

const { fail, finite } = paramChecks("host clock");

export interface HostClockOptions {
  /** The oscillator-driven clock behind both (e.g. createOscillator with a "host" spec). */
  monotonic: BoardClock;
  /** Time-of-day reading at true time 0, seconds in the caller's epoch (default 0). */
  initialTimeOfDayS?: number;
  /** Maximum slew rate, ppm (default 500, the Linux adjtime/NTP limit). */
  maxSlewPpm?: number;
}

export interface HostClock {
  monotonicAt(trueTimeS: number): number;
  timeOfDayAt(trueTimeS: number): number;
  /** Sum of the steps and slews applied by true time t (time of day − initial − monotonic elapsed). */
  adjustmentAt(trueTimeS: number): number;
  /** Slew still to be applied at true time t. */
  remainingSlewAt(trueTimeS: number): number;
  step(p: { atS: number; stepS: number }): void;
  /** Alias of step, as the brief names it. */
  schedule(p: { atS: number; stepS: number }): void;
  slew(p: { atS: number; offsetS: number }): void;
}

interface Adjustment {
  atS: number;
  seq: number;
  kind: "step" | "slew";
  amountS: number;
  // Derived state after applying this adjustment:
  offsetS: number;
  rateSPerS: number;
  slewEndS: number;
}

export function createHostClock(options: HostClockOptions): HostClock {
  const monotonic = options.monotonic;
  if (typeof monotonic?.localAt !== "function") fail("monotonic clock is required");
  const initialTodS = finite("initialTimeOfDayS", options.initialTimeOfDayS ?? 0);
  const maxSlewPpm = finite("maxSlewPpm", options.maxSlewPpm ?? 500);
  if (maxSlewPpm <= 0) fail(`maxSlewPpm must be > 0, got ${maxSlewPpm}`);
  const maxRate = maxSlewPpm * 1e-6;
  const monotonicStartS = monotonic.localAt(0);
  const timeline: Adjustment[] = [];
  let seq = 0;

  /** Index of the last adjustment with atS ≤ t, or −1. */
  const lastAtOrBefore = (t: number): number => {
    let lo = 0;
    let hi = timeline.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((timeline[mid] as Adjustment).atS <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  };

  const valueAt = (a: Adjustment, t: number): number =>
    a.offsetS + a.rateSPerS * (Math.min(t, a.slewEndS) - a.atS);

  const recompute = (from: number): void => {
    for (let i = from; i < timeline.length; i++) {
      const a = timeline[i] as Adjustment;
      const prev = timeline[i - 1];
      const before = prev === undefined ? 0 : valueAt(prev, a.atS);
      if (a.kind === "step") {
        a.offsetS = before + a.amountS;
        a.rateSPerS = 0;
        a.slewEndS = a.atS;
      } else {
        a.offsetS = before;
        a.rateSPerS = Math.sign(a.amountS) * maxRate;
        a.slewEndS = a.atS + Math.abs(a.amountS) / maxRate;
      }
    }
  };

  const add = (kind: "step" | "slew", atS: number, amountS: number): void => {
    finite("atS", atS);
    if (atS < 0) fail(`atS must be ≥ 0, got ${atS}`);
    finite(kind === "step" ? "stepS" : "offsetS", amountS);
    const a: Adjustment = { atS, seq: seq++, kind, amountS, offsetS: 0, rateSPerS: 0, slewEndS: atS };
    const i = lastAtOrBefore(atS) + 1;
    timeline.splice(i, 0, a);
    recompute(i);
  };

  const adjustmentAt = (t: number): number => {
    const i = lastAtOrBefore(t);
    return i < 0 ? 0 : valueAt(timeline[i] as Adjustment, t);
  };

  const step = (p: { atS: number; stepS: number }): void => add("step", p.atS, p.stepS);

  return {
    monotonicAt: (t) => monotonic.localAt(t),
    timeOfDayAt: (t) => initialTodS + (monotonic.localAt(t) - monotonicStartS) + adjustmentAt(t),
    adjustmentAt,
    remainingSlewAt(t) {
      const i = lastAtOrBefore(t);
      if (i < 0) return 0;
      const a = timeline[i] as Adjustment;
      return a.rateSPerS * Math.max(0, a.slewEndS - t);
    },
    step,
    schedule: step,
    slew: (p) => add("slew", p.atS, p.offsetS),
  };
}
