// Phase/frequency line estimators for the servo (servo.ts). All three fit the same model: the phase
// z (local − GPS, ns) of PPS edge x (GPS seconds since the servo's anchor) is a line z = p + f·(x − xRef),
// f in ppb (= ns per second). One state object, allocated once; no allocation per edge.
//
// EST_KALMAN (the servo's default, see docs/servo.md): two-state Kalman filter (phase, frequency) with the
//   oscillator's white-FM and random-walk-FM as process noise. With zero process noise it is exactly
//   growing-memory least squares (the two-edge start below is the two-point LS fit).
// EST_PI: linuxptp's PI servo written for a software clock.
// EST_WINDOW: least squares over the last `windowSize` edges kept in Float64Array rings.

export const EST_KALMAN = 0;
export const EST_PI = 1;
export const EST_WINDOW = 2;

const NS_PER_S = 1e9;

export interface EstimatorConfig {
  kind: number;
  /** Variance of one edge timestamp, ns². */
  measurementVarNs2: number;
  /** Kalman: white-FM level, Allan deviation at 1 s (dimensionless). */
  whiteFmAdev1s: number;
  /** Kalman: random-walk-FM level, Allan deviation at 1 s (dimensionless). */
  randomWalkFmAdev1s: number;
  /** PI: proportional and integral gains per 1 s interval (linuxptp's kp, ki). */
  kp: number;
  ki: number;
  /** Window: number of edges kept (ring size). */
  windowSize: number;
}

export interface Estimator {
  kind: number;
  r: number;
  /** Phase diffusion of white FM, ns²/s, and frequency diffusion of random-walk FM, ppb²/s. */
  q1: number;
  q2: number;
  kp: number;
  ki: number;
  /** GPS second (since the anchor) the estimate refers to. */
  xRef: number;
  phaseNs: number;
  freqPpb: number;
  /** Covariance of (phase, frequency) at xRef: ns², ns·ppb, ppb². */
  pPP: number;
  pPF: number;
  pFF: number;
  /** Edges in the estimate (the window's fill for EST_WINDOW). */
  n: number;
  /** PI: exponentially weighted mean square of the innovations, ns². */
  innovVarNs2: number;
  // EST_WINDOW: rings of x and z, and sums over the window with u = x − xRef and residuals w from the
  // current fit. The fit is re-based on every edge, which makes Σw and Σu·w exactly zero again.
  ringX: Float64Array;
  ringZ: Float64Array;
  head: number;
  sumU: number;
  sumUU: number;
}

export function createEstimator(config: EstimatorConfig): Estimator {
  const size = config.kind === EST_WINDOW ? Math.max(2, Math.floor(config.windowSize)) : 1;
  const ns = config.whiteFmAdev1s * NS_PER_S;
  const ppb = config.randomWalkFmAdev1s * NS_PER_S;
  return {
    kind: config.kind,
    r: config.measurementVarNs2,
    // AVAR = q1/τ for a phase random walk and q2·τ/3 for a frequency random walk (docs/servo.md).
    q1: ns * ns,
    q2: 3 * ppb * ppb,
    kp: config.kp,
    ki: config.ki,
    xRef: 0,
    phaseNs: 0,
    freqPpb: 0,
    pPP: 0,
    pPF: 0,
    pFF: 0,
    n: 0,
    innovVarNs2: config.measurementVarNs2,
    ringX: new Float64Array(size),
    ringZ: new Float64Array(size),
    head: 0,
    sumU: 0,
    sumUU: 0,
  };
}

/** Phase predicted at GPS second x, ns. */
export function estimatorPredictNs(e: Estimator, x: number): number {
  return e.phaseNs + e.freqPpb * (x - e.xRef);
}

/** Variance of the phase prediction at x (without the new edge's own noise), ns². */
export function estimatorPhaseVarNs2(e: Estimator, x: number): number {
  const d = x - e.xRef;
  if (e.kind === EST_WINDOW) {
    const n = e.n;
    const det = n * e.sumUU - e.sumU * e.sumU;
    if (!(det > 0)) return e.r;
    return (e.r * (e.sumUU - 2 * d * e.sumU + n * d * d)) / det;
  }
  if (e.kind === EST_PI) return e.innovVarNs2 > e.r ? e.innovVarNs2 - e.r : 0;
  return e.pPP + 2 * d * e.pPF + d * d * e.pFF + e.q1 * d + (e.q2 * d * d * d) / 3;
}

/** Variance of (edge − prediction) at x: what the outlier gate compares against, ns². */
export function estimatorInnovationVarNs2(e: Estimator, x: number): number {
  if (e.kind === EST_PI) return e.innovVarNs2;
  return e.r + estimatorPhaseVarNs2(e, x);
}

/** Frequency variance extrapolated to x (grows with random-walk FM during holdover), ppb². */
export function estimatorFreqVarPpb2(e: Estimator, x: number): number {
  const d = x - e.xRef;
  return e.pFF + (d > 0 ? e.q2 * d : 0);
}

