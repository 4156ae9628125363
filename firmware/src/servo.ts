// The frequency/phase servo: PPS edges (local µs since boot, labelled with their GPS second) in, an
// estimate of local − GPS out, with a lock state machine and outlier rejection. The clock code only
// sees this interface; the estimator behind it is chosen by config (docs/servo.md for the comparison).
//
// Phase is measured from an anchor, the first edge ever seen: for an edge at local time L labelled with
// GPS second g, phase = (L − anchorLocalUs)·1000 − (g − anchorGpsSecond)·1e9 ns. GPS time at any local
// time L is then anchorGpsSecond + servoGpsSinceAnchorS(s, L).
import {
  createEstimator,
  estimatorFreqVarPpb2,
  estimatorInnovationVarNs2,
  estimatorPhaseVarNs2,
  estimatorPredictNs,
  estimatorStart,
  estimatorUpdate,
  EST_KALMAN,
  type Estimator,
} from "./estimator.ts";

export const SERVO_NOGPS = 0;
export const SERVO_ACQUIRING = 1;
export const SERVO_LOCKED = 2;
export const SERVO_HOLDOVER = 3;

/** An edge whose innovation exceeds this many × max(predicted rms, quantum) is an outlier. */
export const SERVO_OUTLIER_K = 5;
/** This many outliers in a row mean the clock really moved (a step, an RC recalibration): restart. */
export const SERVO_RESTART_AFTER_OUTLIERS = 3;
/** Accepted edges in a row before ACQUIRING becomes LOCKED … */
export const SERVO_LOCK_MIN_EDGES = 10;
/** … and the innovation rms must be within this factor of the predicted rms. */
export const SERVO_LOCK_RMS_K = 2;
/** LOCKED becomes HOLDOVER when no edge came for this long (one missed pulse plus a 10 % slow clock). */
export const SERVO_HOLDOVER_AFTER_US = 2500000;
/** ACQUIRING gives up (back to NOGPS) when no edge came for this long. */
export const SERVO_ACQUIRE_TIMEOUT_US = 10000000;
/** Default longest holdover before NOGPS. */
export const SERVO_HOLDOVER_MAX_S = 3600;

const NS_PER_S = 1e9;
const NS_PER_US = 1000;
/** Weight of the newest innovation in the residual mean square. */
const RESIDUAL_WEIGHT = 1 / 16;

export interface ServoConfig {
  /** Timestamp step of the board's clock, ns. */
  quantumNs: number;
  /** RMS interrupt jitter on top of the quantisation, ns. */
  jitterNs: number;
  /** Oscillator noise as Allan deviation at 1 s: white FM and random-walk FM (the board profile's noise). */
  whiteFmAdev1s: number;
  randomWalkFmAdev1s: number;
  /** EST_KALMAN (default), EST_PI or EST_WINDOW from estimator.ts. */
  estimator?: number;
  /** EST_PI gains (default linuxptp's software-timestamping 0.1 / 0.001). */
  kp?: number;
  ki?: number;
  /** EST_WINDOW ring size (default 64). */
  windowSize?: number;
  holdoverMaxS?: number;
}

export interface ServoState {
  state: number;
  freqPpb: number;
  freqUncertaintyPpb: number;
  /** local − GPS at the last accepted edge (from the anchor), ns. */
  phaseNs: number;
  phaseUncertaintyNs: number;
  /** RMS of recent innovations (edge − prediction) of accepted edges, ns. */
  residualRmsNs: number;
  /** Accepted edges since creation. */
  samples: number;
  outliers: number;
  restarts: number;
  /** Local time of the last edge (accepted or not), µs; -1 before the first. */
  lastEdgeLocalUs: number;
  anchorLocalUs: number;
  anchorGpsSecond: number;
  hasAnchor: boolean;
  /** The estimator has a line (from two edges on); predictions are NaN before the first. */
  hasEstimate: boolean;
  everEstimated: boolean;
  /** The previous edge (x = GPS seconds since the anchor, z = phase ns), to start from two edges. */
  hasPrev: boolean;
  prevX: number;
  prevZ: number;
  goodRun: number;
  rejectRun: number;
  residualVarNs2: number;
  quantumNs: number;
  holdoverMaxUs: number;
  est: Estimator;
}

