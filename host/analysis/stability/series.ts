// Phase/frequency data as the stability statistics see it. Every statistic works on phase samples
// x[0..P−1] (seconds, spacing τ0); frequency data y[0..N−1] become P = N + 1 phase points by summing.
// A missing sample (NaN) is never closed up: statistics skip exactly the terms that would need it.

export type DataType = "phase" | "freq";

export interface StabilityInput {
  /** Phase in seconds or fractional frequency (dimensionless); NaN marks a missing sample. */
  data: ArrayLike<number>;
  type: DataType;
  /** Sample interval in seconds. */
  tau0: number;
}

/**
 * Phase points plus which of them may be combined. Values at or across a gap are finite placeholders
 * that keep running sums well-behaved; no statistic uses a term that touches them.
 */
export interface PhaseSeries {
  x: Float64Array;
  tau0: number;
  type: DataType;
  /**
   * Prefix counts of missing samples, or null when nothing is missing. Phase input: missing[i] is the
   * number of missing points among x[0..i−1] (length P + 1). Frequency input: the number of missing
   * frequency values among y[0..i−1] (length P), y[i] linking x[i] to x[i + 1].
   */
  missing: Int32Array | null;
  /** Number of samples given (N frequency values or P phase points) and how many were missing. */
  samples: number;
  gaps: number;
}

/** Phase from fractional frequency: x[0] = 0, x[k+1] = x[k] + y[k]·τ0. A NaN makes every later point NaN
 * (the phase after a missing frequency value is unknown): pass frequency data with gaps to the statistics
 * as frequency, which handle the gap exactly. */
export function frequencyToPhase(y: ArrayLike<number>, tau0: number): Float64Array {
  const x = new Float64Array(y.length + 1);
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    sum += (y[i] as number) * tau0;
    x[i + 1] = sum;
  }
  return x;
}

/** Fractional frequency from phase: y[k] = (x[k+1] − x[k]) / τ0, NaN where either point is missing. */
export function phaseToFrequency(x: ArrayLike<number>, tau0: number): Float64Array {
  const y = new Float64Array(Math.max(0, x.length - 1));
  for (let i = 0; i < y.length; i++) y[i] = ((x[i + 1] as number) - (x[i] as number)) / tau0;
  return y;
}

/**
 * Mean fractional frequency over consecutive windows of `windowS` samples of phase (τ0 = 1), from the
 * first and last phase present in each; windows with less than half their span present are left out.
 * `t` is the middle of the span used.
 */
export function windowedFrequency(phase: ArrayLike<number>, windowS: number): { t: number; y: number }[] {
  const out: { t: number; y: number }[] = [];
  for (let start = 0; start + windowS < phase.length; start += windowS) {
    let a = start;
    let b = start + windowS;
    while (a < b && !Number.isFinite(phase[a] as number)) a++;
    while (b > a && !Number.isFinite(phase[b] as number)) b--;
    if (b - a < windowS / 2) continue;
    out.push({ t: (a + b) / 2, y: ((phase[b] as number) - (phase[a] as number)) / (b - a) });
  }
  return out;
}

const isMissing = (v: number) => !Number.isFinite(v);

export function preparePhase(input: StabilityInput): PhaseSeries {
  const { data, type, tau0 } = input;
  if (!(tau0 > 0) || !Number.isFinite(tau0))
    throw new RangeError(`tau0 must be a positive number, got ${tau0}`);
  let gaps = 0;
  for (let i = 0; i < data.length; i++) if (isMissing(data[i] as number)) gaps++;
  return type === "phase" ? preparePhaseInput(data, tau0, gaps) : prepareFrequencyInput(data, tau0, gaps);
}

function preparePhaseInput(data: ArrayLike<number>, tau0: number, gaps: number): PhaseSeries {
  const n = data.length;
  const x = new Float64Array(n);
  let missing: Int32Array | null = null;
  if (gaps === 0) {
    for (let i = 0; i < n; i++) x[i] = data[i] as number;
  } else {
    missing = new Int32Array(n + 1);
    // Placeholders hold the previous known value so differences across a gap stay small.
    let first = 0;
    for (let i = 0; i < n; i++) {
      if (!isMissing(data[i] as number)) {
        first = data[i] as number;
        break;
      }
    }
    let last = first;
    for (let i = 0; i < n; i++) {
      const v = data[i] as number;
      const gap = isMissing(v);
      if (!gap) last = v;
      x[i] = last;
      missing[i + 1] = (missing[i] as number) + (gap ? 1 : 0);
    }
  }
  return { x, tau0, type: "phase", missing, samples: n, gaps };
}

function prepareFrequencyInput(data: ArrayLike<number>, tau0: number, gaps: number): PhaseSeries {
  const n = data.length;
  const x = new Float64Array(n + 1);
  let missing: Int32Array | null = null;
  let fill = 0;
  if (gaps > 0) {
    missing = new Int32Array(n + 1);
    let sum = 0;
    for (let i = 0; i < n; i++) if (!isMissing(data[i] as number)) sum += data[i] as number;
    // A missing value is integrated as the mean frequency, so the phase keeps its trend across the gap.
    fill = n > gaps ? sum / (n - gaps) : 0;
  }
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i] as number;
    const gap = isMissing(v);
    acc += (gap ? fill : v) * tau0;
    x[i + 1] = acc;
    if (missing) missing[i + 1] = (missing[i] as number) + (gap ? 1 : 0);
  }
  return { x, tau0, type: "freq", missing, samples: n, gaps };
}

/** Number of frequency intervals the series spans (N = P − 1), the N of Stable32's term counts. */
export function frequencyPoints(s: PhaseSeries): number {
  return Math.max(0, s.x.length - 1);
}

/** True when every sample between phase points a and b (inclusive) is present. */
export function spanComplete(s: PhaseSeries, a: number, b: number): boolean {
  const miss = s.missing;
  if (miss === null) return true;
  return s.type === "phase"
    ? (miss[b + 1] as number) === (miss[a] as number)
    : (miss[b] as number) === (miss[a] as number);
}

/**
 * True when phase points a, a + step, …, a + (count − 1)·step can be combined: for phase input the points
 * themselves are present; for frequency input no frequency value between them is missing.
 */
export function pointsComplete(s: PhaseSeries, a: number, step: number, count: number): boolean {
  const miss = s.missing;
  if (miss === null) return true;
  if (s.type === "freq") return (miss[a + step * (count - 1)] as number) === (miss[a] as number);
  for (let k = 0, i = a; k < count; k++, i += step) {
    if ((miss[i + 1] as number) !== (miss[i] as number)) return false;
  }
  return true;
}

/** True when phase point i itself is present (always, for frequency input). */
export function pointPresent(s: PhaseSeries, i: number): boolean {
  const miss = s.missing;
  if (miss === null || s.type === "freq") return true;
  return (miss[i + 1] as number) === (miss[i] as number);
}
