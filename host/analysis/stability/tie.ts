// Time-interval error statistics of phase: MTIE(τ) is the largest peak-to-peak phase excursion in any
// window of m + 1 consecutive points; TIE rms(τ) is √(mean of (x[k+m] − x[k])²). Both in seconds. A
// frequency offset counts here (unlike the Allan family).
import { deviationRows, row, type DevRow, type StatData, type StatOptions } from "./deviation.ts";
import { pointsComplete, spanComplete, type PhaseSeries } from "./series.ts";

/** Sliding-window maximum and minimum with monotonic deques: O(P) per window length. */
export function mtieAt(s: PhaseSeries, m: number): DevRow {
  const x = s.x;
  const p = x.length;
  if (m < 1 || p - m < 1) return row(m, s.tau0, 0, NaN);
  const whole = s.missing === null;
  const maxQ = new Int32Array(p);
  const minQ = new Int32Array(p);
  let maxHead = 0;
  let maxTail = 0;
  let minHead = 0;
  let minTail = 0;
  let worst = 0;
  let n = 0;
  for (let i = 0; i < p; i++) {
    const v = x[i]!;
    while (maxTail > maxHead && x[maxQ[maxTail - 1]!]! <= v) maxTail--;
    maxQ[maxTail++] = i;
    while (minTail > minHead && x[minQ[minTail - 1]!]! >= v) minTail--;
    minQ[minTail++] = i;
    const k = i - m; // window [k, i]
    if (k < 0) continue;
    while (maxQ[maxHead]! < k) maxHead++;
    while (minQ[minHead]! < k) minHead++;
    if (!whole && !spanComplete(s, k, i)) continue;
    const range = x[maxQ[maxHead]!]! - x[minQ[minHead]!]!;
    if (range > worst) worst = range;
    n++;
  }
  return row(m, s.tau0, n, worst);
}

export function tieRmsAt(s: PhaseSeries, m: number): DevRow {
  const x = s.x;
  const whole = s.missing === null;
  let sum = 0;
  let n = 0;
  for (let k = 0; k + m < x.length; k++) {
    if (!whole && !pointsComplete(s, k, m, 2)) continue;
    const d = x[k + m]! - x[k]!;
    sum += d * d;
    n++;
  }
  return row(m, s.tau0, n, Math.sqrt(sum / n));
}

/** Maximum time-interval error, seconds. */
export function mtie(data: StatData, options: StatOptions = {}): DevRow[] {
  return deviationRows(data, "mtie", options, (s, m) => mtieAt(s, m));
}

/** RMS time-interval error, seconds. */
export function tierms(data: StatData, options: StatOptions = {}): DevRow[] {
  return deviationRows(data, "tierms", options, (s, m) => tieRmsAt(s, m));
}
