// Power-law noise identification at an averaging factor m, as Stable32 does it.
//
// With at least 30 averaged points: the lag-1 autocorrelation method (W. J. Riley and C. A. Greenhall,
// "Power law noise identification using the lag 1 autocorrelation", EFTF 2004). Frequency data are
// averaged in blocks of m, phase data decimated by m; the series is differenced until
// δ = r1/(1 + r1) < 0.25 (or dmax differences); then p = −2(δ + d) estimates the spectral exponent of the
// data and α = round(p) (+2 for phase data).
//
// With fewer points: Barnes' B1 ratio (sample variance over Allan variance of the m-averages) against its
// value for each power law, and between white and flicker PM the ratio R(n) = MVAR/AVAR.
import { modifiedSum } from "./modified.ts";
import { secondDifferenceSum } from "./allan.ts";
import { sz } from "./edf.ts";
import { pointPresent, spanComplete, type PhaseSeries } from "./series.ts";

export interface NoiseId {
  /** 2 WPM, 1 FPM, 0 WFM, −1 FFM, −2 RWFM (−3, −4 for the Hadamard family). */
  alpha: number;
  method: "lag1" | "b1" | "default";
  /** Lag-1: the statistic δ and the number of differences taken; B1: the ratio. */
  rho?: number;
  d?: number;
  b1?: number;
}

/** Averaged points the lag-1 method needs (below it, B1). */
export const LAG1_MIN_POINTS = 30;

export interface NoiseIdOptions {
  /** Largest number of differences: 2 for the Allan family, 3 for Hadamard. */
  dmax?: number;
  /** Range α is clipped to. */
  alphaMin?: number;
  alphaMax?: number;
}

/** Lag-1 autocorrelation over the pairs where both values are present. */
export function lag1Autocorrelation(z: ArrayLike<number>): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < z.length; i++) {
    const v = z[i] as number;
    if (Number.isFinite(v)) {
      sum += v;
      count++;
    }
  }
  if (count < 2) return NaN;
  const mean = sum / count;
  let num = 0;
  let den = 0;
  for (let i = 0; i < z.length; i++) {
    const v = (z[i] as number) - mean;
    if (!Number.isFinite(v)) continue;
    den += v * v;
    const next = (z[i + 1] as number) - mean;
    if (i + 1 < z.length && Number.isFinite(next)) num += v * next;
  }
  return den > 0 ? num / den : NaN;
}

/** The series the lag-1 method looks at: m-averages of frequency, or every m-th phase point. */
export function averagedSeries(s: PhaseSeries, m: number): Float64Array {
  const x = s.x;
  if (s.type === "phase") {
    const count = Math.floor((x.length - 1) / m) + 1;
    const z = new Float64Array(count);
    for (let i = 0; i < count; i++) z[i] = pointPresent(s, i * m) ? x[i * m]! : NaN;
    return z;
  }
  const count = Math.floor((x.length - 1) / m);
  const z = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const a = i * m;
    z[i] = spanComplete(s, a, a + m) ? (x[a + m]! - x[a]!) / (m * s.tau0) : NaN;
  }
  return z;
}

function difference(z: Float64Array): Float64Array {
  const out = new Float64Array(Math.max(0, z.length - 1));
  for (let i = 0; i < out.length; i++) out[i] = z[i + 1]! - z[i]!;
  return out;
}

export function lag1NoiseId(z: Float64Array, phase: boolean, dmax: number): NoiseId | null {
  let series = z;
  for (let d = 0; ; d++) {
    const r1 = lag1Autocorrelation(series);
    if (!Number.isFinite(r1)) return null;
    const rho = r1 / (1 + r1);
    if (rho < 0.25 || d >= dmax) {
      const p = -2 * (rho + d);
      return { alpha: Math.round(p) + (phase ? 2 : 0), method: "lag1", rho, d };
    }
    series = difference(series);
  }
}

/** Barnes' B1(N, μ): expected sample variance over Allan variance for N averages, σ²_y(τ) ∝ τ^μ. */
export function b1Theory(n: number, mu: number): number {
  if (mu === 0) return (n * Math.log(n)) / (2 * (n - 1) * Math.log(2));
  return (n * (1 - n ** mu)) / (2 * (n - 1) * (1 - 2 ** mu));
}

function b1NoiseId(s: PhaseSeries, m: number): NoiseId | null {
  const z = averagedFrequencies(s, m);
  if (z.length < 3) return null;
  let mean = 0;
  for (const v of z) mean += v;
  mean /= z.length;
  let variance = 0;
  for (const v of z) variance += (v - mean) ** 2;
  variance /= z.length - 1;
  let allan = 0;
  for (let i = 0; i + 1 < z.length; i++) allan += (z[i + 1]! - z[i]!) ** 2;
  allan /= 2 * (z.length - 1);
  if (!(allan > 0)) return null;
  const b1 = variance / allan;
  let mu = -2;
  let best = Infinity;
  for (const candidate of [-2, -1, 0, 1]) {
    const distance = Math.abs(Math.log(b1 / b1Theory(z.length, candidate)));
    if (distance < best) {
      best = distance;
      mu = candidate;
    }
  }
  let alpha = -mu - 1;
  if (mu === -2) alpha = whiteOrFlickerPm(s, m);
  return { alpha, method: "b1", b1 };
}

/** m-averaged frequencies from complete blocks, in order (a gap drops its block). */
function averagedFrequencies(s: PhaseSeries, m: number): number[] {
  const out: number[] = [];
  const x = s.x;
  for (let a = 0; a + m < x.length; a += m) {
    if (pointPresent(s, a) && pointPresent(s, a + m) && spanComplete(s, a, a + m)) {
      out.push((x[a + m]! - x[a]!) / (m * s.tau0));
    }
  }
  return out;
}

/**
 * R(n) = MVAR/AVAR separates the two phase noises: 1/m for white PM, larger for flicker PM (both from
 * Greenhall's sz at zero lag). Without the data for it, white PM.
 */
function whiteOrFlickerPm(s: PhaseSeries, m: number): number {
  const mod = modifiedSum(s, m);
  const allan = secondDifferenceSum(s, m, 1);
  if (mod.n === 0 || allan.n === 0 || m === 1) return 2;
  const ratio = mod.sum / (m * m * mod.n) / (allan.sum / allan.n);
  const flicker = sz(0, 1, 1, 2) / sz(0, m, 1, 2);
  const white = 1 / m;
  return ratio > Math.sqrt(white * flicker) ? 1 : 2;
}

/** Noise type at averaging factor m: lag-1 with ≥ 30 averaged points, else B1/R(n), else white FM. */
export function identifyNoise(s: PhaseSeries, m: number, options: NoiseIdOptions = {}): NoiseId {
  const dmax = options.dmax ?? 2;
  const lo = options.alphaMin ?? -2;
  const hi = options.alphaMax ?? 2;
  const clip = (id: NoiseId): NoiseId => ({ ...id, alpha: Math.min(hi, Math.max(lo, id.alpha)) });
  const z = averagedSeries(s, m);
  let present = 0;
  for (const v of z) if (Number.isFinite(v)) present++;
  if (present >= LAG1_MIN_POINTS) {
    const id = lag1NoiseId(z, s.type === "phase", dmax);
    if (id) return clip(id);
  }
  const id = b1NoiseId(s, m);
  return id ? clip(id) : { alpha: 0, method: "default" };
}
