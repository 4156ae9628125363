// Averaging factors m (τ = m·τ0) for each statistic, as Stable32 chooses them, so results line up with
// its tables row for row.

export type StatName = "adev" | "oadev" | "mdev" | "tdev" | "hdev" | "ohdev" | "totdev" | "mtie" | "tierms";

export const STAT_NAMES: readonly StatName[] = [
  "adev",
  "oadev",
  "mdev",
  "tdev",
  "hdev",
  "ohdev",
  "totdev",
  "mtie",
  "tierms",
];

/**
 * "all": Stable32's all-tau list, every m up to the divisor and then steps growing with m
 *   (m → m + 1 + ⌊m / divisor⌋, about 120 factors per decade with the default divisor 53);
 * "octave": 1, 2, 4, 8, …; "decade": 1, 2, 4, 10, 20, 40, 100, …;
 * { taus }: explicit averaging times in seconds, rounded to the nearest multiple of τ0;
 * { m }: explicit averaging factors.
 * The generated lists stop at Stable32's largest factor for the statistic; explicit ones are kept as
 * given, and a statistic drops the factors that leave it no term.
 */
export type TauSpec = "all" | "octave" | "decade" | { taus: readonly number[] } | { m: readonly number[] };

export interface TauOptions {
  /**
   * Step divisor of the "all" list. Stable32 used 53 for the OCXO tables and the pink-noise ADEV/HDEV
   * tables, 42 for the pink-noise overlapping and total tables (its choice is not documented).
   */
  allDivisor?: number;
}

export const DEFAULT_ALL_DIVISOR = 53;

/** Largest averaging factor Stable32 runs for N frequency points (N + 1 phase points). */
export function maxAveragingFactor(stat: StatName, n: number): number {
  switch (stat) {
    case "adev":
    case "hdev":
      return Math.floor(n / 5);
    case "oadev":
    case "mdev":
    case "tdev":
    case "ohdev":
      return Math.floor(n / 4);
    case "totdev":
    case "mtie":
    case "tierms":
      return Math.floor(n / 2);
  }
}

/** Stable32's all-tau factors from 1 to max. */
export function allTauFactors(max: number, divisor: number = DEFAULT_ALL_DIVISOR): number[] {
  if (!(divisor >= 1)) throw new RangeError(`all-tau divisor must be ≥ 1, got ${divisor}`);
  const out: number[] = [];
  for (let m = 1; m <= max; m += 1 + Math.floor(m / divisor)) out.push(m);
  return out;
}

export function octaveFactors(max: number): number[] {
  const out: number[] = [];
  for (let m = 1; m <= max; m *= 2) out.push(m);
  return out;
}

export function decadeFactors(max: number): number[] {
  const out: number[] = [];
  for (let decade = 1; decade <= max; decade *= 10) {
    for (const k of [1, 2, 4]) if (k * decade <= max) out.push(k * decade);
  }
  return out;
}

/** Averaging factors for a statistic over N frequency points (N + 1 phase points) at interval τ0. */
export function averagingFactors(
  spec: TauSpec,
  stat: StatName,
  n: number,
  tau0: number,
  options: TauOptions = {},
): number[] {
  const max = maxAveragingFactor(stat, n);
  if (spec === "all") return allTauFactors(max, options.allDivisor);
  if (spec === "octave") return octaveFactors(max);
  if (spec === "decade") return decadeFactors(max);
  const raw = "taus" in spec ? spec.taus.map((tau) => Math.round(tau / tau0)) : spec.m.map(Math.round);
  return [...new Set(raw.filter((m) => Number.isSafeInteger(m) && m >= 1))].sort((a, b) => a - b);
}
