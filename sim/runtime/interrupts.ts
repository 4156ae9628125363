// Pin edges → GPIO interrupts (espruino.md §1.2). Every watched pin interrupts on both edges. The
// handler runs after the board's interrupt latency plus jitter, reads the pin level at that moment
// and timestamps the event there. Interrupts are served one after another (never reordered), and an
// edge that arrives while its pin's interrupt is still pending only re-sets the pending flag (as
// STM32 EXTI / nRF52 GPIOTE pending bits do), so very short pulses merge or vanish as on hardware.

import type { PinInput, Rng, Scheduler } from "../contracts.ts";

export class PinTable {
  readonly names: string[] = [];
  private readonly byName = new Map<string, number>();

  indexOf(name: string): number {
    let i = this.byName.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.byName.set(name, i);
    }
    return i;
  }
}

export interface InterruptSink {
  /** The interrupt for `pinIndex` runs now; `level` is the pin level it reads. */
  onInterrupt(pinIndex: number, level: boolean, edgeTrueS: number): void;
  /** An edge whose interrupt merged into one already pending for the pin. */
  onMergedEdge(pinIndex: number, state: boolean, edgeTrueS: number): void;
}

export interface InterruptTimingS {
  latencyS: number;
  jitterRmsS: number;
}

/** Edge times may be up to this far behind `now` (float round-off in the caller's arithmetic). */
const PAST_TOLERANCE_S = 1e-9;

export class PinInterrupts implements PinInput {
  private readonly levels: boolean[] = [];
  private readonly enabled: boolean[] = [];
  private readonly pending: boolean[] = [];
  // FIFO of scheduled interrupts, served by one pre-bound action (no closure per edge).
  private fifoPin: number[] = [];
  private fifoEdgeS: number[] = [];
  private fifoHead = 0;
  private lastIrqTrueS = -Infinity;
  private readonly fireBound = (): void => this.fire();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly timing: InterruptTimingS,
    private readonly jitterRng: Rng,
    private readonly pins: PinTable,
    private readonly sink: InterruptSink,
  ) {}

  edge(pin: string, state: boolean, trueTimeS: number): void {
    if (typeof pin !== "string") throw new TypeError("pin must be a string");
    if (!Number.isFinite(trueTimeS)) throw new RangeError(`edge time must be finite, got ${trueTimeS}`);
    const now = this.scheduler.now;
    const pinIndex = this.pins.indexOf(pin);
    const level = state === true;
    if (trueTimeS > now) {
      this.scheduler.at(trueTimeS, () => this.arrive(pinIndex, level, trueTimeS));
      return;
    }
    if (trueTimeS < now - PAST_TOLERANCE_S) {
      throw new RangeError(`edge on ${pin} at ${trueTimeS} s is in the past (now ${now} s)`);
    }
    this.arrive(pinIndex, level, trueTimeS);
  }

  levelOf(pinIndex: number): boolean {
    return this.levels[pinIndex] === true;
  }

  /** EXTI on/off for a pin (on while at least one watch uses it). */
  setEnabled(pinIndex: number, on: boolean): void {
    this.enabled[pinIndex] = on;
  }

  private arrive(pinIndex: number, level: boolean, edgeTrueS: number): void {
    if ((this.levels[pinIndex] === true) === level) return; // no transition, no interrupt
    this.levels[pinIndex] = level;
    if (this.enabled[pinIndex] !== true) return;
    if (this.pending[pinIndex] === true) {
      this.sink.onMergedEdge(pinIndex, level, edgeTrueS);
      return;
    }
    this.pending[pinIndex] = true;
    let delayS = this.timing.latencyS;
    if (this.timing.jitterRmsS > 0) delayS += this.timing.jitterRmsS * this.jitterRng.normal();
    let irqTrueS = edgeTrueS + (delayS > 0 ? delayS : 0);
    if (irqTrueS < this.lastIrqTrueS) irqTrueS = this.lastIrqTrueS;
    this.lastIrqTrueS = irqTrueS;
    this.fifoPin.push(pinIndex);
    this.fifoEdgeS.push(edgeTrueS);
    this.scheduler.at(irqTrueS, this.fireBound);
  }

  private fire(): void {
    const i = this.fifoHead++;
    const pinIndex = this.fifoPin[i] as number;
    const edgeTrueS = this.fifoEdgeS[i] as number;
    if (this.fifoHead > 1024 && this.fifoHead * 2 > this.fifoPin.length) {
      this.fifoPin = this.fifoPin.slice(this.fifoHead);
      this.fifoEdgeS = this.fifoEdgeS.slice(this.fifoHead);
      this.fifoHead = 0;
    }
    this.pending[pinIndex] = false;
    if (this.enabled[pinIndex] !== true) return;
    this.sink.onInterrupt(pinIndex, this.levels[pinIndex] === true, edgeTrueS);
  }
}
