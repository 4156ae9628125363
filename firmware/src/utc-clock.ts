// The disciplined UTC clock: maps local monotonic time (µs) to UTC, from the servo's estimate at each
// PPS edge. Steps only on the first lock or when the error exceeds the panic threshold; otherwise it
// slews at no more than maxSlewPpb, so readings stay continuous and monotonic. Each reading carries its
// error bound (bound.ts) and is shown under the configured leap policy (leap.ts).
//
// Internally the clock runs on the elapsed scale E of leap.ts (continuous SI seconds, POSIX before a
// pending leap). The mapping is E(t) = anchor + (t − anchorUs)·(1 + rate), rate = base + slew while a slew
// lasts, held as whole seconds + ns so that ~1.8e9 s keeps ns resolution.
import { boundCompute, createBoundResult, type BoundConfig, type BoundResult } from "./bound.ts";
import {
  createLeapDisplay,
  leapDisplay,
  leapEndElapsedS,
  leapLabelToElapsedS,
  type LeapDisplay,
  type LeapPolicy,
} from "./leap.ts";

export const UTC_SERVO_UNLOCKED = 0;
export const UTC_SERVO_LOCKED = 1;
export const UTC_SERVO_HOLDOVER = 2;

/** Events returned by utcClockUpdate (bit flags). */
export const UTC_EVT_STEP = 1;
export const UTC_EVT_SLEW = 2;
export const UTC_EVT_FIRST_LOCK = 4;
export const UTC_EVT_LEAP_DONE = 8;

/** ntpd's step threshold (STEPT, 128 ms): larger offsets are stepped, smaller ones slewed. */
export const UTC_DEFAULT_PANIC_NS = 128000000;
/** ntpd's and the NTP specification's maximum slew, 500 ppm. */
export const UTC_DEFAULT_MAX_SLEW_PPB = 500000;
/** A small error is slewed out over this long (the next update normally follows 1 s later). */
export const UTC_DEFAULT_SLEW_TIME_S = 1;
/** The monotonic input is integer µs: up to half a µs of rounding on top of the bound. */
const MONO_ROUNDING_NS = 500;

export interface UtcClockConfig {
  panicNs: number;
  maxSlewPpb: number;
  slewTimeS: number;
  leapPolicy: LeapPolicy;
  bound: BoundConfig;
}

export function createUtcClockConfig(bound: BoundConfig, leapPolicy: LeapPolicy): UtcClockConfig {
  return {
    panicNs: UTC_DEFAULT_PANIC_NS,
    maxSlewPpb: UTC_DEFAULT_MAX_SLEW_PPB,
    slewTimeS: UTC_DEFAULT_SLEW_TIME_S,
    leapPolicy: leapPolicy,
    bound: bound,
  };
}

/** One update, reused: the servo's estimate at a PPS edge and the UTC label of that edge. */
export interface UtcClockInput {
  /** UTC_SERVO_*. */
  servoState: number;
  /** Monotonic µs when the update is applied (continuity is kept at this instant). */
  nowUs: number;
  /** Monotonic µs of the PPS edge the estimate refers to. */
  edgeUs: number;
  /** The edge's UTC label as POSIX seconds (civil.ts; 23:59:60 gives the next midnight, with second60). */
  labelPosixS: number;
  labelSecond60: boolean;
  /** Servo phase offset local − GPS at the edge, ns: the true edge is at edgeUs·1000 − phaseOffsetNs. */
  phaseOffsetNs: number;
  phaseSigmaNs: number;
  /** Local clock frequency error, ppb (positive: the local clock runs fast). NaN: no estimate. */
  freqErrorPpb: number;
  freqSigmaPpb: number;
  /** Board temperature, °C, or NaN. */
  temperatureC: number;
}

