// How well a clock's error bounds cover the truth: for readings whose true error is known (virtual
// lab), the share inside the 95 % interval and inside the hard interval, the median width claimed, and
// the narrowest symmetric width that would have covered 95 % of readings.
import { quantile } from "./quantile.ts";

export interface BoundedError {
  /** True time − reading, ns. */
  errorNs: number;
  /** The reading's interval, as offsets from the reading: truth should lie in [earliest, latest]. */
  earliest95Ns: number;
  latest95Ns: number;
  earliestHardNs: number;
  latestHardNs: number;
}

export interface Coverage {
  readings: number;
  /** Fraction of readings inside their 95 % interval, and inside their hard interval. */
  inside95: number;
  insideHard: number;
  /** Median half-width of the claimed 95 % interval, ns. */
  medianHalfWidth95Ns: number;
  /** Half-width that would have covered 95 % of readings (95th percentile of |error|), ns. */
  neededHalfWidth95Ns: number;
  /** RMS of the true error, ns. */
  rmsErrorNs: number;
  /** Largest |error|, ns. */
  maxErrorNs: number;
}

export function boundCoverage(samples: readonly BoundedError[]): Coverage {
  let inside95 = 0;
  let insideHard = 0;
  let sumSquares = 0;
  let maxError = 0;
  const halfWidths: number[] = [];
  const errors: number[] = [];
  for (const s of samples) {
    if (s.errorNs >= s.earliest95Ns && s.errorNs <= s.latest95Ns) inside95++;
    if (s.errorNs >= s.earliestHardNs && s.errorNs <= s.latestHardNs) insideHard++;
    halfWidths.push((s.latest95Ns - s.earliest95Ns) / 2);
    errors.push(Math.abs(s.errorNs));
    sumSquares += s.errorNs * s.errorNs;
    maxError = Math.max(maxError, Math.abs(s.errorNs));
  }
  const n = samples.length;
  halfWidths.sort((a, b) => a - b);
  errors.sort((a, b) => a - b);
  return {
    readings: n,
    inside95: n ? inside95 / n : NaN,
    insideHard: n ? insideHard / n : NaN,
    medianHalfWidth95Ns: quantile(halfWidths, 0.5),
    neededHalfWidth95Ns: quantile(errors, 0.95),
    rmsErrorNs: n ? Math.sqrt(sumSquares / n) : NaN,
    maxErrorNs: maxError,
  };
}
