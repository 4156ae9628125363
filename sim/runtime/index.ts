// The Espruino runtime emulation of the virtual lab.

export { VirtualBoard } from "./board.ts";
export type { BoardStats, MemoryEstimate, SerialPort, UncaughtError, VirtualBoardOptions } from "./types.ts";
export type { SerialSetup } from "./serial.ts";
