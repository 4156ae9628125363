// Temperature coefficient of an oscillator: fractional frequency against temperature, fitted as a parabola
// (tuning-fork watch crystals, Δf/f ≈ β·(T − T0)²) or a cubic (AT-cut), about a reference temperature,
// with coefficient uncertainties and the turnover temperatures where d(Δf/f)/dT = 0.
import { fitPolynomial, sumQuadratic, type Estimate, type PolynomialFit } from "./drift-fit.ts";

export interface Turnover {
  temperatureC: number;
  /** Standard uncertainty by propagation of the coefficient covariance (first order). */
  uncertaintyC: number;
  kind: "maximum" | "minimum";
}

export interface TempcoFit {
  model: "parabolic" | "cubic";
  referenceC: number;
  /** Δf/f at the reference temperature, ppm. */
  offsetPpm: Estimate;
  linearPpmPerC: Estimate;
  quadraticPpmPerC2: Estimate;
  cubicPpmPerC3: Estimate | null;
  /** Where the slope is zero, sorted by temperature (none when the fit has no real turning point). */
  turnovers: Turnover[];
  /** Cubic only: where the curvature changes sign. */
  inflection: Estimate | null;
  residualStdPpm: number;
  fit: PolynomialFit;
}

const PPM = 1e6;

/**
 * Fits y (fractional frequency, dimensionless) against temperature (°C). Coefficients are about
 * `referenceC` (default 25 °C). Throws RangeError with too few points.
 */
export function fitTempco(
  temperatureC: ArrayLike<number>,
  y: ArrayLike<number>,
  options: { model?: "parabolic" | "cubic"; referenceC?: number } = {},
): TempcoFit {
  const model = options.model ?? "parabolic";
  const referenceC = options.referenceC ?? 25;
  const fit = fitPolynomial(temperatureC, y, model === "cubic" ? 3 : 2, { origin: referenceC });
  const c = fit.coefficients;
  const est = (k: number): Estimate => ({ value: c[k]! * PPM, uncertainty: fit.uncertainties[k]! * PPM });
  return {
    model,
    referenceC,
    offsetPpm: est(0),
    linearPpmPerC: est(1),
    quadraticPpmPerC2: est(2),
    cubicPpmPerC3: model === "cubic" ? est(3) : null,
    turnovers: turnovers(fit),
    inflection: model === "cubic" ? inflection(fit) : null,
    residualStdPpm: fit.residualStd * PPM,
    fit,
  };
}

/** Real roots u of b + 2c·u + 3d·u² = 0 (u = T − reference). */
function slopeRoots(b: number, c: number, d: number): number[] {
  if (d === 0) return c === 0 ? [] : [-b / (2 * c)];
  const disc = c * c - 3 * b * d;
  if (disc < 0) return [];
  // Stable pair: q/(3d) and b/q with q = −(c + sign(c)·√disc).
  const q = -(c + (c >= 0 ? 1 : -1) * Math.sqrt(disc));
  if (q === 0) return [0];
  return [q / (3 * d), b / q].sort((x, y) => x - y);
}

function turnovers(fit: PolynomialFit): Turnover[] {
  const c = fit.coefficients;
  const b1 = c[1]!;
  const c2 = c[2]!;
  const d3 = c[3] ?? 0;
  return slopeRoots(b1, c2, d3).map((u) => {
    // Implicit differentiation of g(u; b, c, d) = b + 2cu + 3du² = 0: ∂u/∂θ = −(∂g/∂θ)/(∂g/∂u).
    const gu = 2 * c2 + 6 * d3 * u;
    const gradient = [0, -1 / gu, (-2 * u) / gu, (-3 * u * u) / gu].slice(0, c.length);
    return {
      temperatureC: fit.origin + u,
      uncertaintyC: Math.sqrt(sumQuadratic(gradient, fit.covariance, gradient)),
      kind: gu < 0 ? "maximum" : "minimum",
    };
  });
}

function inflection(fit: PolynomialFit): Estimate {
  const c2 = fit.coefficients[2]!;
  const d3 = fit.coefficients[3]!;
  const u = -c2 / (3 * d3);
  const gradient = [0, 0, -1 / (3 * d3), c2 / (3 * d3 * d3)];
  return { value: fit.origin + u, uncertainty: Math.sqrt(sumQuadratic(gradient, fit.covariance, gradient)) };
}

/** What makes a temperature coefficient worth fitting, and where a turnover is believed. */
export const TEMPCO_MIN_POINTS = 12;
export const TEMPCO_MIN_RANGE_C = 2;
/** A turnover further than this outside the measured temperatures is an extrapolation, not reported. */
export const TURNOVER_MARGIN_C = 5;

export interface MeasuredTempco {
  fit: TempcoFit;
  rangeC: [number, number];
  /** The turnover within the measured range (± TURNOVER_MARGIN_C), if there is one. */
  turnover: Turnover | null;
}

/**
 * A parabola about 25 °C through (temperature, fractional frequency) pairs, when there are enough of
 * them over a wide enough spread of temperature to mean something; null otherwise.
 */
export function measuredTempco(temperatureC: readonly number[], y: readonly number[]): MeasuredTempco | null {
  if (temperatureC.length < TEMPCO_MIN_POINTS) return null;
  const rangeC: [number, number] = [Math.min(...temperatureC), Math.max(...temperatureC)];
  if (rangeC[1] - rangeC[0] < TEMPCO_MIN_RANGE_C) return null;
  const fit = fitTempco(temperatureC, y, { model: "parabolic", referenceC: 25 });
  const turnover =
    fit.turnovers.find(
      (t) =>
        t.temperatureC >= rangeC[0] - TURNOVER_MARGIN_C && t.temperatureC <= rangeC[1] + TURNOVER_MARGIN_C,
    ) ?? null;
  return { fit, rangeC, turnover };
}

/** Each frequency sample paired with the mean temperature measured within half a window of it. */
export function pairWithTemperature(
  frequency: readonly { t: number; y: number }[],
  temperature: readonly { t: number; c: number }[],
  windowS: number,
): { c: number; y: number }[] {
  const pairs: { c: number; y: number }[] = [];
  for (const f of frequency) {
    const inside = temperature.filter((p) => Math.abs(p.t - f.t) <= windowS / 2);
    if (inside.length === 0) continue;
    pairs.push({ c: inside.reduce((s, p) => s + p.c, 0) / inside.length, y: f.y });
  }
  return pairs;
}
