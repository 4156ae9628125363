// Wall-clock timing for the benches.

/** Milliseconds `action` took. */
export function timedMs(action: () => void): number {
  const start = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The fastest of `runs` runs, milliseconds: the figure least disturbed by whatever else runs. */
export function bestOf(runs: number, action: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, timedMs(action));
  return best;
}

/**
 * Collects the garbage earlier work left, when node runs with --expose-gc (npm run bench does), so
 * that a timed run does not pay for the one before it.
 */
export function settleHeap(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
