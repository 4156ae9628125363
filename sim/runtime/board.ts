// VirtualBoard: an emulated Espruino running a firmware bundle in virtual time, for the lab.

import type { BoardProfile } from "../../boards/types.ts";
import type { PinInput } from "../contracts.ts";
import { BoardKernel } from "./kernel.ts";
import type { Repl } from "./repl.ts";
import type { BoardStats, MemoryEstimate, SerialPort, UncaughtError, VirtualBoardOptions } from "./types.ts";

export class VirtualBoard {
  private readonly k: BoardKernel;
  private readonly ports = new Map<string, SerialPort>();

  constructor(options: VirtualBoardOptions) {
    this.k = new BoardKernel(options);
  }

  get profile(): BoardProfile {
    return this.k.profile;
  }

  /** Pin edges from the outside world (GPS PPS, test signals). */
  get pins(): PinInput {
    return this.k.interrupts;
  }

  /** Writes a whole file into Storage (as an upload to flash does); throws when it does not fit. */
  writeFile(name: string, code: string): void {
    if (!this.k.storage.write(name, code)) throw new RangeError(`Storage refused ${JSON.stringify(name)}`);
  }

  readFile(name: string): string | undefined {
    return this.k.storage.read(name);
  }

  /** Power-on / load(): a fresh interpreter runs the boot files (.bootcde …), then E.on('init') and onInit(). */
  boot(): void {
    this.k.hostTask(() => this.k.startInterpreter({ bootFiles: true }));
  }

  /** A hardware reset: same as boot(). Storage and the clock's setTime() offset survive. */
  reboot(): void {
    this.boot();
  }

  /**
   * Executes a script in the running interpreter, like a RAM upload (function text then lives in RAM).
   * Starts an empty interpreter first if the board was never booted. An exception stops the rest of
   * the script (a RAM upload would carry on with the next statement).
   */
  run(code: string, filename = "upload.js"): void {
    this.k.hostTask(() => {
      if (this.k.realm === null) this.k.startInterpreter({ bootFiles: false });
      this.k.runScript(code, filename);
    });
  }

  serial(device: string): SerialPort {
    let port = this.ports.get(device);
    if (port === undefined) {
      const k = this.k;
      const dev = k.serial.device(device);
      port = {
        device,
        receive: (data, trueTimeS) => k.serial.receive(dev, data, trueTimeS),
        onTransmit: (listener) => {
          dev.transmitListeners.push(listener);
        },
        get setup() {
          return dev.setup === null ? null : { ...dev.setup };
        },
      };
      this.ports.set(device, port);
    }
    return port;
  }

  /**
   * A USB (or Bluetooth) host connects to `device`: the console moves there unless it is forced
   * elsewhere, and stays there across reset() and load() while connected.
   */
  connectHost(device: string): void {
    this.k.console.connectedDevice = device;
    if (!this.k.console.forced) this.k.hostTask(() => this.k.moveConsole(device, false));
  }

  /** The host goes away: a console on that link falls back to the board's default device. */
  disconnectHost(): void {
    const device = this.k.console.connectedDevice;
    this.k.console.connectedDevice = null;
    if (device !== null && this.k.console.device === device && !this.k.console.forced)
      this.k.hostTask(() => this.k.moveConsole(this.k.profile.console.device, false));
  }

  /** What the REPL has done: lines run, packets answered. */
  get replCounters(): Readonly<Repl["counters"]> {
    return this.k.repl.counters;
  }

  /** Keeps the main loop busy for `durationS` from now (interrupts still queue events). */
  stall(durationS: number): void {
    if (!(durationS >= 0)) throw new RangeError("stall duration must be >= 0");
    this.k.loop.stall(durationS);
  }

  /** The error flags currently set (E.getErrorFlags() would return and clear them). */
  get errorFlags(): readonly string[] {
    return this.k.errors.current();
  }

  get uncaughtErrors(): readonly UncaughtError[] {
    return this.k.uncaught;
  }

  memoryEstimate(): MemoryEstimate {
    return this.k.memoryEstimate();
  }

  /** What getSerial() answers on this board. */
  get serialNumber(): string {
    return this.k.serialNumber;
  }

  get stats(): Readonly<BoardStats> {
    return this.k.stats;
  }

  /** What getTime() returns at the current true time. */
  getTimeS(): number {
    return this.k.timebase.secondsAt(this.k.scheduler.now);
  }

  /** Reads a firmware global (e.g. a top-level var) without running code; undefined before boot. */
  global(name: string): unknown {
    return this.k.realm?.global[name];
  }

  /** The console device now ("null" when output is discarded). */
  get consoleDevice(): string {
    return this.k.console.device;
  }
}
