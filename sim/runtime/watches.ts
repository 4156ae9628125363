// setWatch registry (espruino.md §1.2; jswrap_io.c): ids are array indices starting at 1, reused
// once the highest watch is gone; the pin check and the EXTI limits follow jshCanWatch.

import type { Pins } from "../../boards/types.ts";

export type EdgeFilter = -1 | 0 | 1;

export interface Watch {
  readonly id: number;
  readonly pinIndex: number;
  readonly pin: string;
  readonly callback: unknown;
  readonly edge: EdgeFilter;
  readonly repeat: boolean;
  /** Time (s) of the previous event processed for this watch, either edge; undefined before the first. */
  lastTimeS: number | undefined;
}

export type WatchRefusal = { level: "error" | "warning"; message: string };

const EMPTY: readonly Watch[] = [];

export class WatchRegistry {
  private watches: Watch[] = [];
  /** Per pin, the watches in id order; arrays are replaced, never mutated, so dispatch can iterate safely. */
  private byPin: (readonly Watch[])[] = [];

  constructor(private readonly pins: Pins) {}

  get all(): readonly Watch[] {
    return this.watches;
  }

  forPin(pinIndex: number): readonly Watch[] {
    return this.byPin[pinIndex] ?? EMPTY;
  }

  isPinWatched(pinIndex: number): boolean {
    return this.forPin(pinIndex).length > 0;
  }

  /** Why the pin cannot be watched (Espruino prints these instead of throwing), or undefined. */
  refusal(pin: string, pinIndex: number): WatchRefusal | undefined {
    const watchable = this.pins.watchable;
    if (watchable.length > 0 && !watchable.includes(pin)) return { level: "error", message: "Invalid pin" };
    if (this.isPinWatched(pinIndex)) return undefined;
    const watchedPins = new Set(this.watches.map((w) => w.pin));
    const clash =
      this.pins.extiRule.value === "pin-number" &&
      [...watchedPins].some((other) => pinNumber(other) !== undefined && pinNumber(other) === pinNumber(pin));
    if (clash || watchedPins.size >= this.pins.extiCount) {
      return {
        level: "warning",
        message:
          "Unable to set watch. You may already have a watch on a pin with the same number (eg. A0 and B0)",
      };
    }
    return undefined;
  }

  add(pin: string, pinIndex: number, callback: unknown, edge: EdgeFilter, repeat: boolean): Watch {
    const last = this.watches[this.watches.length - 1];
    const watch: Watch = {
      id: last === undefined ? 1 : last.id + 1,
      pinIndex,
      pin,
      callback,
      edge,
      repeat,
      lastTimeS: undefined,
    };
    this.watches.push(watch);
    this.reindex(pinIndex);
    return watch;
  }

  remove(id: number): Watch | undefined {
    const i = this.watches.findIndex((w) => w.id === id);
    if (i < 0) return undefined;
    const [removed] = this.watches.splice(i, 1);
    if (removed !== undefined) this.reindex(removed.pinIndex);
    return removed;
  }

  removeAll(): Watch[] {
    const removed = this.watches;
    this.watches = [];
    this.byPin = [];
    return removed;
  }

  private reindex(pinIndex: number): void {
    this.byPin[pinIndex] = this.watches.filter((w) => w.pinIndex === pinIndex);
  }
}

/** STM32 EXTI line of a pin name like "A0"/"B10": its trailing number. */
function pinNumber(pin: string): string | undefined {
  const m = /(\d+)$/.exec(pin);
  return m?.[1];
}
