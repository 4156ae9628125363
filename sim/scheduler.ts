// Discrete-event scheduler in true time: a binary min-heap ordered by (time, sequence), so events at
// equal times run in the order they were scheduled. It never reads the wall clock.

import type { EventHandle, Scheduler } from "./contracts.ts";

/** One scheduled action; `action === null` marks a cancelled entry left in the heap (lazy deletion). */
interface Entry {
  timeS: number;
  seq: number;
  action: (() => void) | null;
}

/** Rebuild the heap once cancelled entries outnumber live ones (and there are enough to matter). */
const COMPACT_MIN_DEAD = 64;

export class EventScheduler implements Scheduler {
  private nowS: number;
  private readonly heap: Entry[] = [];
  /** Live (scheduled, not yet run or cancelled) entries by handle; the handle is the sequence number. */
  private readonly live = new Map<EventHandle, Entry>();
  private nextSeq = 1;
  private dead = 0;
  private running = false;

  constructor(startS = 0) {
    if (!Number.isFinite(startS)) throw new RangeError(`scheduler start time must be finite, got ${startS}`);
    this.nowS = startS;
  }

  get now(): number {
    return this.nowS;
  }

  /** Events scheduled and neither run nor cancelled yet. */
  get pendingCount(): number {
    return this.live.size;
  }

  /** Times in the past are clamped to `now` (the event runs next, after those already due). */
  at(trueTimeS: number, action: () => void): EventHandle {
    if (!Number.isFinite(trueTimeS)) throw new RangeError(`event time must be finite, got ${trueTimeS}`);
    const entry: Entry = {
      timeS: trueTimeS < this.nowS ? this.nowS : trueTimeS,
      seq: this.nextSeq++,
      action,
    };
    this.live.set(entry.seq, entry);
    this.push(entry);
    return entry.seq;
  }

  after(delayS: number, action: () => void): EventHandle {
    return this.at(this.nowS + delayS, action);
  }

  /** Cancelling an unknown, already-run or already-cancelled handle does nothing. */
  cancel(handle: EventHandle): void {
    const entry = this.live.get(handle);
    if (entry === undefined) return;
    this.live.delete(handle);
    entry.action = null;
    this.dead++;
    if (this.dead >= COMPACT_MIN_DEAD && this.dead * 2 > this.heap.length) this.compact();
  }

  runUntil(untilS: number): void {
    if (Number.isNaN(untilS)) throw new RangeError("runUntil: time is NaN");
    if (this.running) throw new Error("runUntil called from inside a scheduled action");
    this.running = true;
    try {
      const heap = this.heap;
      while (heap.length > 0) {
        const top = heap[0] as Entry;
        if (top.timeS > untilS) break;
        this.pop();
        const action = top.action;
        if (action === null) {
          this.dead--;
          continue;
        }
        this.live.delete(top.seq);
        this.nowS = top.timeS;
        action();
      }
      if (untilS > this.nowS) this.nowS = untilS;
    } finally {
      this.running = false;
    }
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Entry;
      if (!before(entry, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop() as Entry;
    if (heap.length === 0) return;
    const n = heap.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(heap[right] as Entry, heap[left] as Entry)) child = right;
      const c = heap[child] as Entry;
      if (!before(c, last)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = last;
  }

  private compact(): void {
    const liveEntries = this.heap.filter((e) => e.action !== null);
    this.heap.length = 0;
    this.dead = 0;
    for (const e of liveEntries) this.push(e);
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.timeS < b.timeS || (a.timeS === b.timeS && a.seq < b.seq);
}
