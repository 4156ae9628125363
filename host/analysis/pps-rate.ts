// Frequency error of a board's clock from its PPS intervals: each interval between two good edges is
// 1 s of GPS time measured in local µs, so (interval − 10⁶ µs) is the fractional frequency error in
// ppm for that second. The mean over N intervals is the rate over the span; its standard error comes
// from the scatter of the intervals (timestamp noise and real wander alike).

export interface PpsRateEstimate {
  /** Mean fractional frequency error, ppm (+ = local clock fast). */
  freqPpm: number;
  /** Standard error of the mean, ppm; NaN with fewer than two intervals. */
  standardErrorPpm: number;
  intervals: number;
}

/** `intervalsUs`: intervals between consecutive good PPS edges in local µs, one per GPS second. */
export function ppsRate(intervalsUs: ArrayLike<number>): PpsRateEstimate {
  const n = intervalsUs.length;
  if (n === 0) return { freqPpm: NaN, standardErrorPpm: NaN, intervals: 0 };
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const y = (intervalsUs[i] as number) - 1e6;
    const delta = y - mean;
    mean += delta / (i + 1);
    m2 += delta * (y - mean);
  }
  const variance = n > 1 ? m2 / (n - 1) : NaN;
  return { freqPpm: mean, standardErrorPpm: Math.sqrt(variance / n), intervals: n };
}
