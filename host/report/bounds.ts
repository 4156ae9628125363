// The width of a node's 95 % bounds, summed up the same way wherever it is shown.
import type { ClockPoint } from "./model.ts";

export interface BoundStats {
  worstNs: number;
  medianNs: number;
}

/** Worst and median half-width of the 95 % interval; null without clock readings. */
export function boundStats(clock: ClockPoint[]): BoundStats | null {
  const halves = clock
    .map((p) => (p.latest95Ns - p.earliest95Ns) / 2)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (halves.length === 0) return null;
  const mid = Math.floor(halves.length / 2);
  const median =
    halves.length % 2 === 1
      ? (halves[mid] as number)
      : ((halves[mid - 1] as number) + (halves[mid] as number)) / 2;
  return { worstNs: halves[halves.length - 1] as number, medianNs: median };
}
