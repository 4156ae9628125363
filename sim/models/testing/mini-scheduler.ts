// Test stand-in for the lab's EventScheduler: a binary heap ordered by (time, scheduling order).

import type { EventHandle, Scheduler } from "../../contracts.ts";

interface Entry {
  timeS: number;
  seq: number;
  action: () => void;
}

export class MiniScheduler implements Scheduler {
  now = 0;
  private heap: Entry[] = [];
  private seq = 0;
  private cancelled = new Set<number>();

  at(trueTimeS: number, action: () => void): EventHandle {
    if (!(trueTimeS >= this.now))
      throw new RangeError(`MiniScheduler: ${trueTimeS} is before now (${this.now})`);
    const entry = { timeS: trueTimeS, seq: ++this.seq, action };
    this.heap.push(entry);
    this.up(this.heap.length - 1);
    return entry.seq;
  }

  after(delayS: number, action: () => void): EventHandle {
    return this.at(this.now + delayS, action);
  }

  cancel(handle: EventHandle): void {
    this.cancelled.add(handle);
  }

  runUntil(untilS: number): void {
    while (this.heap.length > 0 && (this.heap[0] as Entry).timeS <= untilS) {
      const top = this.pop();
      if (this.cancelled.delete(top.seq)) continue;
      this.now = top.timeS;
      top.action();
    }
    this.now = untilS;
  }

  private less(a: Entry, b: Entry): boolean {
    return a.timeS < b.timeS || (a.timeS === b.timeS && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i] as Entry, h[p] as Entry)) break;
      [h[i], h[p]] = [h[p] as Entry, h[i] as Entry];
      i = p;
    }
  }

  private pop(): Entry {
    const h = this.heap;
    const top = h[0] as Entry;
    const last = h.pop() as Entry;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l] as Entry, h[m] as Entry)) m = l;
        if (r < h.length && this.less(h[r] as Entry, h[m] as Entry)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Entry, h[i] as Entry];
        i = m;
      }
    }
    return top;
  }
}
