// The host's time-of-day clock against its monotonic clock. Date.now() gives whole milliseconds, so
// each paired reading only says that ToD − mono lies in a 1 ms window; intersecting the windows of
// many readings narrows it to microseconds, which places a monotonic timestamp on the system clock
// far better than Date.now() could. A reading whose window misses the narrowed one by more than the
// allowed rate difference is a step of the time of day (settimeofday, an NTP step, a resume from
// suspend, which CLOCK_MONOTONIC does not count), reported once and started afresh. When microseconds
// are wanted at once (timestamping PTP messages), observeEdge() waits for Date.now() to tick over and
// brackets the tick between two monotonic reads, a window well under a microsecond wide.

export interface ClockReader {
  /** Monotonic clock, ns (process.hrtime.bigint). */
  monoNs(): bigint;
  /** Time of day, whole ms since the POSIX epoch (Date.now). */
  todMs(): number;
}

export const SYSTEM_CLOCK_READER: ClockReader = {
  monoNs: () => process.hrtime.bigint(),
  todMs: () => Date.now(),
};

export interface TodStep {
  /** Monotonic ns of the reading that showed the step. */
  atMonoNs: bigint;
  /** Time of day at that reading, ns since the epoch (after the step). */
  todNs: bigint;
  /** How far the time of day moved against the monotonic clock, ns (negative: backwards); ±1 ms. */
  stepNs: number;
}

export interface TodTrackerOptions {
  /** Rate by which the two clocks may drift apart between readings, ppm (default 2: on Linux both
   * follow NTP's frequency and slew alike; only steps part them). */
  driftPpm?: number;
  onStep?: (step: TodStep) => void;
}

const NS_PER_MS = 1_000_000n;

export class TodTracker {
  /** ToD − mono lies in [lowNs, highNs]. */
  private lowNs: bigint | null = null;
  private highNs: bigint | null = null;
  private lastMonoNs: bigint | null = null;
  private readonly driftPpm: number;
  steps = 0;

  constructor(
    private readonly reader: ClockReader,
    private readonly options: TodTrackerOptions = {},
  ) {
    this.driftPpm = options.driftPpm ?? 2;
  }

  /** One paired reading; call it often (every tick) so the window stays narrow. */
  observe(): TodStep | null {
    const before = this.reader.monoNs();
    const todMs = BigInt(this.reader.todMs());
    const after = this.reader.monoNs();
    return this.take(todMs * NS_PER_MS - after, (todMs + 1n) * NS_PER_MS - before, after, todMs);
  }

  /**
   * A reading at the instant Date.now() ticks over (it spins up to a millisecond or so): the new
   * millisecond began after the read before it started and before this read ended.
   */
  observeEdge(maxReads = 10_000_000): TodStep | null {
    let before = this.reader.monoNs();
    const startMs = this.reader.todMs();
    for (let reads = 0; reads < maxReads; reads++) {
      const a = this.reader.monoNs();
      const ms = this.reader.todMs();
      const b = this.reader.monoNs();
      if (ms !== startMs) {
        const edgeNs = BigInt(ms) * NS_PER_MS;
        return this.take(edgeNs - b, edgeNs - before, b, BigInt(ms));
      }
      before = a;
    }
    // The time of day did not move: an ordinary millisecond reading is all there is.
    return this.observe();
  }

  /** Intersects the window ToD − mono ∈ [low, high] of a reading taken at `after` with what is known. */
  private take(low: bigint, high: bigint, after: bigint, todMs: bigint): TodStep | null {
    if (this.lowNs === null || this.highNs === null || this.lastMonoNs === null) {
      this.set(low, high, after);
      return null;
    }
    const slack = BigInt(Math.ceil(Number(after - this.lastMonoNs) * this.driftPpm * 1e-6)) + 1n;
    const wideLow = this.lowNs - slack;
    const wideHigh = this.highNs + slack;
    if (high < wideLow || low > wideHigh) {
      const stepNs = Number((low + high) / 2n - (this.lowNs + this.highNs) / 2n);
      this.set(low, high, after);
      this.steps++;
      const step = { atMonoNs: after, todNs: todMs * NS_PER_MS, stepNs };
      this.options.onStep?.(step);
      return step;
    }
    this.set(low > wideLow ? low : wideLow, high < wideHigh ? high : wideHigh, after);
    return null;
  }

  /** System time at a monotonic instant, ns since the epoch (observe() must have run). */
  systemNsAt(monoNs: bigint): bigint {
    if (this.lowNs === null || this.highNs === null) this.observe();
    return monoNs + (this.lowNs! + this.highNs!) / 2n;
  }

  /** Half-width of the window: how well systemNsAt knows the system time, ns. */
  uncertaintyNs(): number {
    return this.lowNs === null || this.highNs === null ? 500_000 : Number(this.highNs - this.lowNs) / 2;
  }

  private set(low: bigint, high: bigint, monoNs: bigint): void {
    this.lowNs = low;
    this.highNs = high;
    this.lastMonoNs = monoNs;
  }
}
