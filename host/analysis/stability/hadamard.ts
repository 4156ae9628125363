// Hadamard deviation from third differences of phase (NIST SP 1065 eqs. 18 and 20):
// σ²(τ) = Σ (x[k+3m] − 3x[k+2m] + 3x[k+m] − x[k])² / (6τ²·n), k stepping by m (HDEV) or 1 (OHDEV).
// Insensitive to a linear frequency drift.
import { deviationRows, row, type DevRow, type StatData, type StatOptions } from "./deviation.ts";
import { pointsComplete, type PhaseSeries } from "./series.ts";

export function hadamardAt(s: PhaseSeries, m: number, overlapping: boolean): DevRow {
  const x = s.x;
  const whole = s.missing === null;
  const stride = overlapping ? 1 : m;
  let sum = 0;
  let n = 0;
  for (let k = 0; k + 3 * m < x.length; k += stride) {
    if (!whole && !pointsComplete(s, k, m, 4)) continue;
    const d = x[k + 3 * m]! - 3 * x[k + 2 * m]! + 3 * x[k + m]! - x[k]!;
    sum += d * d;
    n++;
  }
  const tau = m * s.tau0;
  return row(m, s.tau0, n, Math.sqrt(sum / (6 * n)) / tau);
}

/** Non-overlapping Hadamard deviation. */
export function hdev(data: StatData, options: StatOptions = {}): DevRow[] {
  return deviationRows(data, "hdev", options, (s, m) => hadamardAt(s, m, false));
}

/** Overlapping Hadamard deviation. */
export function ohdev(data: StatData, options: StatOptions = {}): DevRow[] {
  return deviationRows(data, "ohdev", options, (s, m) => hadamardAt(s, m, true));
}
