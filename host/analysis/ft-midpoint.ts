// The fault-tolerant midpoint (Lundelius–Lynch, Welch): with n readings of which at most f may be
// arbitrary (Byzantine), drop the f lowest and the f highest and take the midpoint of what is left.
// With n ≥ 3f + 1 the result lies within the range of the correct readings whatever the faulty ones
// say, and two observers shown different lies agree to within half that range. With fewer readings
// there is no guarantee, and the result says how many are needed instead of giving a number.

export interface Reading {
  id: string;
  value: number;
}

export type MidpointResult =
  | {
      status: "agreed";
      midpoint: number;
      faults: number;
      nodes: number;
      /** Readings kept (the middle n − 2f), lowest first. */
      kept: string[];
      /** Readings dropped as the f lowest and f highest: suspects, not proven liars. */
      dropped: string[];
    }
  | { status: "too-few-nodes"; faults: number; nodes: number; needed: number; reason: string };

export function nodesNeeded(faults: number): number {
  return 3 * faults + 1;
}

/** The largest number of Byzantine faults `nodes` readings can tolerate. */
export function faultsTolerated(nodes: number): number {
  return Math.max(0, Math.floor((nodes - 1) / 3));
}

export function faultTolerantMidpoint(readings: readonly Reading[], faults: number): MidpointResult {
  const values = readings.filter((r) => Number.isFinite(r.value));
  const n = values.length;
  const needed = nodesNeeded(faults);
  if (!Number.isInteger(faults) || faults < 0 || n < needed || n === 0)
    return {
      status: "too-few-nodes",
      faults,
      nodes: n,
      needed,
      reason: `tolerating ${faults} faulty node${faults === 1 ? "" : "s"} needs at least ${needed} readings; ${n} usable: no guarantee is claimed`,
    };
  const sorted = [...values].sort((a, b) => a.value - b.value || (a.id < b.id ? -1 : 1));
  const kept = sorted.slice(faults, n - faults);
  return {
    status: "agreed",
    midpoint: (kept[0]!.value + kept[kept.length - 1]!.value) / 2,
    faults,
    nodes: n,
    kept: kept.map((r) => r.id),
    dropped: [...sorted.slice(0, faults), ...sorted.slice(n - faults)].map((r) => r.id),
  };
}
