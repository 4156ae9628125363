// The board's single system clock (espruino.md §1.1): getTime(), setTime(), watch timestamps and
// timers all read it. Time is kept in integer JsSysTime ticks (profile.timebase.sysTicksPerS), and
// the oscillator-driven count advances in steps of the timebase quantum (e.g. 32 ticks = 1/32768 s on
// nRF52, where RTC0 drives a 2^20-tick JsSysTime).

import type { Timebase } from "../../boards/types.ts";
import type { BoardClock } from "../contracts.ts";

const TWO_POW_32 = 4294967296;

export class BoardTimebase {
  readonly ticksPerS: number;
  /** Ticks per step of the underlying counter (>= 1). */
  readonly quantumTicks: number;
  readonly setTimeKind: "exact" | "whole-seconds" | "no-op";
  private readonly stepsPerS: number;
  /** What setTime() added to the counter, in ticks. Survives reboots: the RTC keeps running. */
  private offsetTicks = 0;

  constructor(
    private readonly clock: BoardClock,
    timebase: Timebase,
  ) {
    if (!(timebase.sysTicksPerS > 0)) throw new RangeError("timebase.sysTicksPerS must be > 0");
    if (!(timebase.quantumS.value > 0)) throw new RangeError("timebase.quantumS must be > 0");
    this.ticksPerS = timebase.sysTicksPerS;
    this.quantumTicks = Math.max(1, Math.round(timebase.quantumS.value * this.ticksPerS));
    this.stepsPerS = this.ticksPerS / this.quantumTicks;
    this.setTimeKind = timebase.setTime.value;
  }

  /** Counter ticks without the setTime() offset: timers run on these (Espruino shifts timers on setTime). */
  rawTicksAt(trueTimeS: number): number {
    return Math.floor(this.clock.localAt(trueTimeS) * this.stepsPerS) * this.quantumTicks;
  }

  /** jshGetSystemTime() at a true time. */
  ticksAt(trueTimeS: number): number {
    return this.rawTicksAt(trueTimeS) + this.offsetTicks;
  }

  /** getTime() at a true time: quantised local time plus the setTime() offset, seconds. */
  secondsAt(trueTimeS: number): number {
    return this.ticksAt(trueTimeS) / this.ticksPerS;
  }

  /** The earliest true time at which the raw counter has reached `rawTicks`. */
  trueTimeOfRawTicks(rawTicks: number): number {
    return this.clock.trueAt(Math.ceil(rawTicks / this.quantumTicks) / this.stepsPerS);
  }

  millisecondsToTicks(ms: number): number {
    return Math.floor((ms * this.ticksPerS) / 1000);
  }

  /**
   * setTime(seconds) as the target implements it (espruino.md §1.1): "exact" (nRF52, ESP) moves the
   * base so the clock reads `seconds` now; "whole-seconds" (STM32 RTC) sets only the whole seconds, so
   * the fraction keeps following the prescaler's phase; "no-op" (Linux) does nothing.
   */
  setTime(seconds: number, trueTimeS: number): void {
    if (!Number.isFinite(seconds) || this.setTimeKind === "no-op") return;
    const nowTicks = this.ticksAt(trueTimeS);
    let targetTicks: number;
    if (this.setTimeKind === "exact") {
      targetTicks = Math.floor(seconds * this.ticksPerS);
    } else {
      const fractionTicks = nowTicks - Math.floor(nowTicks / this.ticksPerS) * this.ticksPerS;
      targetTicks = Math.floor(seconds) * this.ticksPerS + fractionTicks;
    }
    this.offsetTicks += targetTicks - nowTicks;
  }

  /** The low 32 bits the interrupt stores in the IO queue (espruino.md §1.2). */
  static low32(ticks: number): number {
    const r = ticks % TWO_POW_32;
    return r < 0 ? r + TWO_POW_32 : r;
  }

  /**
   * jsiIdle's reconstruction of an event time from its low 32 bits: take the high bits of the current
   * time, stepping back one wrap if the current low bits are below the event's. Correct only if the
   * event is less than 2^32 ticks old and no setTime() happened since it was queued.
   */
  static rebuild(eventLow32: number, nowTicks: number): number {
    const nowLow = BoardTimebase.low32(nowTicks);
    let base = nowTicks - nowLow;
    if (nowLow < eventLow32) base -= TWO_POW_32;
    return base + eventLow32;
  }
}
