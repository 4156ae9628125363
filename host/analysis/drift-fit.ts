// Frequency offset and aging of an oscillator by least squares: a straight line (or parabola) through a
// fractional-frequency series, or a parabola through a phase series, with standard (1σ) uncertainties of
// the coefficients from the residual scatter. Pure: NaN samples are left out (times are explicit, so
// nothing shifts).

export interface Estimate {
  value: number;
  /** Standard uncertainty (1σ); NaN when the fit has no residual degrees of freedom. */
  uncertainty: number;
}

export interface PolynomialFit {
  /** c[k] of Σ c[k]·(t − origin)^k, lowest order first. */
  coefficients: number[];
  uncertainties: number[];
  covariance: number[][];
  origin: number;
  /** Points used, and residual degrees of freedom (n − coefficients). */
  n: number;
  dof: number;
  /** √(Σ residual² / dof): the scatter the uncertainties are scaled by. */
  residualStd: number;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** Solves the symmetric positive-definite system A·X = I by Cholesky: returns A⁻¹, or null if singular. */
function invertSpd(a: number[][]): number[][] | null {
  const p = a.length;
  const l = a.map(() => new Array<number>(p).fill(0));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(sum > 1e-13 * a[i]![i]!)) return null;
        l[i]![i] = Math.sqrt(sum);
      } else {
        l[i]![j] = sum / l[j]![j]!;
      }
    }
  }
  const inv = a.map(() => new Array<number>(p).fill(0));
  for (let col = 0; col < p; col++) {
    const z = new Array<number>(p).fill(0);
    for (let i = 0; i < p; i++) {
      let sum = i === col ? 1 : 0;
      for (let k = 0; k < i; k++) sum -= l[i]![k]! * z[k]!;
      z[i] = sum / l[i]![i]!;
    }
    for (let i = p - 1; i >= 0; i--) {
      let sum = z[i]!;
      for (let k = i + 1; k < p; k++) sum -= l[k]![i]! * inv[k]![col]!;
      inv[i]![col] = sum / l[i]![i]!;
    }
  }
  return inv;
}

/**
 * Least-squares polynomial of the given degree through (t, y), coefficients about `origin` (default: the
 * first t). Solved in a centred, scaled variable so seconds-since-epoch times stay well conditioned.
 * Throws RangeError with fewer usable points than coefficients, or when all times are equal.
 */
export function fitPolynomial(
  t: ArrayLike<number>,
  y: ArrayLike<number>,
  degree: number,
  options: { origin?: number } = {},
): PolynomialFit {
  if (t.length !== y.length) throw new RangeError(`fitPolynomial: ${t.length} times but ${y.length} values`);
  const p = degree + 1;
  const ts: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < t.length; i++) {
    const ti = t[i] as number;
    const yi = y[i] as number;
    if (Number.isFinite(ti) && Number.isFinite(yi)) {
      ts.push(ti);
      ys.push(yi);
    }
  }
  const n = ts.length;
  if (!Number.isInteger(degree) || degree < 0) throw new RangeError(`fitPolynomial: bad degree ${degree}`);
  if (n < p) throw new RangeError(`fitPolynomial: a degree-${degree} fit needs ${p} points, got ${n}`);
  const centre = ts.reduce((s, v) => s + v, 0) / n;
  const scale = Math.max(...ts.map((v) => Math.abs(v - centre)));
  if (!(scale > 0) && degree > 0) throw new RangeError("fitPolynomial: all times are equal");
  const s = scale > 0 ? scale : 1;
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  const powers = new Array<number>(p);
  for (let i = 0; i < n; i++) {
    const u = (ts[i]! - centre) / s;
    powers[0] = 1;
    for (let k = 1; k < p; k++) powers[k] = powers[k - 1]! * u;
    for (let j = 0; j < p; j++) {
      xty[j] = xty[j]! + powers[j]! * ys[i]!;
      for (let k = 0; k < p; k++) xtx[j]![k] = xtx[j]![k]! + powers[j]! * powers[k]!;
    }
  }
  const inv = invertSpd(xtx);
  if (inv === null) throw new RangeError("fitPolynomial: the times do not determine the coefficients");
  const a = inv.map((row) => row.reduce((sum, v, k) => sum + v * xty[k]!, 0));
  let rss = 0;
  for (let i = 0; i < n; i++) {
    const u = (ts[i]! - centre) / s;
    let model = 0;
    for (let k = p - 1; k >= 0; k--) model = model * u + a[k]!;
    rss += (ys[i]! - model) ** 2;
  }
  const dof = n - p;
  const variance = dof > 0 ? rss / dof : NaN;
  // c = T·a: from powers of (t − centre)/s to powers of (t − origin).
  const origin = options.origin ?? ts[0]!;
  const delta = origin - centre;
  const T = Array.from({ length: p }, (_, j) =>
    Array.from({ length: p }, (_, k) => (k >= j ? (binomial(k, j) * delta ** (k - j)) / s ** k : 0)),
  );
  const coefficients = T.map((row) => row.reduce((sum, v, k) => sum + v * a[k]!, 0));
  const covA = inv.map((row) => row.map((v) => v * variance));
  const covariance = T.map((ti) => T.map((tj) => sumQuadratic(ti, covA, tj)));
  return {
    coefficients,
    uncertainties: covariance.map((row, k) => Math.sqrt(row[k]!)),
    covariance,
    origin,
    n,
    dof,
    residualStd: Math.sqrt(variance),
  };
}