export function createUtcClockInput(): UtcClockInput {
  return {
    servoState: UTC_SERVO_UNLOCKED,
    nowUs: 0,
    edgeUs: 0,
    labelPosixS: 0,
    labelSecond60: false,
    phaseOffsetNs: 0,
    phaseSigmaNs: 0,
    freqErrorPpb: NaN,
    freqSigmaPpb: 0,
    temperatureC: NaN,
  };
}

export interface UtcReading {
  /** False until the first lock. */
  valid: boolean;
  /** Displayed UTC, whole POSIX seconds and integer ns. */
  s: number;
  ns: number;
  /** The second shown is 23:59:60 ("step" policy). */
  second60: boolean;
  servoState: number;
  /** Seconds since the last good PPS. */
  ageS: number;
  /** True time lies within [reading + earliest, reading + latest], ns: 95 % and hard. */
  earliest95Ns: number;
  latest95Ns: number;
  earliestHardNs: number;
  latestHardNs: number;
}

export function createUtcReading(): UtcReading {
  return {
    valid: false,
    s: 0,
    ns: 0,
    second60: false,
    servoState: UTC_SERVO_UNLOCKED,
    ageS: 0,
    earliest95Ns: 0,
    latest95Ns: 0,
    earliestHardNs: 0,
    latestHardNs: 0,
  };
}

export interface UtcClockState {
  config: UtcClockConfig;
  set: boolean;
  servoState: number;
  anchorUs: number;
  anchorS: number;
  anchorNs: number;
  /** Rate correction that turns local into true seconds, ppb (−freqError/(1 + freqError)). */
  basePpb: number;
  /** Added to basePpb until slewEndUs; slewErrNs is the error (clock − target) it removes. */
  slewPpb: number;
  slewEndUs: number;
  slewErrNs: number;
  lastGoodUs: number;
  phaseSigmaNs: number;
  freqSigmaPpb: number;
  /** Temperature at the last good PPS and the range measured since (NaN: no sensor). */
  lockTempC: number;
  tempMinC: number;
  tempMaxC: number;
  leapPosixS: number;
  leapSign: number;
  steps: number;
  /** Size of the latest step (new reading − old reading), ns; 0 for the first lock. */
  lastStepNs: number;
  slews: number;
  /** Error being slewed out by the latest slew (clock − target), ns. */
  lastSlewNs: number;
  leapsDone: number;
  // Scratch, so that reading allocates nothing.
  eS: number;
  eNs: number;
  display: LeapDisplay;
  bound: BoundResult;
}

export function createUtcClockState(config: UtcClockConfig): UtcClockState {
  return {
    config: config,
    set: false,
    servoState: UTC_SERVO_UNLOCKED,
    anchorUs: 0,
    anchorS: 0,
    anchorNs: 0,
    basePpb: 0,
    slewPpb: 0,
    slewEndUs: 0,
    slewErrNs: 0,
    lastGoodUs: 0,
    phaseSigmaNs: 0,
    freqSigmaPpb: 0,
    lockTempC: NaN,
    tempMinC: NaN,
    tempMaxC: NaN,
    leapPosixS: 0,
    leapSign: 0,
    steps: 0,
    lastStepNs: 0,
    slews: 0,
    lastSlewNs: 0,
    leapsDone: 0,
    eS: 0,
    eNs: 0,
    display: createLeapDisplay(),
    bound: createBoundResult(),
  };
}

/** Announces a leap second (leapPosixS: the midnight after it; sign ±1, 0 cancels). Ignored under "none". */
export function utcClockSetLeap(state: UtcClockState, leapPosixS: number, sign: number): void {
  if (state.config.leapPolicy === "none") return;
  state.leapPosixS = sign === 0 ? 0 : leapPosixS;
  state.leapSign = sign > 0 ? 1 : sign < 0 ? -1 : 0;
}

function setAnchor(state: UtcClockState, us: number, s: number, ns: number): void {
  const carry = Math.floor(ns / 1000000000);
  state.anchorUs = us;
  state.anchorS = s + carry;
  state.anchorNs = ns - carry * 1000000000;
}

