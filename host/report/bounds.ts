// The width of a node's 95 % bounds, summed up the same way wherever it is shown.
import type { ClockPoint } from "./model.ts";
import { sortedMedian } from "../analysis/quantile.ts";

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
  return { worstNs: halves[halves.length - 1] as number, medianNs: sortedMedian(halves) };
}