function orDefault(value: number | undefined, fallback: number): number {
  return value === undefined ? fallback : value;
}

export function createServo(config: ServoConfig): ServoState {
  const varNs2 = config.jitterNs * config.jitterNs + (config.quantumNs * config.quantumNs) / 12;
  const est = createEstimator({
    kind: orDefault(config.estimator, EST_KALMAN),
    measurementVarNs2: varNs2 > 0 ? varNs2 : 1,
    whiteFmAdev1s: config.whiteFmAdev1s,
    randomWalkFmAdev1s: config.randomWalkFmAdev1s,
    kp: orDefault(config.kp, 0.1),
    ki: orDefault(config.ki, 0.001),
    windowSize: orDefault(config.windowSize, 64),
  });
  return {
    state: SERVO_NOGPS,
    freqPpb: 0,
    freqUncertaintyPpb: 0,
    phaseNs: 0,
    phaseUncertaintyNs: 0,
    residualRmsNs: 0,
    samples: 0,
    outliers: 0,
    restarts: 0,
    lastEdgeLocalUs: -1,
    anchorLocalUs: 0,
    anchorGpsSecond: 0,
    hasAnchor: false,
    hasEstimate: false,
    everEstimated: false,
    hasPrev: false,
    prevX: 0,
    prevZ: 0,
    goodRun: 0,
    rejectRun: 0,
    residualVarNs2: 0,
    quantumNs: config.quantumNs,
    holdoverMaxUs: orDefault(config.holdoverMaxS, SERVO_HOLDOVER_MAX_S) * 1e6,
    est: est,
  };
}

function publish(s: ServoState): void {
  const e = s.est;
  s.freqPpb = e.freqPpb;
  s.phaseNs = e.phaseNs;
  s.freqUncertaintyPpb = Math.sqrt(e.pFF);
  s.phaseUncertaintyNs = Math.sqrt(e.pPP);
  s.residualRmsNs = Math.sqrt(s.residualVarNs2);
}

function start(s: ServoState, x: number, z: number): void {
  estimatorStart(s.est, s.prevX, s.prevZ, x, z);
  s.hasEstimate = true;
  s.everEstimated = true;
  s.state = SERVO_ACQUIRING;
  s.goodRun = 0;
  s.rejectRun = 0;
  s.residualVarNs2 = s.est.r;
}

function remember(s: ServoState, x: number, z: number): void {
  s.hasPrev = true;
  s.prevX = x;
  s.prevZ = z;
}

/** One PPS edge at edgeLocalUs (local µs since boot) that marks the start of GPS second gpsSecond. */
/** No working board clock is off by more than this (the Pico's LSI is ±10 %): a wilder line is bad data. */
export const SERVO_MAX_FREQ_PPB = 2e8;

/** Whether the line through the previous edge and (x, z) has a frequency a real clock could have. */
function plausibleFrom(s: ServoState, x: number, z: number): boolean {
  const freqPpb = (z - s.prevZ) / (x - s.prevX);
  return freqPpb < SERVO_MAX_FREQ_PPB && freqPpb > -SERVO_MAX_FREQ_PPB;
}