/** Elapsed-scale reading at monoUs into state.eS / state.eNs (ns fractional). */
function elapsedAt(state: UtcClockState, monoUs: number): void {
  const dtUs = monoUs - state.anchorUs;
  let corrNs: number;
  if (state.slewPpb !== 0 && monoUs > state.slewEndUs) {
    corrNs = (dtUs * state.basePpb + (state.slewEndUs - state.anchorUs) * state.slewPpb) * 1e-6;
  } else {
    corrNs = dtUs * (state.basePpb + state.slewPpb) * 1e-6;
  }
  const totalNs = state.anchorNs + dtUs * 1000 + corrNs;
  const carry = Math.floor(totalNs / 1000000000);
  state.eS = state.anchorS + carry;
  state.eNs = totalNs - carry * 1000000000;
}

/** Clock − target error still to be slewed out at monoUs, ns. */
function slewRemainingNs(state: UtcClockState, monoUs: number): number {
  if (state.slewPpb === 0 || monoUs >= state.slewEndUs) return 0;
  if (monoUs <= state.anchorUs) return state.slewErrNs;
  return (state.slewErrNs * (state.slewEndUs - monoUs)) / (state.slewEndUs - state.anchorUs);
}

function ratePpbFromFreqError(freqErrorPpb: number): number {
  return -freqErrorPpb / (1 + freqErrorPpb * 1e-9);
}

function startSlew(state: UtcClockState, nowUs: number, errNs: number): void {
  const mag = errNs < 0 ? -errNs : errNs;
  let ratePpb = mag / state.config.slewTimeS;
  if (ratePpb > state.config.maxSlewPpb) ratePpb = state.config.maxSlewPpb;
  if (!(ratePpb > 0)) {
    state.slewPpb = 0;
    state.slewErrNs = 0;
    return;
  }
  state.slewPpb = errNs > 0 ? -ratePpb : ratePpb;
  state.slewEndUs = nowUs + (mag / ratePpb) * 1000000;
  state.slewErrNs = errNs;
}

function trackTemperature(state: UtcClockState, tempC: number): void {
  if (tempC !== tempC || state.lockTempC !== state.lockTempC) return;
  if (tempC < state.tempMinC) state.tempMinC = tempC;
  if (tempC > state.tempMaxC) state.tempMaxC = tempC;
}

/** Feeds a temperature reading between updates (for the holdover bound). */
export function utcClockTemperature(state: UtcClockState, tempC: number): void {
  trackTemperature(state, tempC);
}

function foldLeap(state: UtcClockState, nowUs: number, labelPosixS: number): number {
  if (state.leapSign === 0) return 0;
  const endS = leapEndElapsedS(state.config.leapPolicy, state.leapPosixS, state.leapSign);
  let done: boolean;
  if (state.set) {
    elapsedAt(state, nowUs);
    done = state.eS >= endS;
    // The display is E − sign from here on: shift the mapping so that E is POSIX again.
    if (done) state.anchorS -= state.leapSign;
  } else {
    done = labelPosixS >= endS;
  }
  if (!done) return 0;
  state.leapSign = 0;
  state.leapPosixS = 0;
  state.leapsDone++;
  return UTC_EVT_LEAP_DONE;
}

