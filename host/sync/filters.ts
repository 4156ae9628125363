// Filters over exchanges, each with a fixed-size window (memory stays bounded whatever the rate):
// - moving median of the mean path delay (linuxptp's delay_filter moving_median, length 10): the offset
//   is then t2 − t1c − median delay − asymmetry, so one slow packet does not move it;
// - minimum delay: of the last n exchanges, the one whose packets waited least in queues carries the
//   least asymmetric delay, so its offset is the best estimate (the caller advances it by the frequency
//   error over the time since it was taken).
import { sortedMedian } from "../analysis/quantile.ts";

export class MovingMedian {
  private readonly values: number[] = [];
  private next = 0;

  constructor(readonly length: number) {
    if (!Number.isInteger(length) || length < 1)
      throw new RangeError(`median length must be ≥ 1, got ${length}`);
  }

  push(value: number): number {
    if (this.values.length < this.length) this.values.push(value);
    else this.values[this.next] = value;
    this.next = (this.next + 1) % this.length;
    return this.median();
  }

  reset(): void {
    this.values.length = 0;
    this.next = 0;
  }

  median(): number {
    return sortedMedian([...this.values].sort((a, b) => a - b));
  }

  get size(): number {
    return this.values.length;
  }
}

export interface DelaySample {
  delayNs: number;
  offsetNs: number;
  uncertaintyNs: number;
}

export class MinDelayWindow<T extends DelaySample = DelaySample> {
  private readonly samples: T[] = [];
  private next = 0;

  constructor(readonly length: number) {
    if (!Number.isInteger(length) || length < 1)
      throw new RangeError(`window length must be ≥ 1, got ${length}`);
  }

  /** Adds a sample and returns the one with the least delay in the window. */
  push(sample: T): T {
    if (this.samples.length < this.length) this.samples.push(sample);
    else this.samples[this.next] = sample;
    this.next = (this.next + 1) % this.length;
    return this.best()!;
  }

  reset(): void {
    this.samples.length = 0;
    this.next = 0;
  }

  best(): T | null {
    let best: T | null = null;
    for (const s of this.samples) if (best === null || s.delayNs < best.delayNs) best = s;
    return best;
  }

  get size(): number {
    return this.samples.length;
  }
}
