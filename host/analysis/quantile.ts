/** Nearest-rank quantile of ascending `sorted` values (NaN when empty): the value at rank ⌈q·n⌉. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Median of ascending `sorted` values: the middle one, or the mean of the middle two (NaN when empty). */
export function sortedMedian(sorted: readonly number[]): number {
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
