// The shape of one board profile (boards/<id>.json). boards/board.schema.json is the authority that
// validates the data; this type mirrors it for TypeScript callers. Every measured or quoted figure is a
// `Sourced<T>` so the reference can be rechecked.

export interface Sourced<T> {
  value: T;
  /** Where the figure comes from, e.g. "espruino.md §0 [E] boards/PICO_R1_3.py" or "(inference) …". */
  source: string;
}

export type TransportKind = "usb-cdc" | "uart" | "ble" | "wifi-udp" | "stdio";

export interface Transport {
  kind: TransportKind;
  /** Espruino device name, e.g. "USB", "Serial1", "Bluetooth". */
  device: string;
  /** Default baud for UARTs (USB CDC ignores baud). */
  baud?: number;
  notes?: string;
  source: string;
}

export type TimebaseKind =
  | "stm32-rtc-systick" // RTC (LSE or LSI) interpolated by SysTick
  | "nrf52-rtc" // RTC0 at 32768 Hz
  | "esp-us-timer" // µs system timer from the main crystal
  | "linux-gettimeofday";

export interface Timebase {
  kind: TimebaseKind;
  /** Smallest step of getTime() in seconds (e.g. 1/32768 on nRF52, 2^-20 on STM32, 1e-6 on ESP). */
  quantumS: Sourced<number>;
  /** Units of JsSysTime per second (2^20 on STM32/nRF52, 1e6 on ESP/Linux). */
  sysTicksPerS: number;
  /** Whether setTime() keeps the sub-second part ("exact"), drops it ("whole-seconds"), or does nothing. */
  setTime: Sourced<"exact" | "whole-seconds" | "no-op">;
  description: string;
}

export type OscillatorType = "tuning-fork-32k" | "at-cut" | "rc" | "host";

export interface Oscillator {
  /** What getTime()'s long-term rate follows, in words: "32.768 kHz LSE crystal", "internal LFRC", … */
  name: string;
  type: OscillatorType;
  nominalHz: number;
  /** Initial frequency tolerance at 25 °C, ± ppm. */
  tolerancePpm: Sourced<number>;
  /**
   * Temperature curve: parabolic (tuning fork) or cubic (AT-cut); coefficients in ppm. The cubic model is
   * a·ΔT + k·ΔT² + b·ΔT³ around `turnoverC` (the inflection point); RC oscillators use it with a large
   * linear term. With `rcCalibration` the curve is the raw drift that builds up between calibrations.
   */
  temperature: Sourced<
    | { model: "parabolic"; turnoverC: number; kPpmPerC2: number }
    | { model: "cubic"; turnoverC: number; aPpmPerC: number; bPpmPerC3: number; kPpmPerC2?: number }
    | { model: "none" }
  >;
  /** Aging, ± ppm per year. */
  agingPpmPerYear: Sourced<number>;
  /** Short-term noise: white-FM and random-walk-FM levels as Allan deviation at tau = 1 s. */
  noise: Sourced<{ whiteFmAdev1s: number; randomWalkFmAdev1s: number }>;
  /** RC oscillators only: recalibration period against the HF crystal and the size of each step. */
  rcCalibration?: Sourced<{ periodS: number; stepPpm: number }>;
}

export interface InterruptTiming {
  /** Typical latency from the pin edge to the timestamp, seconds. */
  latencyS: Sourced<number>;
  /** RMS jitter of that latency, seconds (including the timebase quantisation). */
  jitterRmsS: Sourced<number>;
  /** Rare worst-case latency (e.g. behind a SoftDevice radio event), seconds. */
  worstCaseLatencyS?: Sourced<number>;
}

export interface TemperatureSensor {
  /** NaN-returning boards have `present: false`. */
  present: boolean;
  /** False where a reading exists but cannot be trusted (ESP32). Absent means reliable when present. */
  reliable?: boolean;
  resolutionC: Sourced<number | null>;
  notes?: string;
}

export interface Uart {
  device: string; // "Serial1", "Serial2", …
  rx: string | null;
  tx: string | null;
  /** Any pin can be assigned (nRF52). */
  anyPin?: boolean;
  notes?: string;
  source: string;
}

export interface Pins {
  /** Pins that setWatch can watch. "*" entries are not used: list real pin names. */
  watchable: string[];
  /** STM32: pins that share an EXTI line cannot be watched together (A0 and B0 …). */
  extiRule: Sourced<"pin-number" | "none">;
  extiCount: number;
  /**
   * Pins Espruino itself may watch (e.g. USB VBUS sense in deep sleep); under the pin-number EXTI rule
   * the PPS pin must not share their number.
   */
  otherWatched?: Sourced<string[]>;
  /**
   * False when no PPS input exists at all (Bangle.js 2's built-in GPS has none): `defaultPps` is then a
   * placeholder that will see no pulses, and time comes from NMEA only. Absent means a PPS can be wired.
   */
  ppsAvailable?: Sourced<boolean>;
  /** Default wiring for a GPS module. */
  defaultPps: string;
  defaultGpsUart: string;
  defaultGpsRx: string | null;
  defaultGpsTx: string | null;
  /** I/O voltage; 5 V tolerant pins named. */
  ioVoltage: number;
  fiveVoltTolerant: string[];
  /** Where the pin names, default wiring, I/O voltage and 5 V tolerance come from. */
  source: string;
}

export interface BoardProfile {
  id: string;
  name: string;
  /** process.env.BOARD reported by Espruino. */
  espruinoBoard: string;
  /** clockMHz and ramKB 0: not fixed (Linux host). */
  mcu: { part: string; clockMHz: number; ramKB: number; source: string };
  jsVars: Sourced<number>; // 0 means resizable (Linux)
  bytesPerVar: Sourced<number>;
  storageBytes: Sourced<number>;
  /** IO queue (IOBUFFERMASK+1) in bytes; each watch event takes about 6 bytes. */
  ioQueueBytes: Sourced<number>;
  /** The board file's default console; `notes` says where it moves (USB, Bluetooth). */
  console: { device: string; baud: number | null; notes?: string; source: string };
  transports: Transport[];
  timebase: Timebase;
  interrupt: InterruptTiming;
  oscillator: Oscillator;
  temperature: TemperatureSensor;
  uarts: Uart[];
  pins: Pins;
  notes?: string[];
}
