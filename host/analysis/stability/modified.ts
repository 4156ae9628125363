// Modified Allan deviation (NIST SP 1065 eq. 14) and the time deviation derived from it:
// Mod σ²(τ) = Σ_j (Σ_{i=j}^{j+m−1} (x[i+2m] − 2x[i+m] + x[i]))² / (2m²τ²·n), j = 0 … P − 3m.
// The inner sum slides along by adding one second difference and dropping another, so each τ costs O(P).
import { deviationRows, row, type DevRow, type StatData, type StatOptions } from "./deviation.ts";
import { spanComplete, type PhaseSeries } from "./series.ts";

/** Σ_j inner_j² over the complete terms, and their number. */
export function modifiedSum(s: PhaseSeries, m: number): { sum: number; n: number } {
  const x = s.x;
  const last = x.length - 3 * m; // last j
  if (last < 0) return { sum: 0, n: 0 };
  const whole = s.missing === null;
  const d = (i: number) => x[i + 2 * m]! - 2 * x[i + m]! + x[i]!;
  let inner = 0;
  for (let i = 0; i < m; i++) inner += d(i);
  let sum = 0;
  let n = 0;
  for (let j = 0; ; j++) {
    if (whole || spanComplete(s, j, j + 3 * m - 1)) {
      sum += inner * inner;
      n++;
    }
    if (j === last) break;
    inner += d(j + m) - d(j);
  }
  return { sum, n };
}

export function modifiedAt(s: PhaseSeries, m: number): DevRow {
  const { sum, n } = modifiedSum(s, m);
  const tau = m * s.tau0;
  return row(m, s.tau0, n, Math.sqrt(sum / (2 * m * m * n)) / tau);
}

/** Modified Allan deviation. */
export function mdev(data: StatData, options: StatOptions = {}): DevRow[] {
  return deviationRows(data, "mdev", options, (s, m) => modifiedAt(s, m));
}

/** Time deviation, TDEV = τ·MDEV/√3, seconds. */
export function tdev(data: StatData, options: StatOptions = {}): DevRow[] {
  return deviationRows(data, "tdev", options, (s, m) => {
    const r = modifiedAt(s, m);
    return { ...r, dev: (r.tau * r.dev) / Math.sqrt(3) };
  });
}
