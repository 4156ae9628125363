// Equivalent degrees of freedom of the Allan-family variance estimators.
//
// Greenhall's algorithm (C. A. Greenhall and W. J. Riley, "Uncertainty of stability variances based on
// finite differences", PTTI 2003): for power-law noise S_y(f) ∝ f^α, an estimator averaging M squared
// d-th phase differences (spacing τ = mτ0, phase averaged over τ/F, terms τ/S apart) has
// 1/edf = Σ_{|j|<M} (1 − |j|/M)·ρ(j/S)² / M, where ρ is the normalised autocovariance of the differences,
// written with the generalised autocovariances sw (integrated phase), sx (phase averaged over 1/F) and sz
// (its d-th difference), all in units of τ. The sum runs to the lag (d + 1)·S beyond which ρ is (nearly)
// zero; very long sums are evaluated at a coarser lag step with the same M/S, which samples the same
// integral.

export interface EdfKind {
  /** Order of the phase difference: 2 for the Allan family, 3 for Hadamard. */
  d: number;
  /** Modified variance (phase averaged over τ, F = 1) rather than unmodified (F = m). */
  modified: boolean;
  /** Terms every τ0 (S = m) rather than every τ (S = 1). */
  overlapping: boolean;
}

/** Lags beyond which the sum is evaluated on a coarser grid; keeps one EDF to a few milliseconds. */
const MAX_LAGS = 4096;
const MAX_LAGS_FINE = 65536;
/** The paper's switch to the F = ∞ limit for unmodified variances of long averaging factors. */
const J_MAX = 100;

/** Generalised autocovariance of the integrated phase for S_y ∝ f^α (α = 2 … −4, up to a constant). */
export function sw(t: number, alpha: number): number {
  const a = Math.abs(t);
  if (a === 0) return 0;
  const a2 = a * a;
  switch (alpha) {
    case 2:
      return -a;
    case 1:
      return a2 * Math.log(a);
    case 0:
      return a2 * a;
    case -1:
      return -a2 * a2 * Math.log(a);
    case -2:
      return -a2 * a2 * a;
    case -3:
      return a2 * a2 * a2 * Math.log(a);
    case -4:
      return a2 * a2 * a2 * a;
    default:
      return NaN;
  }
}

