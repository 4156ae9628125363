// A monotonic clock built from getTime() readings. Espruino has one clock and setTime() moves it
// (espruino.md §1.1), so a raw step that no real interval explains is a setTime jump: it is absorbed
// and counted, and the monotonic value advances by a plausible elapsed time instead.
//
// Within a segment between jumps the value is base + round((raw − baseRaw)·1e6): no rounding error
// accumulates from sample to sample, and it is integer µs as a double (exact to 2^53 µs, 285 years).

export interface MonotonicState {
  /** A forward step larger than this since the previous sample is a jump (the firmware samples more often). */
  maxGapS: number;
  /** Backward steps up to this are timebase jitter (held, not counted); larger ones are jumps. */
  backJitterS: number;
  /** Elapsed time credited across a jump: the nominal sampling interval. */
  jumpCreditUs: number;
  /** Raw reading at the start of the current segment, or NaN before the first sample. */
  baseRawS: number;
  /** Monotonic value at the start of the current segment, µs. */
  baseUs: number;
  lastRawS: number;
  lastUs: number;
  jumps: number;
  /** Raw step minus the credited time of the latest jump, µs (what setTime moved the clock by). */
  lastJumpUs: number;
  /** Sum of |absorbed jump| over all jumps, µs. */
  absorbedUs: number;
}

export function createMonotonicState(
  maxGapS: number,
  jumpCreditS: number,
  backJitterS: number,
): MonotonicState {
  return {
    maxGapS: maxGapS,
    backJitterS: backJitterS,
    jumpCreditUs: Math.round(jumpCreditS * 1000000),
    baseRawS: NaN,
    baseUs: 0,
    lastRawS: NaN,
    lastUs: 0,
    jumps: 0,
    lastJumpUs: 0,
    absorbedUs: 0,
  };
}

/** Takes a getTime() reading; returns the monotonic time in integer µs since the first sample. */
export function monotonicSample(state: MonotonicState, rawS: number): number {
  if (rawS !== rawS) return state.lastUs;
  if (state.baseRawS !== state.baseRawS) {
    state.baseRawS = rawS;
    state.baseUs = 0;
    state.lastRawS = rawS;
    state.lastUs = 0;
    return 0;
  }
  const stepS = rawS - state.lastRawS;
  if (stepS > state.maxGapS || stepS < -state.backJitterS) {
    const jumpUs = Math.round(stepS * 1000000) - state.jumpCreditUs;
    state.jumps++;
    state.lastJumpUs = jumpUs;
    state.absorbedUs += jumpUs < 0 ? -jumpUs : jumpUs;
    state.baseRawS = rawS;
    state.baseUs = state.lastUs + state.jumpCreditUs;
    state.lastRawS = rawS;
    state.lastUs = state.baseUs;
    return state.lastUs;
  }
  const us = state.baseUs + Math.round((rawS - state.baseRawS) * 1000000);
  state.lastRawS = rawS;
  if (us > state.lastUs) state.lastUs = us;
  return state.lastUs;
}

/**
 * The monotonic time of an event stamped with the same clock (a setWatch e.time) in the current
 * segment, without taking a sample: stamps taken before the latest jump map wrongly, as on the board.
 */
export function monotonicMapUs(state: MonotonicState, rawS: number): number {
  return state.baseUs + Math.round((rawS - state.baseRawS) * 1000000);
}
