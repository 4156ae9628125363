// Total deviation (NIST SP 1065 eq. 25, no bias correction): second differences at lag m over the phase
// record extended at both ends by reflection, x*[−j] = 2x[0] − x[j] and x*[P−1+j] = 2x[P−1] − x[P−1−j]:
// Tot σ²(τ) = Σ_{i=1}^{P−2} (x*[i−m] − 2x*[i] + x*[i+m])² / (2τ²·(P − 2)).
import { deviationRows, row, type DevRow, type StatData, type StatOptions } from "./deviation.ts";
import { pointPresent, spanComplete, type PhaseSeries } from "./series.ts";

export function totalAt(s: PhaseSeries, m: number): DevRow {
  const x = s.x;
  const p = x.length;
  const end = p - 1;
  if (p < 3 || m > end) return row(m, s.tau0, 0, NaN);
  const first = x[0]!;
  const lastValue = x[end]!;
  const whole = s.missing === null;
  let sum = 0;
  let n = 0;
  // i − m reflects below 0 while i < m; i + m reflects beyond the end while i > end − m.
  for (let i = 1; i <= end - 1; i++) {
    const behind = i >= m ? x[i - m]! : 2 * first - x[m - i]!;
    const ahead = i + m <= end ? x[i + m]! : 2 * lastValue - x[2 * end - i - m]!;
    if (!whole && !termComplete(s, i - m, i, i + m, end)) continue;
    const d = behind - 2 * x[i]! + ahead;
    sum += d * d;
    n++;
  }
  const tau = m * s.tau0;
  return row(m, s.tau0, n, Math.sqrt(sum / (2 * n)) / tau);
}

/** Whether the real points behind three (possibly reflected) indices are all usable together. */
function termComplete(s: PhaseSeries, a: number, b: number, c: number, end: number): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  let present = true;
  for (const j of [a, b, c]) {
    const sources = j < 0 ? [0, -j] : j > end ? [end, 2 * end - j] : [j];
    for (const i of sources) {
      lo = Math.min(lo, i);
      hi = Math.max(hi, i);
      if (!pointPresent(s, i)) present = false;
    }
  }
  // Frequency input: the points are linked only if no frequency value between them is missing.
  return s.type === "phase" ? present : spanComplete(s, lo, hi);
}

/** Total deviation. */
export function totdev(data: StatData, options: StatOptions = {}): DevRow[] {
  return deviationRows(data, "totdev", options, (s, m) => totalAt(s, m));
}
