// setTimeout/setInterval on the board's own clock (jswrap_interactive.c, jsinteractive.c): a timer
// is due when the raw tick counter reaches (ticks at creation + interval); an interval re-arms from
// its due time, not from when it ran, so it does not drift with main-loop latency. Timers run on raw
// ticks, so setTime() leaves them alone (Espruino shifts them by the same delta). Ids start at 1 and
// are reused once the highest timer is gone, as in Espruino's timer array.

import type { BoardTimebase } from "./timebase.ts";

export interface Timer {
  readonly id: number;
  readonly callback: unknown;
  readonly args: readonly unknown[];
  /** 0 for a timeout. */
  readonly intervalTicks: number;
  readonly isInterval: boolean;
  dueRawTicks: number;
  /** True time at which the counter reaches dueRawTicks (when the sleeping loop wakes for it). */
  wakeTrueS: number;
}

export class TimerRegistry {
  private readonly timers = new Map<number, Timer>();
  private maxId = 0;
  /** Cached earliest wake time; NaN when it must be recomputed. */
  private earliestWake = Infinity;

  constructor(private readonly timebase: BoardTimebase) {}

  get size(): number {
    return this.timers.size;
  }

  get all(): IterableIterator<Timer> {
    return this.timers.values();
  }

  get(id: number): Timer | undefined {
    return this.timers.get(id);
  }

  add(
    callback: unknown,
    ms: number,
    args: readonly unknown[],
    isInterval: boolean,
    nowRawTicks: number,
  ): number {
    const intervalTicks = this.timebase.millisecondsToTicks(Number.isNaN(ms) || ms < 0 ? 0 : ms);
    const id = this.maxId + 1;
    const dueRawTicks = nowRawTicks + intervalTicks;
    const timer: Timer = {
      id,
      callback,
      args,
      intervalTicks,
      isInterval,
      dueRawTicks,
      wakeTrueS: this.timebase.trueTimeOfRawTicks(dueRawTicks),
    };
    this.timers.set(id, timer);
    this.maxId = id;
    if (timer.wakeTrueS < this.earliestWake) this.earliestWake = timer.wakeTrueS;
    return id;
  }

  remove(id: number): boolean {
    if (!this.timers.delete(id)) return false;
    this.earliestWake = NaN;
    if (id === this.maxId) this.maxId = this.timers.size === 0 ? 0 : Math.max(...this.timers.keys());
    return true;
  }

  clear(): void {
    this.timers.clear();
    this.maxId = 0;
    this.earliestWake = Infinity;
  }

  /** After an interval ran: next due time is one interval after the previous due time. */
  rearm(timer: Timer): void {
    timer.dueRawTicks += timer.intervalTicks;
    timer.wakeTrueS = this.timebase.trueTimeOfRawTicks(timer.dueRawTicks);
    this.earliestWake = NaN;
  }

  isDue(timer: Timer, rawTicks: number, trueTimeS: number): boolean {
    // The wake time is the inverse of the clock; accepting it avoids a wake that float round-off
    // would otherwise leave one quantum short of due.
    return timer.dueRawTicks <= rawTicks || timer.wakeTrueS <= trueTimeS;
  }

  /** Ids of timers due at this instant, in id order (the order Espruino walks its timer array). */
  dueIds(rawTicks: number, trueTimeS: number): number[] {
    const ids: number[] = [];
    for (const t of this.timers.values()) if (this.isDue(t, rawTicks, trueTimeS)) ids.push(t.id);
    return ids.sort((a, b) => a - b);
  }

  earliestWakeTrueS(): number {
    if (Number.isNaN(this.earliestWake)) {
      let earliest = Infinity;
      for (const t of this.timers.values()) if (t.wakeTrueS < earliest) earliest = t.wakeTrueS;
      this.earliestWake = earliest;
    }
    return this.earliestWake;
  }
}