function windowCovariance(e: Estimator): void {
  const det = e.n * e.sumUU - e.sumU * e.sumU;
  e.pPP = (e.r * e.sumUU) / det;
  e.pPF = (-e.r * e.sumU) / det;
  e.pFF = (e.r * e.n) / det;
}

/** Restart from two edges (x1, z1), (x2, z2), x1 < x2: the two-point fit, frequency from the interval. */
export function estimatorStart(e: Estimator, x1: number, z1: number, x2: number, z2: number): void {
  const d = x2 - x1;
  const r = e.r;
  e.xRef = x2;
  e.phaseNs = z2;
  e.freqPpb = (z2 - z1) / d;
  e.pPP = r;
  e.pPF = r / d;
  e.pFF = (2 * r) / (d * d);
  e.n = 2;
  e.innovVarNs2 = r;
  if (e.kind === EST_WINDOW) {
    const size = e.ringX.length;
    e.ringX[0] = x1;
    e.ringZ[0] = z1;
    e.ringX[1 % size] = x2;
    e.ringZ[1 % size] = z2;
    e.head = 2 % size;
    e.n = size < 2 ? size : 2;
    e.sumU = -d;
    e.sumUU = d * d;
    windowCovariance(e);
  }
}

function kalmanUpdate(e: Estimator, x: number, z: number): void {
  const d = x - e.xRef;
  const pPP = e.pPP + 2 * d * e.pPF + d * d * e.pFF + e.q1 * d + (e.q2 * d * d * d) / 3;
  const pPF = e.pPF + d * e.pFF + (e.q2 * d * d) / 2;
  const pFF = e.pFF + e.q2 * d;
  const s = pPP + e.r;
  const k0 = pPP / s;
  const k1 = pPF / s;
  const innov = z - (e.phaseNs + e.freqPpb * d);
  e.xRef = x;
  e.phaseNs = e.phaseNs + e.freqPpb * d + k0 * innov;
  e.freqPpb += k1 * innov;
  e.pPP = pPP * (1 - k0);
  e.pPF = pPF * (1 - k0);
  const ff = pFF - k1 * pPF;
  e.pFF = ff > 0 ? ff : 0;
}

function piUpdate(e: Estimator, x: number, z: number): void {
  const d = x - e.xRef;
  const predicted = e.phaseNs + e.freqPpb * d;
  const innov = z - predicted;
  e.innovVarNs2 += (innov * innov - e.innovVarNs2) / 16;
  e.xRef = x;
  e.phaseNs = predicted + e.kp * innov;
  e.freqPpb += (e.ki * innov) / d;
  // A PI loop has no covariance; these are rough steady-state figures for reporting only.
  e.pPP = e.innovVarNs2 > e.r ? e.innovVarNs2 - e.r : 0;
  e.pPF = 0;
  e.pFF = (e.ki * e.innovVarNs2) / (2 * e.kp);
}

// Sums are kept over residuals from the current fit, so they stay at the noise scale whatever the
// frequency (10 % = 1e8 ns/s); the rings keep raw z, whose residual is computed again on eviction.
function windowUpdate(e: Estimator, x: number, z: number): void {
  const size = e.ringX.length;
  let n = e.n;
  let sumU = e.sumU;
  let sumUU = e.sumUU;
  let sumW = 0;
  let sumUW = 0;
  if (n === size) {
    const xOld = e.ringX[e.head] as number;
    const uOld = xOld - e.xRef;
    const wOld = (e.ringZ[e.head] as number) - (e.phaseNs + e.freqPpb * uOld);
    n--;
    sumU -= uOld;
    sumUU -= uOld * uOld;
    sumW -= wOld;
    sumUW -= uOld * wOld;
  }
  e.ringX[e.head] = x;
  e.ringZ[e.head] = z;
  e.head = (e.head + 1) % size;
  const uNew = x - e.xRef;
  const wNew = z - (e.phaseNs + e.freqPpb * uNew);
  n++;
  sumU += uNew;
  sumUU += uNew * uNew;
  sumW += wNew;
  sumUW += uNew * wNew;
  const det = n * sumUU - sumU * sumU;
  const slope = (n * sumUW - sumU * sumW) / det;
  const intercept = (sumW - slope * sumU) / n;
  // Re-base on the new fit at u = uNew: residual sums vanish, u shifts by uNew.
  e.freqPpb += slope;
  e.phaseNs += intercept + e.freqPpb * uNew;
  e.xRef = x;
  e.n = n;
  e.sumUU = sumUU - 2 * uNew * sumU + n * uNew * uNew;
  e.sumU = sumU - n * uNew;
  windowCovariance(e);
}

/** Adds an accepted edge x (> xRef) with phase z. */
export function estimatorUpdate(e: Estimator, x: number, z: number): void {
  if (e.kind === EST_WINDOW) windowUpdate(e, x, z);
  else if (e.kind === EST_PI) piUpdate(e, x, z);
  else kalmanUpdate(e, x, z);
  if (e.kind !== EST_WINDOW) e.n++;
}
