// A set of integers kept as sorted, disjoint, non-adjacent inclusive ranges: the sequence numbers a
// node still owes the host. Few ranges at a time, so a sorted array is enough.
import type { SeqRange } from "../store/registry.ts";

export class RangeSet {
  private ranges: SeqRange[] = [];

  constructor(initial: readonly SeqRange[] = []) {
    for (const range of initial) this.add(range.first, range.last);
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  get lowest(): number | null {
    return this.ranges[0]?.first ?? null;
  }

  get size(): number {
    return this.ranges.reduce((sum, r) => sum + r.last - r.first + 1, 0);
  }

  list(): SeqRange[] {
    return this.ranges.map((r) => ({ ...r }));
  }

  has(value: number): boolean {
    return this.ranges.some((r) => r.first <= value && value <= r.last);
  }

  add(first: number, last: number): void {
    if (last < first) return;
    const kept: SeqRange[] = [];
    let merged = { first, last };
    for (const range of this.ranges) {
      if (range.last + 1 < merged.first || range.first > merged.last + 1) kept.push(range);
      else merged = { first: Math.min(range.first, merged.first), last: Math.max(range.last, merged.last) };
    }
    kept.push(merged);
    this.ranges = kept.sort((a, b) => a.first - b.first);
  }

  /** Removes [first, last]; returns the parts that were in the set. */
  remove(first: number, last: number): SeqRange[] {
    const removed: SeqRange[] = [];
    const kept: SeqRange[] = [];
    for (const range of this.ranges) {
      if (range.last < first || range.first > last) {
        kept.push(range);
        continue;
      }
      removed.push({ first: Math.max(range.first, first), last: Math.min(range.last, last) });
      if (range.first < first) kept.push({ first: range.first, last: first - 1 });
      if (range.last > last) kept.push({ first: last + 1, last: range.last });
    }
    this.ranges = kept;
    return removed;
  }

  clear(): SeqRange[] {
    const all = this.ranges;
    this.ranges = [];
    return all;
  }
}
