// Public option and result types of the Espruino runtime emulation.

import type { BoardProfile } from "../../boards/types.ts";
import type {
  BoardClock,
  DatagramNetwork,
  Rng,
  Scheduler,
  TemperatureProfile,
  TruthRecorder,
} from "../contracts.ts";
import type { SerialSetup } from "./serial.ts";

export interface VirtualBoardOptions {
  profile: BoardProfile;
  clock: BoardClock;
  scheduler: Scheduler;
  rng: Rng;
  temperature: TemperatureProfile;
  truth?: TruthRecorder;
  /** Needed for require("dgram"); without it the module does not exist (as on Puck.js since 2v25). */
  network?: DatagramNetwork;
  /** The board's network address (dgram source address). */
  address?: string;
  /** process.env.VERSION; default "2v29". */
  version?: string;
  /** Main-loop time each JavaScript callback occupies, seconds (> 0); default 100 µs. */
  taskCostS?: number;
  /** Initial Storage contents (name → 8-bit string). */
  storage?: Record<string, string>;
  /** Label for ground-truth records and the vm context; default address or profile id. */
  name?: string;
}

export interface SerialPort {
  readonly device: string;
  /** Bytes reach the board's receiver at `trueTimeS` (already paced by the link model). */
  receive(data: string, trueTimeS: number): void;
  /** Called once per firmware write, at the true time its last byte is on the wire. */
  onTransmit(listener: (data: string, trueTimeS: number) => void): void;
  /** The firmware's setup() of this port (UARTs), or null while it is not set up. */
  readonly setup: SerialSetup | null;
}

export interface UncaughtError {
  trueTimeS: number;
  /** The console line Espruino prints, e.g. "Uncaught ReferenceError: Map is not defined". */
  text: string;
  value: unknown;
}

export interface MemoryEstimate {
  /** JsVar blocks in use (estimate). */
  usage: number;
  total: number;
  free: number;
  /** Bytes per block. */
  blocksize: number;
  /** Blocks per root (firmware global name, "watch#1", "timer#2", "USB.on('data')", …). */
  byRoot: Record<string, number>;
}

export interface BoardStats {
  interrupts: number;
  /** Edges whose interrupt merged into a pending one for the same pin. */
  interruptsMerged: number;
  /** Watch events lost because the IO queue was full. */
  watchEventsDropped: number;
  /** Received bytes lost: IO queue full, or a UART that was not set up. */
  rxBytesDropped: number;
  /** Bytes received on the console device (the REPL's input). */
  replInputBytes: number;
  /** Bytes delivered to a device without on('data') handlers. */
  rxBytesUnhandled: number;
  /** Bytes written to a UART that was not set up. */
  txBytesDiscarded: number;
  tasksRun: number;
}
