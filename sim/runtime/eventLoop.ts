// Espruino's main loop in virtual time (src/jsinteractive.c jsiLoop/jsiIdle). One turn handles, in
// order: the IO events that were queued when the turn began (watches, serial chunks), the timers due
// at that point, network sockets, queued events, pending load()/reset(); then it reports new error
// flags and returns the console prompt. Each JavaScript callback is a task that occupies the loop for
// the board's task cost; the loop is one scheduler event per task, so a busy loop delays callbacks
// (but not the interrupt timestamps). While idle the loop sleeps until new work or the next timer.

import type { EventHandle, Scheduler } from "../contracts.ts";

/** One phase of a turn. */
export interface TurnSource {
  /** The turn reached this phase. */
  begin(): void;
  /** Handles one unit of work; false when the phase has nothing (more) to do in this turn. */
  next(): boolean;
  /** Work waiting that would need a turn now. */
  pending(): boolean;
  /** Whether this phase still has work in the current turn at `atS` (`begun`: the phase has started). */
  moreInTurn(begun: boolean, atS: number): boolean;
}

export interface LoopHost {
  /** Count of JavaScript tasks run so far (a change means the loop is now busy until taskTrueS). */
  readonly tasksRun: number;
  /** Virtual time inside the current step (advances with each task). */
  readonly taskTrueS: number;
  beginStep(trueTimeS: number): void;
  /** Turn epilogue (error report, prompt); may run JavaScript. */
  endTurn(): void;
  /** True time of the earliest timer, Infinity if none. */
  nextTimerWakeS(): number;
}

const NO_HANDLE = -1;
const IDLE = -1;

export class EventLoop {
  private phase = IDLE;
  private inStep = false;
  private busyUntil = -Infinity;
  // The next loop step (new work or a continuation) and, separately, the sleeping loop's timer wake-up,
  // so new work does not have to cancel and re-arm the wake-up each time.
  private stepHandle: EventHandle = NO_HANDLE;
  private stepAtS = Infinity;
  private wakeHandle: EventHandle = NO_HANDLE;
  private wakeAtS = Infinity;
  private readonly stepBound = (): void => this.step();
  private readonly wakeBound = (): void => {
    this.wakeHandle = NO_HANDLE;
    this.wakeAtS = Infinity;
    this.request();
  };

  constructor(
    private readonly scheduler: Scheduler,
    private readonly sources: readonly TurnSource[],
    private readonly host: LoopHost,
  ) {}

  /** True time until which the main loop is busy. */
  get busyUntilS(): number {
    return this.busyUntil;
  }

  /** New work may need the loop no later than `atS` (default: now). */
  request(atS = this.scheduler.now): void {
    if (this.inStep || this.phase !== IDLE) return; // the running step or its continuation will see it
    this.scheduleStep(atS);
  }

  /** The timers changed while the loop sleeps: re-arm its wake-up. */
  timersChanged(): void {
    if (this.inStep || this.phase !== IDLE) return; // re-armed when the turn ends
    this.armWake();
  }

  /** Keeps the main loop busy for `durationS` more (a long-running task, for tests). */
  stall(durationS: number): void {
    this.occupyUntil(Math.max(this.busyUntil, this.scheduler.now) + durationS);
  }

  /** Marks the loop busy until `trueTimeS` (a task run from outside the loop, e.g. boot). */
  occupyUntil(trueTimeS: number): void {
    if (trueTimeS <= this.busyUntil) return;
    this.busyUntil = trueTimeS;
    if (this.stepHandle !== NO_HANDLE && this.stepAtS < trueTimeS) {
      this.scheduler.cancel(this.stepHandle);
      this.stepHandle = NO_HANDLE;
      this.stepAtS = Infinity;
      this.scheduleStep(trueTimeS);
    }
  }

  /** Abandons the current turn (reboot); the next step starts afresh. */
  reset(): void {
    this.phase = IDLE;
  }

  private scheduleStep(atS: number): void {
    const now = this.scheduler.now;
    let t = atS > now ? atS : now;
    if (this.busyUntil > t) t = this.busyUntil;
    if (this.stepHandle !== NO_HANDLE) {
      if (this.stepAtS <= t) return;
      this.scheduler.cancel(this.stepHandle);
    }
    this.stepAtS = t;
    this.stepHandle = this.scheduler.at(t, this.stepBound);
  }

  private armWake(): void {
    let t = this.host.nextTimerWakeS();
    if (t !== Infinity && this.busyUntil > t) t = this.busyUntil;
    if (t === this.wakeAtS) return;
    if (this.wakeHandle !== NO_HANDLE) this.scheduler.cancel(this.wakeHandle);
    this.wakeAtS = t;
    this.wakeHandle = t === Infinity ? NO_HANDLE : this.scheduler.at(t, this.wakeBound);
  }

  private step(): void {
    this.stepHandle = NO_HANDLE;
    this.stepAtS = Infinity;
    this.inStep = true;
    try {
      this.runStep();
    } finally {
      this.inStep = false;
    }
  }

  private anyPending(): boolean {
    const sources = this.sources;
    for (let i = 0; i < sources.length; i++) if ((sources[i] as TurnSource).pending()) return true;
    return false;
  }

  private runStep(): void {
    const host = this.host;
    host.beginStep(this.scheduler.now);
    const sources = this.sources;
    for (let guard = 0; ; guard++) {
      if (guard > 1_000_000)
        throw new Error("event loop made no progress (a source reports work it never does)");
      if (this.phase === IDLE) {
        if (!this.anyPending()) {
          this.armWake();
          return;
        }
        this.phase = 0;
        (sources[0] as TurnSource).begin();
      }
      const before = host.tasksRun;
      const didWork = (sources[this.phase] as TurnSource).next();
      if (host.tasksRun !== before) {
        this.afterTask();
        return;
      }
      if (this.phase === IDLE || didWork) continue; // (IDLE: the unit rebooted the interpreter)
      this.phase++;
      if (this.phase < sources.length) {
        (sources[this.phase] as TurnSource).begin();
        continue;
      }
      this.phase = IDLE;
      host.endTurn();
      if (host.tasksRun !== before) {
        this.continueAt(host.taskTrueS);
        return;
      }
    }
  }

  /**
   * After a task: continue the turn when the task ends, or, if the rest of the turn has nothing to do
   * then, finish it right away with the task's end time (saves a scheduler event per task; work that
   * arrives meanwhile starts a new turn at the same moment the continuation would have run).
   */
  private afterTask(): void {
    const host = this.host;
    const endS = host.taskTrueS;
    const sources = this.sources;
    if (this.phase !== IDLE) {
      for (let i = this.phase; i < sources.length; i++) {
        if ((sources[i] as TurnSource).moreInTurn(i === this.phase, endS)) {
          this.continueAt(endS);
          return;
        }
      }
      this.phase = IDLE;
    }
    const before = host.tasksRun;
    host.endTurn();
    if (host.tasksRun !== before) {
      this.continueAt(host.taskTrueS);
      return;
    }
    if (host.taskTrueS > this.busyUntil) this.busyUntil = host.taskTrueS;
    if (this.anyPending()) this.scheduleStep(this.busyUntil);
    else this.armWake();
  }

  private continueAt(trueTimeS: number): void {
    if (trueTimeS > this.busyUntil) this.busyUntil = trueTimeS;
    this.scheduleStep(this.busyUntil);
  }
}
