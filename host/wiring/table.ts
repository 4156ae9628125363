// The pin table of a wiring: one row per wire, module pin → board pin, with its signal and level.
import type { CheckedWiring } from "./load.ts";
import { moduleLogicVolts } from "./check.ts";
import type { ModulePin } from "./types.ts";

export type Signal = "PPS" | "GPS TX" | "GPS RX" | "VCC" | "GND";

export interface PinRow {
  signal: Signal;
  modulePin: string;
  boardPin: string;
  direction: "module → board" | "board → module" | "common";
  /** Volts of the high level on this wire (0 for ground). */
  volts: number;
  level: string;
}

export const SIGNAL_DESCRIPTIONS: Record<Signal, string> = {
  PPS: "time pulse, module → board (timestamped with setWatch)",
  "GPS TX": "NMEA data, module TX → board RX",
  "GPS RX": "commands, board TX → module RX",
  VCC: "power",
  GND: "ground",
};

export function pinRows(checked: Pick<CheckedWiring, "wiring" | "board" | "module">): PinRow[] {
  const { wiring, board, module } = checked;
  const { connections } = wiring;
  const pins = module.pins.value;
  const logic = moduleLogicVolts(module, wiring);
  const io = board.pins.ioVoltage;
  const uart = connections.uart;
  const intoBoard = (pin: string): string =>
    `${volts(logic)} into ${board.pins.fiveVoltTolerant.includes(pin) ? "a 5 V-tolerant" : `a ${volts(io)}`} pin`;
  const rows: PinRow[] = [
    {
      signal: "PPS",
      modulePin: pinLabel(pins.pps),
      boardPin: connections.pps.boardPin,
      direction: "module → board",
      volts: logic,
      level: intoBoard(connections.pps.boardPin),
    },
    {
      signal: "GPS TX",
      modulePin: pinLabel(pins.tx),
      boardPin: `${connections.moduleTxToBoardRx.boardPin} (${uart} RX)`,
      direction: "module → board",
      volts: logic,
      level: intoBoard(connections.moduleTxToBoardRx.boardPin),
    },
  ];
  if (connections.boardTxToModuleRx) {
    rows.push({
      signal: "GPS RX",
      modulePin: pinLabel(pins.rx),
      boardPin: `${connections.boardTxToModuleRx.boardPin} (${uart} TX)`,
      direction: "board → module",
      volts: io,
      level: `${volts(io)} into ${volts(logic)} logic`,
    });
  }
  const power = connections.power;
  const range = module.supplyVolts.value;
  rows.push(
    {
      signal: "VCC",
      modulePin: pinLabel(pins.vcc),
      boardPin: power.from === "board" ? power.boardPin : "external supply",
      direction: power.from === "board" ? "board → module" : "common",
      volts: power.volts,
      level: `${volts(power.volts)} (module takes ${range.min}–${range.max} V)`,
    },
    {
      signal: "GND",
      modulePin: pinLabel(pins.gnd),
      boardPin: connections.ground.boardPin,
      direction: "common",
      volts: 0,
      level: "0 V",
    },
  );
  return rows;
}

export function pinLabel(pin: ModulePin): string {
  return pin.number === undefined ? pin.name : `${pin.name} (pin ${pin.number})`;
}

function volts(value: number): string {
  return `${Math.round(value * 100) / 100} V`;
}
