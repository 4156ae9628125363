// The shapes of wiring/<board>/<module>.json and wiring/modules/<id>.json. The JSON Schemas in wiring/
// are the authority; these types mirror them for TypeScript callers.
import type { Sourced } from "../../boards/index.ts";

export interface ModulePin {
  name: string;
  number?: number;
}

export interface GpsModule {
  id: string;
  name: string;
  datasheet: string;
  supplyVolts: Sourced<{ min: number; max: number }>;
  /** "supply": the I/O runs from VCC, so its high level is the supply voltage. */
  logicVolts: Sourced<"supply" | number>;
  pps: {
    /** The edge that marks the top of the second. */
    polarity: Sourced<"rising" | "falling">;
    pulseWidthS: Sourced<number | null>;
  };
  defaultBaud: Sourced<number>;
  pins: Sourced<{ tx: ModulePin; rx: ModulePin; pps: ModulePin; vcc: ModulePin; gnd: ModulePin }>;
  notes?: string[];
}

export interface BoardPinEnd {
  boardPin: string;
}

export type PowerSupply =
  | { from: "board"; boardPin: string; volts: number; source: string }
  | { from: "external"; volts: number; description: string };

export interface Wiring {
  board: string;
  /** A module id from wiring/modules/, or a module file relative to the wiring file. */
  module: string;
  /** The GPS UART's baud when the module was reconfigured; default the module's. */
  baud?: number;
  connections: {
    uart: string;
    pps: BoardPinEnd;
    moduleTxToBoardRx: BoardPinEnd;
    boardTxToModuleRx?: BoardPinEnd;
    power: PowerSupply;
    ground: { boardPin: string };
  };
  notes?: string[];
}

/** One thing wrong with a wiring or module file: where, what was found, what was expected, how to fix it. */
export interface WiringProblem {
  severity: "error" | "warning";
  /** The file the path points into (as the user named it, or relative to the working directory). */
  file: string;
  /** JSON pointer into that file; "" for the whole document. */
  path: string;
  value: unknown;
  expected: string;
  fix: string;
}
