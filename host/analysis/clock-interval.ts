// How far a board's clock can be trusted as a reading of UTC some time after its last GPS pulse, measured
// from its own PPS phase rather than assumed: at many past edges, fit a line through the preceding
// window of phase, extrapolate it `horizon` seconds on, and compare with the phase GPS actually showed
// then. The spread of those prediction errors is the clock's error interval at that age (holdover
// included: a horizon of an hour is an hour without GPS). Fitted on the first part of the record and
// checked on the rest, so the coverage it reports is of data the bounds were not made from.
import { quantile } from "./quantile.ts";

export interface IntervalOptions {
  /** Seconds of phase the line is fitted through (default 300). */
  windowS?: number;
  /** Ages after the last edge at which the interval is measured (default 1, 10, 100, 1000, 1800 s). */
  horizonsS?: readonly number[];
  /** Anchor edges are taken every this many seconds (default 10). */
  strideS?: number;
  /** Share of anchors used to set the bounds; the rest check them (default 0.5). */
  trainingShare?: number;
}

export interface HorizonInterval {
  horizonS: number;
  /** Half-width holding 95 % of the training errors, seconds. */
  halfWidth95S: number;
  /** Twice the largest training error: a bound with a margin, not a guarantee. */
  halfWidthHardS: number;
  trainingSamples: number;
  checkSamples: number;
  /** Share of the held-out errors inside each half-width (NaN without held-out samples). */
  coverage95: number;
  coverageHard: number;
  /** The half-width that would have held 95 % of the held-out errors, seconds. */
  neededHalfWidth95S: number;
}

const DEFAULT_HORIZONS = [1, 10, 100, 1000, 1800];

/** Prefix sums over the present (finite) phase points, for O(1) least-squares lines over any window. */
function prefixSums(phase: Float64Array) {
  const n = phase.length;
  const count = new Float64Array(n + 1);
  const st = new Float64Array(n + 1);
  const sx = new Float64Array(n + 1);
  const stt = new Float64Array(n + 1);
  const stx = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const x = phase[i]!;
    const present = Number.isFinite(x);
    count[i + 1] = count[i]! + (present ? 1 : 0);
    st[i + 1] = st[i]! + (present ? i : 0);
    sx[i + 1] = sx[i]! + (present ? x : 0);
    stt[i + 1] = stt[i]! + (present ? i * i : 0);
    stx[i + 1] = stx[i]! + (present ? i * x : 0);
  }
  return { count, st, sx, stt, stx };
}

/**
 * Prediction errors (actual − predicted phase, seconds) `horizonS` after each anchor edge, from a line
 * through the `windowS` seconds of phase ending at the anchor. Anchors without enough phase in their
 * window (at least half of it) or without a measured phase at the horizon are skipped.
 */
export function predictionErrors(
  phase: Float64Array,
  horizonS: number,
  windowS: number,
  strideS: number,
): number[] {
  const sums = prefixSums(phase);
  const errors: number[] = [];
  for (let k = windowS - 1; k + horizonS < phase.length; k += strideS) {
    const target = phase[k + horizonS]!;
    if (!Number.isFinite(phase[k]!) || !Number.isFinite(target)) continue;
    const a = k - windowS + 1;
    const n = sums.count[k + 1]! - sums.count[a]!;
    if (n < windowS / 2) continue;
    const st = sums.st[k + 1]! - sums.st[a]!;
    const sx = sums.sx[k + 1]! - sums.sx[a]!;
    const stt = sums.stt[k + 1]! - sums.stt[a]!;
    const stx = sums.stx[k + 1]! - sums.stx[a]!;
    const denominator = n * stt - st * st;
    if (denominator === 0) continue;
    const slope = (n * stx - st * sx) / denominator;
    const intercept = (sx - slope * st) / n;
    errors.push(target - (intercept + slope * (k + horizonS)));
  }
  return errors;
}

/** The clock's error interval at each horizon, set on the first part of the record, checked on the rest. */
export function clockIntervals(phase: Float64Array, options: IntervalOptions = {}): HorizonInterval[] {
  const windowS = options.windowS ?? 300;
  const strideS = options.strideS ?? 10;
  const trainingShare = options.trainingShare ?? 0.5;
  const out: HorizonInterval[] = [];
  for (const horizonS of options.horizonsS ?? DEFAULT_HORIZONS) {
    const errors = predictionErrors(phase, horizonS, windowS, strideS);
    const split = Math.floor(errors.length * trainingShare);
    const training = errors
      .slice(0, split)
      .map(Math.abs)
      .sort((a, b) => a - b);
    const check = errors
      .slice(split)
      .map(Math.abs)
      .sort((a, b) => a - b);
    if (training.length < 20) continue;
    const halfWidth95S = quantile(training, 0.95);
    const halfWidthHardS = 2 * training[training.length - 1]!;
    const inside = (limit: number) =>
      check.length === 0 ? NaN : check.filter((e) => e <= limit).length / check.length;
    out.push({
      horizonS,
      halfWidth95S,
      halfWidthHardS,
      trainingSamples: training.length,
      checkSamples: check.length,
      coverage95: inside(halfWidth95S),
      coverageHard: inside(halfWidthHardS),
      neededHalfWidth95S: quantile(check, 0.95),
    });
  }
  return out;
}