/** Applies one servo update; returns UTC_EVT_* flags. */
export function utcClockUpdate(state: UtcClockState, input: UtcClockInput): number {
  const nowUs = input.nowUs;
  let events = foldLeap(state, nowUs, input.labelPosixS);
  state.servoState = input.servoState;

  if (input.servoState !== UTC_SERVO_LOCKED) {
    trackTemperature(state, input.temperatureC);
    if (state.set && input.servoState === UTC_SERVO_HOLDOVER && input.freqErrorPpb === input.freqErrorPpb) {
      const remainingNs = slewRemainingNs(state, nowUs);
      elapsedAt(state, nowUs);
      setAnchor(state, nowUs, state.eS, state.eNs);
      state.basePpb = ratePpbFromFreqError(input.freqErrorPpb);
      if (state.slewPpb !== 0) state.slewErrNs = remainingNs;
    }
    return events;
  }

  const labelS =
    state.leapSign === 0
      ? input.labelPosixS
      : leapLabelToElapsedS(input.labelPosixS, input.labelSecond60, state.leapPosixS, state.leapSign);
  const freqPpb = input.freqErrorPpb === input.freqErrorPpb ? input.freqErrorPpb : 0;
  const targetPpb = ratePpbFromFreqError(freqPpb);
  // Target reading at nowUs: the label at the (servo-corrected) edge plus the local time since, rescaled.
  const sinceEdgeNs = (nowUs - input.edgeUs) * 1000 + input.phaseOffsetNs;
  const targetNs = sinceEdgeNs + sinceEdgeNs * targetPpb * 1e-9;

  if (!state.set) {
    setAnchor(state, nowUs, labelS, targetNs);
    state.set = true;
    state.steps++;
    state.lastStepNs = 0;
    state.slewPpb = 0;
    state.slewErrNs = 0;
    events |= UTC_EVT_STEP | UTC_EVT_FIRST_LOCK;
  } else {
    elapsedAt(state, nowUs);
    const errNs = (state.eS - labelS) * 1000000000 + (state.eNs - targetNs);
    if (errNs > state.config.panicNs || errNs < -state.config.panicNs) {
      setAnchor(state, nowUs, labelS, targetNs);
      state.steps++;
      state.lastStepNs = -errNs;
      state.slewPpb = 0;
      state.slewErrNs = 0;
      events |= UTC_EVT_STEP;
    } else {
      setAnchor(state, nowUs, state.eS, state.eNs);
      startSlew(state, nowUs, errNs);
      state.slews++;
      state.lastSlewNs = errNs;
      events |= UTC_EVT_SLEW;
    }
  }
  state.basePpb = targetPpb;
  state.lastGoodUs = input.edgeUs;
  state.phaseSigmaNs = input.phaseSigmaNs;
  state.freqSigmaPpb = input.freqSigmaPpb;
  state.lockTempC = input.temperatureC;
  state.tempMinC = input.temperatureC;
  state.tempMaxC = input.temperatureC;
  return events;
}

/** Reads the clock at monotonicUs into out (reused); returns out. */
export function utcClockRead(state: UtcClockState, monotonicUs: number, out: UtcReading): UtcReading {
  out.servoState = state.servoState;
  out.valid = state.set;
  if (!state.set) return out;
  elapsedAt(state, monotonicUs);
  const shown = leapDisplay(
    state.config.leapPolicy,
    state.eS,
    state.eNs,
    state.leapPosixS,
    state.leapSign,
    state.display,
  );
  out.s = shown.s;
  out.ns = shown.ns;
  out.second60 = shown.second60;
  const ageS = (monotonicUs - state.lastGoodUs) * 1e-6;
  out.ageS = ageS > 0 ? ageS : 0;
  const b = boundCompute(
    state.config.bound,
    state.phaseSigmaNs,
    state.freqSigmaPpb,
    out.ageS,
    state.lockTempC,
    state.tempMinC,
    state.tempMaxC,
    state.bound,
  );
  // The reading is ahead of the servo's best estimate by the error not yet slewed out.
  const centreNs = -slewRemainingNs(state, monotonicUs);
  const b95 = b.bound95Ns + MONO_ROUNDING_NS;
  const bHard = b.hardNs + MONO_ROUNDING_NS;
  out.earliest95Ns = Math.floor(centreNs - b95);
  out.latest95Ns = Math.ceil(centreNs + b95);
  out.earliestHardNs = Math.floor(centreNs - bHard);
  out.latestHardNs = Math.ceil(centreNs + bHard);
  return out;
}
