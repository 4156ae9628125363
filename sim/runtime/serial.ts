// Serial devices (espruino.md §5): USB CDC, UARTs, Loopback A/B, and stream-like transports (BLE,
// stdio). Transmit timing: a UART sends 10 bits per byte at its baud rate, back to back; USB CDC is
// taken as ~1 MB/s. Espruino's transmit buffer is finite, so a write that outruns the wire blocks the
// main loop until the excess fits (jshTransmit busy-waits).

import type { Scheduler } from "../contracts.ts";

export type SerialKind = "usb" | "uart" | "loopback" | "stream";

export interface SerialSetup {
  baud: number;
  rx: string | null;
  tx: string | null;
}

export type TransmitListener = (data: string, trueTimeS: number) => void;

export const BITS_PER_UART_BYTE = 10;
export const USB_BYTE_TIME_S = 1e-6;
export const DEFAULT_BAUD = 9600;
/** TXBUFFERMASK+1 on boards with >= 20 KB RAM (reading of scripts/build_platform_config.py). */
export const TX_BUFFER_BYTES = 128;

export class SerialDevice {
  /** Firmware on('data') handlers (context functions). */
  dataListeners: unknown[] = [];
  readonly transmitListeners: TransmitListener[] = [];
  /** UARTs lose received data until set up; the others are always ready. */
  setup: SerialSetup | null = null;
  /** Data the host could not push yet because flow control held it back (USB CDC, stream). */
  heldRx = "";
  /** True time at which the transmitter has sent everything queued so far. */
  private txIdleAtS = -Infinity;
  private readonly pendingData: string[] = [];
  private readonly pendingDoneS: number[] = [];
  private pendingHead = 0;
  private readonly notifyBound = (): void => this.notify();

  constructor(
    readonly name: string,
    readonly index: number,
    readonly kind: SerialKind,
    private readonly scheduler: Scheduler,
    /** Baud of a stream transport without flow timing of its own, if known. */
    private readonly streamBaud: number | null,
  ) {}

  get isReady(): boolean {
    return this.kind !== "uart" || this.setup !== null;
  }

  /** Whether the sender is held back rather than dropped when the IO queue is nearly full. */
  get flowControlled(): boolean {
    return this.kind === "usb" || this.kind === "stream";
  }

  get byteTimeS(): number {
    switch (this.kind) {
      case "uart":
        return BITS_PER_UART_BYTE / (this.setup?.baud ?? DEFAULT_BAUD);
      case "stream":
        return this.streamBaud !== null ? BITS_PER_UART_BYTE / this.streamBaud : USB_BYTE_TIME_S;
      case "usb":
        return USB_BYTE_TIME_S;
      case "loopback":
        return 0;
    }
  }

  /**
   * Puts `data` on the wire no earlier than `startS`; listeners hear it once, at completion. Returns
   * the true time until which the writer is blocked waiting for transmit-buffer space.
   */
  transmit(data: string, startS: number): number {
    const byteTimeS = this.byteTimeS;
    const beginS = this.txIdleAtS > startS ? this.txIdleAtS : startS;
    const doneS = beginS + data.length * byteTimeS;
    this.txIdleAtS = doneS;
    if (this.transmitListeners.length > 0) {
      this.pendingData.push(data);
      this.pendingDoneS.push(doneS);
      this.scheduler.at(doneS, this.notifyBound);
    }
    const freeAtS = doneS - TX_BUFFER_BYTES * byteTimeS;
    return freeAtS > startS ? freeAtS : startS;
  }

  private notify(): void {
    const i = this.pendingHead++;
    const data = this.pendingData[i] as string;
    const doneS = this.pendingDoneS[i] as number;
    if (this.pendingHead > 256 && this.pendingHead * 2 > this.pendingData.length) {
      this.pendingData.splice(0, this.pendingHead);
      this.pendingDoneS.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
    for (const listener of this.transmitListeners) listener(data, doneS);
  }
}
