// The phases of one main-loop turn (src/jsinteractive.c jsiIdle), each handing out one unit of work
// at a time so that every JavaScript callback runs at its own virtual time.

import type { TurnSource } from "./eventLoop.ts";
import { WATCH_KIND } from "./ioQueue.ts";
import type { BoardKernel } from "./kernel.ts";
import { BoardTimebase } from "./timebase.ts";

/**
 * IO events queued when the turn began (events arriving meanwhile wait for the next turn, so a flood
 * cannot starve timers). Consecutive character events of one device become one 'data' chunk.
 */
export class IoSource implements TurnSource {
  private budget = 0;

  constructor(private readonly k: BoardKernel) {}

  begin(): void {
    this.budget = this.k.ioQueue.eventCount;
  }

  pending(): boolean {
    return this.k.ioQueue.eventCount > 0;
  }

  moreInTurn(begun: boolean): boolean {
    return this.k.ioQueue.eventCount > 0 && (!begun || this.budget > 0);
  }

  next(): boolean {
    if (this.budget <= 0) return false;
    const k = this.k;
    const q = k.ioQueue;
    const kind = q.peekKind();
    if (kind === undefined) return false;
    if (kind === WATCH_KIND) {
      q.popWatch();
      this.budget--;
      this.dispatchWatch(q.poppedPinIndex, q.poppedState, q.poppedLow32);
    } else {
      const text = q.takeCharRun();
      this.budget -= q.takenEvents;
      this.dispatchChars(kind, text);
    }
    k.serial.admitAllHeld();
    return true;
  }

  /**
   * The time is rebuilt from the stored low 32 bits against the current time's high bits, so the
   * callback sees the interrupt's time however late it runs (unless setTime() ran in between). The
   * edge filter applies here, not in the interrupt; lastTime follows every event of the pin.
   */
  private dispatchWatch(pinIndex: number, state: boolean, low32: number): void {
    const k = this.k;
    const watches = k.watches.forPin(pinIndex);
    if (watches.length === 0) return;
    const realm = k.requireRealm();
    const timeS = BoardTimebase.rebuild(low32, k.timebase.ticksAt(k.taskTrueS)) / k.timebase.ticksPerS;
    for (const w of watches) {
      if (w.edge === 0 || (state ? w.edge > 0 : w.edge < 0)) {
        const event = realm.newObject();
        event["state"] = state;
        event["time"] = timeS;
        event["lastTime"] = w.lastTimeS;
        event["pin"] = w.pin;
        k.invoke(w.callback, undefined, [event]);
        if (!w.repeat) k.removeWatch(w.id);
      }
      w.lastTimeS = timeS;
    }
  }

  /** While a device is the console its data goes to the REPL, never to on('data') (espruino.md §5). */
  private dispatchChars(deviceIndex: number, text: string): void {
    const k = this.k;
    const dev = k.serial.list[deviceIndex];
    if (dev === undefined) return;
    if (dev.name === k.console.device) {
      k.replInput(text);
      return;
    }
    if (dev.dataListeners.length === 0) {
      k.stats.rxBytesUnhandled += text.length;
      return;
    }
    const thisArg = k.serial.handles.get(dev.name);
    for (const fn of dev.dataListeners.slice()) k.invoke(fn, thisArg, [text]);
  }
}

/**
 * Timers due when the phase begins, in id order, each at most once per turn (an overdue interval
 * catches up one run per turn). A timeout is removed, and an interval re-armed, after its callback.
 */
export class TimerSource implements TurnSource {
  private due: number[] = [];
  private pos = 0;

  constructor(private readonly k: BoardKernel) {}

  begin(): void {
    const k = this.k;
    this.pos = 0;
    this.due = k.timers.size === 0 ? [] : k.timers.dueIds(k.timebase.rawTicksAt(k.taskTrueS), k.taskTrueS);
  }

  /** By wake time, which is the clock's inverse of the due tick (no clock query needed). */
  pending(): boolean {
    return this.k.timers.earliestWakeTrueS() <= this.k.scheduler.now;
  }

  moreInTurn(begun: boolean, atS: number): boolean {
    return begun ? this.pos < this.due.length : this.k.timers.earliestWakeTrueS() <= atS;
  }

  next(): boolean {
    const k = this.k;
    while (this.pos < this.due.length) {
      const timer = k.timers.get(this.due[this.pos++] as number);
      if (timer === undefined) continue;
      k.invoke(timer.callback, undefined, timer.args);
      if (k.timers.get(timer.id) === timer) {
        if (timer.isInterval) k.timers.rearm(timer);
        else k.timers.remove(timer.id);
      }
      return true;
    }
    return false;
  }
}

/** Datagrams received since the turn began (sockets are polled in the idle loop, espruino.md §6). */
export class NetSource implements TurnSource {
  private budget = 0;

  constructor(private readonly k: BoardKernel) {}

  begin(): void {
    this.budget = this.k.netQueue.length;
  }

  pending(): boolean {
    return this.k.netQueue.length > 0;
  }

  moreInTurn(begun: boolean): boolean {
    return this.k.netQueue.length > 0 && (!begun || this.budget > 0);
  }

  next(): boolean {
    const k = this.k;
    if (this.budget <= 0) return false;
    const d = k.netQueue.shift();
    if (d === undefined) return false;
    this.budget--;
    const realm = k.requireRealm();
    const rinfo = realm.newObject();
    rinfo["address"] = d.fromAddress;
    rinfo["port"] = d.fromPort;
    rinfo["size"] = d.message.length;
    for (const fn of d.socket.messageListeners.slice()) k.invoke(fn, d.socket.handle, [d.message, rinfo]);
    return true;
  }
}

/** Events queued by the API (bind callbacks, 'close' events): jsiExecuteEvents. */
export class QueuedSource implements TurnSource {
  private budget = 0;

  constructor(private readonly k: BoardKernel) {}

  begin(): void {
    this.budget = this.k.queued.length;
  }

  pending(): boolean {
    return this.k.queued.length > 0;
  }

  moreInTurn(begun: boolean): boolean {
    return this.k.queued.length > 0 && (!begun || this.budget > 0);
  }

  next(): boolean {
    if (this.budget <= 0) return false;
    const call = this.k.queued.shift();
    if (call === undefined) return false;
    this.budget--;
    this.k.invoke(call.fn, call.thisArg, call.args);
    return true;
  }
}

/** A load() or reset() requested by firmware runs once the code that asked for it has stopped. */
export class TodoSource implements TurnSource {
  constructor(private readonly k: BoardKernel) {}

  begin(): void {}

  pending(): boolean {
    return this.k.todo !== null;
  }

  moreInTurn(): boolean {
    return this.k.todo !== null;
  }

  next(): boolean {
    if (this.k.todo === null) return false;
    this.k.performTodo();
    return true;
  }
}