/** uᵀ·M·v */
export function sumQuadratic(
  u: readonly number[],
  m: readonly (readonly number[])[],
  v: readonly number[],
): number {
  let sum = 0;
  for (let i = 0; i < u.length; i++) for (let j = 0; j < v.length; j++) sum += u[i]! * m[i]![j]! * v[j]!;
  return sum;
}

const PPM = 1e6;
const DAY_S = 86400;

export interface DriftFit {
  /** Time the offset and aging refer to (the input's clock, seconds). */
  referenceTimeS: number;
  /** Fractional frequency offset at the reference time, ppm. */
  offsetPpm: Estimate;
  /** Linear frequency drift (aging) at the reference time, ppm/day; null for a linear phase fit. */
  agingPpmPerDay: Estimate | null;
  /** Change of the aging, ppm/day² (quadratic frequency fit only). */
  agingChangePpmPerDay2: Estimate | null;
  /** Residual scatter: ppm for frequency fits, seconds for phase fits. */
  residualStd: number;
  fit: PolynomialFit;
}

const scaled = (fit: PolynomialFit, k: number, factor: number): Estimate => ({
  value: fit.coefficients[k]! * factor,
  uncertainty: fit.uncertainties[k]! * Math.abs(factor),
});

/**
 * Offset and aging from a fractional-frequency series y(t) (dimensionless; times in seconds):
 * "linear" y = y0 + D·(t − tref), "quadratic" adds a (t − tref)² term.
 */
export function fitFrequencyDrift(
  timeS: ArrayLike<number>,
  y: ArrayLike<number>,
  options: { model?: "linear" | "quadratic"; referenceTimeS?: number } = {},
): DriftFit {
  const quadratic = options.model === "quadratic";
  const fit = fitPolynomial(timeS, y, quadratic ? 2 : 1, { origin: options.referenceTimeS });
  return {
    referenceTimeS: fit.origin,
    offsetPpm: scaled(fit, 0, PPM),
    agingPpmPerDay: scaled(fit, 1, PPM * DAY_S),
    agingChangePpmPerDay2: quadratic ? scaled(fit, 2, 2 * PPM * DAY_S * DAY_S) : null,
    residualStd: fit.residualStd * PPM,
    fit,
  };
}

/**
 * Offset and aging from a phase series x(t) (seconds, local minus reference): "quadratic"
 * x = x0 + y0·(t − tref) + (D/2)·(t − tref)², "linear" leaves out the aging.
 */
export function fitPhaseDrift(
  timeS: ArrayLike<number>,
  phaseS: ArrayLike<number>,
  options: { model?: "linear" | "quadratic"; referenceTimeS?: number } = {},
): DriftFit {
  const linear = options.model === "linear";
  const fit = fitPolynomial(timeS, phaseS, linear ? 1 : 2, { origin: options.referenceTimeS });
  return {
    referenceTimeS: fit.origin,
    offsetPpm: scaled(fit, 1, PPM),
    agingPpmPerDay: linear ? null : scaled(fit, 2, 2 * PPM * DAY_S),
    agingChangePpmPerDay2: null,
    residualStd: fit.residualStd,
    fit,
  };
}