export function servoSample(s: ServoState, edgeLocalUs: number, gpsSecond: number): void {
  if (!(edgeLocalUs === edgeLocalUs && gpsSecond === gpsSecond)) {
    s.outliers++;
    return;
  }
  if (!s.hasAnchor) {
    s.hasAnchor = true;
    s.anchorLocalUs = edgeLocalUs;
    s.anchorGpsSecond = gpsSecond;
  }
  const x = gpsSecond - s.anchorGpsSecond;
  const z = (edgeLocalUs - s.anchorLocalUs) * NS_PER_US - x * NS_PER_S;
  // A repeated or backwards label cannot be placed on the line.
  if (s.hasPrev && x <= s.prevX) {
    s.outliers++;
    return;
  }
  s.lastEdgeLocalUs = edgeLocalUs;
  if (!s.hasEstimate) {
    if (s.hasPrev && plausibleFrom(s, x, z)) start(s, x, z);
    else if (s.hasPrev) s.outliers++;
    else s.state = SERVO_ACQUIRING;
    s.samples++;
    remember(s, x, z);
    if (s.hasEstimate) publish(s);
    return;
  }
  const e = s.est;
  const innovVar = estimatorInnovationVarNs2(e, x);
  const innov = z - estimatorPredictNs(e, x);
  const rms = Math.sqrt(innovVar);
  const limit = SERVO_OUTLIER_K * (rms > s.quantumNs ? rms : s.quantumNs);
  if (innov > limit || innov < -limit) {
    s.outliers++;
    s.goodRun = 0;
    s.rejectRun++;
    if (s.rejectRun >= SERVO_RESTART_AFTER_OUTLIERS && plausibleFrom(s, x, z)) {
      start(s, x, z);
      s.restarts++;
      s.samples++;
      publish(s);
    }
    remember(s, x, z);
    return;
  }
  estimatorUpdate(e, x, z);
  s.samples++;
  s.rejectRun = 0;
  s.goodRun++;
  s.residualVarNs2 += (innov * innov - s.residualVarNs2) * RESIDUAL_WEIGHT;
  if (s.state === SERVO_HOLDOVER) s.state = SERVO_LOCKED;
  else if (
    s.state !== SERVO_LOCKED &&
    s.goodRun >= SERVO_LOCK_MIN_EDGES &&
    s.residualVarNs2 <= SERVO_LOCK_RMS_K * SERVO_LOCK_RMS_K * innovVar
  )
    s.state = SERVO_LOCKED;
  remember(s, x, z);
  publish(s);
}

/** GPS seconds after the estimate's reference edge at local time localUs (the estimate must exist). */
function secondsAfterRef(s: ServoState, localUs: number): number {
  const e = s.est;
  const localNs = (localUs - s.anchorLocalUs) * NS_PER_US - (e.xRef * NS_PER_S + e.phaseNs);
  return localNs / (NS_PER_S + e.freqPpb);
}

/** local − GPS predicted at local time localUs, ns; NaN before the servo has seen two edges. */
export function servoPredictPhaseNs(s: ServoState, localUs: number): number {
  if (!s.everEstimated) return NaN;
  return s.est.phaseNs + s.est.freqPpb * secondsAfterRef(s, localUs);
}

/** GPS time at local time localUs, seconds after anchorGpsSecond; NaN before the first estimate. */
export function servoGpsSinceAnchorS(s: ServoState, localUs: number): number {
  if (!s.everEstimated) return NaN;
  return s.est.xRef + secondsAfterRef(s, localUs);
}

function loseEstimate(s: ServoState): void {
  s.state = SERVO_NOGPS;
  s.hasEstimate = false;
  s.hasPrev = false;
  s.goodRun = 0;
  s.rejectRun = 0;
}

/**
 * The oscillator's frequency may have moved by about `sigmaPpb` for a reason the noise model does not
 * cover (a temperature change): widen the frequency uncertainty so the filter follows at once and the
 * outlier gate does not reject the edges that show it.
 */
export function servoFrequencyShock(s: ServoState, sigmaPpb: number): void {
  if (s.hasEstimate && sigmaPpb > 0) s.est.pFF += sigmaPpb * sigmaPpb;
}

/**
 * Call periodically (e.g. every second from a timer) with the current local time: moves LOCKED to
 * HOLDOVER when edges stop, and gives up to NOGPS after too long. In HOLDOVER the uncertainties grow.
 */
export function servoMissing(s: ServoState, nowLocalUs: number): void {
  if (s.lastEdgeLocalUs < 0) return;
  const gapUs = nowLocalUs - s.lastEdgeLocalUs;
  if (s.state === SERVO_LOCKED && gapUs > SERVO_HOLDOVER_AFTER_US) s.state = SERVO_HOLDOVER;
  else if (s.state === SERVO_ACQUIRING && gapUs > SERVO_ACQUIRE_TIMEOUT_US) loseEstimate(s);
  else if (s.state === SERVO_HOLDOVER && gapUs > s.holdoverMaxUs) loseEstimate(s);
  if (s.state === SERVO_HOLDOVER) {
    const x = s.est.xRef + secondsAfterRef(s, nowLocalUs);
    s.phaseUncertaintyNs = Math.sqrt(estimatorPhaseVarNs2(s.est, x));
    s.freqUncertaintyPpb = Math.sqrt(estimatorFreqVarPpb2(s.est, x));
  }
}