/** Autocovariance of the phase averaged over 1/F (F = Infinity: instantaneous phase). */
export function sx(t: number, F: number, alpha: number): number {
  if (F === Infinity) return sw(t, alpha + 2);
  const h = 1 / F;
  const a = Math.abs(t);
  // Flicker PM with a long averaging factor: F²·(second difference of t²ln|t|) cancels badly far from 0;
  // its Taylor series −(2ln|t| + 3) + h²/(6t²) is exact to O(h⁴/t⁴) there.
  if (alpha === 1 && a > 100 * h) return -(2 * Math.log(a) + 3) + (h * h) / (6 * a * a);
  return F * F * (2 * sw(t, alpha) - sw(t - h, alpha) - sw(t + h, alpha));
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** (−1)^k·C(2d, d+k), k = −d … d: the d-th difference as an autocovariance filter. */
const DIFFERENCE: number[][] = [0, 1, 2, 3].map((d) =>
  Array.from({ length: 2 * d + 1 }, (_, i) => binomial(2 * d, i) * ((i - d) % 2 === 0 ? 1 : -1)),
);

/** For F = 1 the two filters combine into one over sw at t − d − 1 … t + d + 1 (fewer evaluations). */
const MODIFIED: number[][] = DIFFERENCE.map((b) =>
  Array.from({ length: b.length + 2 }, (_, i) => 2 * (b[i - 1] ?? 0) - (b[i] ?? 0) - (b[i - 2] ?? 0)),
);

/** Autocovariance of the d-th difference (unit spacing) of the averaged phase. */
export function sz(t: number, F: number, alpha: number, d: number): number {
  let sum = 0;
  if (F === 1) {
    const c = MODIFIED[d]!;
    for (let i = 0; i < c.length; i++) sum += c[i]! * sw(t + i - d - 1, alpha);
    return sum;
  }
  const b = DIFFERENCE[d]!;
  for (let i = 0; i < b.length; i++) sum += b[i]! * sx(t + i - d, F, alpha);
  return sum;
}

/** The paper's BasicSum: sz(0)² + (1 − J/M)·sz(J/S)² + 2·Σ_{j=1}^{J−1} (1 − j/M)·sz(j/S)². */
export function basicSum(J: number, M: number, S: number, F: number, alpha: number, d: number): number {
  const z0 = sz(0, F, alpha, d);
  let sum = z0 * z0;
  const zJ = sz(J / S, F, alpha, d);
  sum += (1 - J / M) * zJ * zJ;
  for (let j = 1; j < J; j++) {
    const z = sz(j / S, F, alpha, d);
    sum += 2 * (1 - j / M) * z * z;
  }
  return sum;
}

/**
 * Greenhall's EDF for noise type α (2 WPM, 1 FPM, 0 WFM, −1 FFM, −2 RWFM, −3, −4), averaging factor m and
 * N phase points. NaN where the variance does not converge for α (α + 2d ≤ 1) or N is too short.
 */
export function greenhallEdf(alpha: number, m: number, N: number, kind: EdfKind): number {
  const { d } = kind;
  if (!Number.isInteger(alpha) || alpha > 2 || alpha < -4 || alpha + 2 * d <= 1) return NaN;
  const F = kind.modified ? 1 : m;
  const S = kind.overlapping ? m : 1;
  const L = m / F + m * d; // phase points spanned by one term
  if (N < L || m < 1) return NaN;
  const M = 1 + Math.floor((S * (N - L)) / m);
  const J = Math.min(M, (d + 1) * S);
  const r = M / S;
  if (!kind.modified && alpha === 2) return 1 / whitePmInverseEdf(M, r, d);
  // F = m when it is small; otherwise the F → ∞ limit, which flicker PM does not have.
  const Fn = kind.modified ? 1 : alpha <= 0 && m * (d + 1) > J_MAX ? Infinity : m;
  const z0 = sz(0, Fn, alpha, d);
  const maxLags = Fn === Infinity || Fn === 1 ? MAX_LAGS : MAX_LAGS_FINE;
  if (J <= maxLags) return (M * z0 * z0) / basicSum(J, M, S, Fn, alpha, d);
  // Same r = M/S on a coarser lag grid S' (a Riemann sum of the same integral); flicker PM with F = m
  // has structure 1/m wide at every whole lag, so it keeps the exact sum longer.
  const S2 = (S * maxLags) / J;
  const M2 = r * S2;
  const J2 = Math.min(Math.floor(M2), Math.round((d + 1) * S2));
  return (M2 * z0 * z0) / basicSum(J2, M2, S2, Fn, alpha, d);
}

/**
 * White PM, unmodified: phase samples are independent, so terms correlate only at lags that are multiples
 * of τ, with correlation (−1)^q·C(2d, d+q)/C(2d, d). Exact for any M.
 */
function whitePmInverseEdf(M: number, r: number, d: number): number {
  const c0 = binomial(2 * d, d);
  let sum = 1;
  for (let q = 1; q <= d && q < r; q++) {
    const c = binomial(2 * d, d + q) / c0;
    sum += 2 * (1 - q / r) * c * c;
  }
  return sum / M;
}

/**
 * EDF of the total variance (NIST SP 1065 §5.2.11, after Howe): b·(T/τ) − c with T/τ = N/m for N
 * frequency points; (b, c) = (1.50, 0) white FM, (1.17, 0.22) flicker FM, (0.93, 0.36) random-walk FM.
 * Phase noises, for which no coefficients are published, take the overlapping-Allan EDF instead.
 */
export function totalEdf(alpha: number, m: number, nFrequency: number): number {
  const coefficients: Record<number, [number, number]> = {
    0: [1.5, 0],
    [-1]: [1.17, 0.22],
    [-2]: [0.93, 0.36],
  };
  const bc = coefficients[alpha];
  if (bc !== undefined) return bc[0] * (nFrequency / m) - bc[1];
  return greenhallEdf(alpha, m, nFrequency + 1, { d: 2, modified: false, overlapping: true });
}
