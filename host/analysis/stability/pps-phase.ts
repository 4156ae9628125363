// PPS edges to a phase series. Each edge carries the whole second the receiver labelled it with and the
// board clock's reading of it; the board clock's phase against GPS is their difference. Seconds without an
// edge (missed pulses) become NaN samples, so the series stays on a uniform 1 s grid.

/** Widest span of seconds accepted (about 11.6 days at one sample per second). */
export const MAX_PPS_SPAN_S = 1_000_000;

/**
 * x[k] = (localS[i] − localS[0]) − (gpsSecond[i] − gpsSecond[0]) for the edge i labelled
 * gpsSecond[0] + k, in seconds (local minus reference, relative to the first edge); NaN where no edge was
 * labelled with that second. τ0 = 1 s.
 */
export function ppsToPhase(gpsSecond: readonly number[], localS: readonly number[]): Float64Array {
  if (gpsSecond.length !== localS.length) {
    throw new RangeError(`ppsToPhase: ${gpsSecond.length} labels but ${localS.length} clock readings`);
  }
  if (gpsSecond.length === 0) return new Float64Array(0);
  const first = gpsSecond[0]!;
  const firstLocal = localS[0]!;
  const span = gpsSecond[gpsSecond.length - 1]! - first;
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(span) || span > MAX_PPS_SPAN_S) {
    throw new RangeError(`ppsToPhase: labels must be whole seconds spanning at most ${MAX_PPS_SPAN_S} s`);
  }
  const x = new Float64Array(span + 1).fill(NaN);
  let previous = first - 1;
  for (let i = 0; i < gpsSecond.length; i++) {
    const label = gpsSecond[i]!;
    if (!Number.isSafeInteger(label) || label <= previous) {
      throw new RangeError(`ppsToPhase: label ${label} at edge ${i} is not a whole second after ${previous}`);
    }
    previous = label;
    const k = label - first;
    x[k] = localS[i]! - firstLocal - k;
  }
  return x;
}
