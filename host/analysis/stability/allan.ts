// Allan deviation from second differences of phase (NIST SP 1065 eqs. 7 and 11):
// σ²(τ) = Σ (x[k+2m] − 2x[k+m] + x[k])² / (2τ²·n), k stepping by m (ADEV) or by 1 (OADEV).
import { deviationRows, row, type DevRow, type StatData, type StatOptions } from "./deviation.ts";
import { pointsComplete, type PhaseSeries } from "./series.ts";

/** Sum of squared second differences at lag m, k = 0, stride, 2·stride, …, skipping incomplete terms. */
export function secondDifferenceSum(s: PhaseSeries, m: number, stride: number): { sum: number; n: number } {
  const x = s.x;
  const whole = s.missing === null;
  let sum = 0;
  let n = 0;
  for (let k = 0; k + 2 * m < x.length; k += stride) {
    if (!whole && !pointsComplete(s, k, m, 3)) continue;
    const d = x[k + 2 * m]! - 2 * x[k + m]! + x[k]!;
    sum += d * d;
    n++;
  }
  return { sum, n };
}

export function allanAt(s: PhaseSeries, m: number, overlapping: boolean): DevRow {
  const { sum, n } = secondDifferenceSum(s, m, overlapping ? 1 : m);
  const tau = m * s.tau0;
  return row(m, s.tau0, n, Math.sqrt(sum / (2 * n)) / tau);
}

/** Non-overlapping Allan deviation. */
export function adev(data: StatData, options: StatOptions = {}): DevRow[] {
  return deviationRows(data, "adev", options, (s, m) => allanAt(s, m, false));
}

/** Overlapping Allan deviation. */
export function oadev(data: StatData, options: StatOptions = {}): DevRow[] {
  return deviationRows(data, "oadev", options, (s, m) => allanAt(s, m, true));
}
