// The Espruino API subset that timenode firmware may use (see ../shared/reference/espruino.md).
// Firmware type-checks against lib ES5 plus this file only, so built-ins that Espruino lacks
// (Map, Set, Symbol, Number.isInteger, Math.trunc, …) are type errors.

/** Board constants inlined by `timenode build`, one literal per field (firmware/src/board-constants.ts). */
declare const TN_BOARD: import("./board-constants.ts").BoardConstants;

/** The serial device that talks to the host, and the one the GPS is wired to (identifiers inlined by the build). */
declare const TN_HOST_DEVICE: EspruinoSerial;
declare const TN_GPS_SERIAL: EspruinoSerial;

interface WatchEvent {
  state: boolean;
  /** Seconds, taken in the interrupt. */
  time: number;
  /** Time of the previous change of state (for a rising watch: the falling edge). */
  lastTime: number;
  pin: string;
}

interface WatchOptions {
  repeat?: boolean;
  edge?: "rising" | "falling" | "both";
  debounce?: number;
  hispeed?: boolean;
}

interface SerialSetupOptions {
  rx?: string;
  tx?: string;
  flow?: "none" | "xon";
}

interface EspruinoSerial {
  setup(baud: number, options?: SerialSetupOptions): void;
  on(event: "data", handler: (data: string) => void): void;
  removeAllListeners(event?: string): void;
  write(data: string): void;
  print(data: string): void;
  setConsole(force?: boolean): void;
}

interface EspruinoMemory {
  free: number;
  usage: number;
  total: number;
  history: number;
  gc: number;
  gctime: number;
  blocksize: number;
}

interface EspruinoStorage {
  write(name: string, data: string, offset?: number, size?: number): boolean;
  read(name: string, offset?: number, length?: number): string | undefined;
  erase(name: string): void;
  list(pattern?: RegExp): string[];
  getFree(): number;
}

interface DgramRemoteInfo {
  address: string;
  port: number;
  size: number;
}

interface DgramSocket {
  bind(port: number, callback?: () => void): DgramSocket;
  on(event: "message", handler: (msg: string, rinfo: DgramRemoteInfo) => void): void;
  on(event: "close", handler: () => void): void;
  send(msg: string, port: number, address: string): void;
  close(): void;
}

interface Dgram {
  createSocket(type: "udp4" | { type: "udp4"; reuseAddr?: boolean; recvBufferSize?: number }): DgramSocket;
}

declare function require(module: "Storage"): EspruinoStorage;
declare function require(module: "dgram"): Dgram;
/** Only on Espruino builds with the crypto library; require() throws elsewhere. */
declare function require(module: "crypto"): { SHA256(data: string): ArrayBuffer };

declare function getTime(): number;
/** The chip's unique serial number (an MCU id or, on ESP boards, the MAC address). */
declare function getSerial(): string;
declare function setTime(seconds: number): void;
declare function setWatch(handler: (e: WatchEvent) => void, pin: string, options?: WatchOptions): number;
declare function clearWatch(id?: number): void;
declare function setTimeout(handler: () => void, ms: number): number;
declare function setInterval(handler: () => void, ms: number): number;
declare function clearTimeout(id: number): void;
declare function clearInterval(id: number): void;
declare function print(text: string): void;
declare function load(file?: string): void;
declare function reset(clearFlash?: boolean): void;

declare const USB: EspruinoSerial;
declare const Serial1: EspruinoSerial;
declare const Serial2: EspruinoSerial;
declare const LoopbackA: EspruinoSerial;
declare const LoopbackB: EspruinoSerial;

declare const E: {
  getTemperature(): number;
  CRC32(data: string): number;
  /** The bytes of an ArrayBuffer (or the characters of strings) as one 8-bit string. */
  toString(data: ArrayBuffer): string;
  getErrorFlags(): string[];
  on(event: "init", handler: () => void): void;
  setConsole(device: string | null, options?: { force?: boolean }): void;
};

declare const process: {
  env: { BOARD: string; VERSION: string; [key: string]: string | undefined };
  memory(gc?: boolean): EspruinoMemory;
};

declare const console: { log(...args: unknown[]): void };

// ES2015 members that Espruino implements (lib ES5 leaves them out).
interface String {
  startsWith(search: string, position?: number): boolean;
  endsWith(search: string, length?: number): boolean;
  includes(search: string, position?: number): boolean;
  repeat(count: number): string;
  padStart(length: number, fill?: string): string;
  padEnd(length: number, fill?: string): string;
}

interface Array<T> {
  fill(value: T, start?: number, end?: number): T[];
  find(predicate: (value: T, index: number) => boolean): T | undefined;
  findIndex(predicate: (value: T, index: number) => boolean): number;
  includes(search: T): boolean;
}
