/** Nearest-rank quantile of ascending `sorted` values (NaN when empty): the value at rank ⌈q·n⌉. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
