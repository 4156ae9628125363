// How a clock's error interval grows with the time since its last good reference, from measured points
// (age, half-width): the node's own holdover errors (clock-interval.ts), never an assumed drift rate.
// Piecewise linear through (0, 0) and the points, made non-decreasing; past the last point it grows at
// the steepest rate measured between two measured ages (the rise from 0 to the first age is the reading
// noise, not drift), and never below the average rate from 0 to the last one, so extrapolation does not
// flatter the clock.

export interface GrowthPoint {
  ageS: number;
  halfWidthNs: number;
}

function cleaned(points: readonly GrowthPoint[]): GrowthPoint[] {
  const sorted = points
    .filter(
      (p) => Number.isFinite(p.ageS) && p.ageS > 0 && Number.isFinite(p.halfWidthNs) && p.halfWidthNs >= 0,
    )
    .sort((a, b) => a.ageS - b.ageS);
  const out: GrowthPoint[] = [{ ageS: 0, halfWidthNs: 0 }];
  for (const p of sorted) {
    const last = out[out.length - 1]!;
    if (p.ageS === last.ageS) last.halfWidthNs = Math.max(last.halfWidthNs, p.halfWidthNs);
    else out.push({ ageS: p.ageS, halfWidthNs: Math.max(p.halfWidthNs, last.halfWidthNs) });
  }
  return out;
}

/** The steepest measured growth between measured ages, ns per s (= ppb); NaN without measurements. */
export function growthRatePpb(points: readonly GrowthPoint[]): number {
  const c = cleaned(points);
  if (c.length < 2) return NaN;
  const last = c[c.length - 1]!;
  // Never below the average rate from age 0 to the last measured age.
  let rate = last.halfWidthNs / last.ageS;
  for (let i = 2; i < c.length; i++)
    rate = Math.max(rate, (c[i]!.halfWidthNs - c[i - 1]!.halfWidthNs) / (c[i]!.ageS - c[i - 1]!.ageS));
  return rate;
}

/** Half-width at `ageS`, ns (NaN without measurements). */
export function growthAt(points: readonly GrowthPoint[], ageS: number): number {
  const c = cleaned(points);
  if (c.length < 2 || !(ageS >= 0)) return NaN;
  for (let i = 1; i < c.length; i++) {
    const a = c[i - 1]!;
    const b = c[i]!;
    if (ageS <= b.ageS)
      return a.halfWidthNs + ((b.halfWidthNs - a.halfWidthNs) * (ageS - a.ageS)) / (b.ageS - a.ageS);
  }
  const last = c[c.length - 1]!;
  return last.halfWidthNs + growthRatePpb(points) * (ageS - last.ageS);
}
