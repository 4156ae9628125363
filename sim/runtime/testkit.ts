// Tiny stand-ins for the runtime's tests (the real physical models live in sim/models): a clock with a
// fixed rate, a seeded generator, a constant temperature, a board profile, a truth log and a lossless
// datagram network. Test support only.

import type { BoardProfile } from "../../boards/types.ts";
import type {
  BoardClock,
  DatagramNetwork,
  DatagramPeer,
  Rng,
  Scheduler,
  TemperatureProfile,
  TruthRecorder,
} from "../contracts.ts";
import { EventScheduler } from "../scheduler.ts";
import { VirtualBoard } from "./board.ts";
import type { VirtualBoardOptions } from "./types.ts";

/** local = startLocalS + (1 + fractionalFrequency) · trueTimeS */
export class FixedRateClock implements BoardClock {
  constructor(
    readonly fractionalFrequency = 0,
    readonly startLocalS = 0,
  ) {}
  localAt(trueTimeS: number): number {
    return this.startLocalS + (1 + this.fractionalFrequency) * trueTimeS;
  }
  trueAt(localS: number): number {
    return (localS - this.startLocalS) / (1 + this.fractionalFrequency);
  }
  fractionalFrequencyAt(): number {
    return this.fractionalFrequency;
  }
}

/** mulberry32 with Box-Muller normals; fork() hashes the label into a new seed. */
export class SeededRng implements Rng {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    const u = 1 - this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.uniform() * (max - min + 1));
  }
  fork(label: string): Rng {
    let h = this.seed ^ 0x9e3779b9;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    return new SeededRng(h >>> 0);
  }
}

export const constantTemperature = (c: number): TemperatureProfile => ({ at: () => c });

export class TruthLog implements TruthRecorder {
  readonly records: { kind: string; trueTimeS: number; fields: Record<string, number | string | boolean> }[] =
    [];
  record(kind: string, trueTimeS: number, fields: Record<string, number | string | boolean>): void {
    this.records.push({ kind, trueTimeS, fields });
  }
  of(kind: string): Record<string, number | string | boolean>[] {
    return this.records.filter((r) => r.kind === kind).map((r) => r.fields);
  }
}

/** Delivers every datagram after a fixed delay, in order. */
export class FixedDelayNetwork implements DatagramNetwork {
  private readonly peers = new Map<string, DatagramPeer>();
  constructor(
    private readonly scheduler: Scheduler,
    readonly delayS = 0.001,
  ) {}
  bind(peer: DatagramPeer): void {
    this.peers.set(`${peer.address}:${peer.port}`, peer);
  }
  unbind(peer: DatagramPeer): void {
    if (this.peers.get(`${peer.address}:${peer.port}`) === peer)
      this.peers.delete(`${peer.address}:${peer.port}`);
  }
  send(
    from: { address: string; port: number },
    to: { address: string; port: number },
    message: string,
    trueTimeS: number,
  ): void {
    const arriveS = trueTimeS + this.delayS;
    this.scheduler.at(arriveS, () =>
      this.peers.get(`${to.address}:${to.port}`)?.receive(message, from, arriveS),
    );
  }
}

const sourced = <T>(value: T) => ({ value, source: "test stand-in" });

/** An nRF52-like board (Puck.js figures from espruino.md §0-§2), overridable field by field. */
export function testProfile(overrides: Partial<BoardProfile> = {}): BoardProfile {
  return {
    id: "test-nrf52",
    name: "Test nRF52",
    espruinoBoard: "PUCKJS",
    mcu: { part: "nRF52832", clockMHz: 64, ramKB: 64, source: "test" },
    jsVars: sourced(2630),
    bytesPerVar: sourced(13),
    storageBytes: sourced(40960),
    ioQueueBytes: sourced(1024),
    console: { device: "Serial1", baud: 9600, source: "test" },
    transports: [{ kind: "uart", device: "Serial1", baud: 9600, source: "test" }],
    timebase: {
      kind: "nrf52-rtc",
      quantumS: sourced(1 / 32768),
      sysTicksPerS: 1048576,
      setTime: sourced("exact" as const),
      description: "RTC0",
    },
    interrupt: { latencyS: sourced(10e-6), jitterRmsS: sourced(0) },
    oscillator: {
      name: "LFRC",
      type: "rc",
      nominalHz: 32768,
      tolerancePpm: sourced(250),
      temperature: sourced({ model: "none" as const }),
      agingPpmPerYear: sourced(0),
      noise: sourced({ whiteFmAdev1s: 0, randomWalkFmAdev1s: 0 }),
    },
    temperature: { present: true, resolutionC: sourced(0.25) },
    uarts: [{ device: "Serial1", rx: "D29", tx: "D28", anyPin: true, source: "test" }],
    pins: {
      watchable: ["D1", "D2", "D3", "D4", "D31"],
      extiRule: sourced("none" as const),
      extiCount: 8,
      defaultPps: "D2",
      defaultGpsUart: "Serial1",
      defaultGpsRx: "D29",
      defaultGpsTx: "D28",
      ioVoltage: 3.3,
      fiveVoltTolerant: [],
      source: "test",
    },
    ...overrides,
  };
}

/** An STM32-like board with USB CDC as console (Pico figures). */
export function stm32Profile(overrides: Partial<BoardProfile> = {}): BoardProfile {
  const base = testProfile();
  return testProfile({
    id: "test-stm32",
    espruinoBoard: "PICO_R1_3",
    console: { device: "USB", baud: null, source: "test" },
    transports: [
      { kind: "usb-cdc", device: "USB", source: "test" },
      { kind: "uart", device: "Serial1", baud: 9600, source: "test" },
    ],
    uarts: [
      { device: "Serial1", rx: "B7", tx: "B6", source: "test" },
      { device: "Serial2", rx: "A3", tx: "A2", source: "test" },
    ],
    timebase: {
      ...base.timebase,
      kind: "stm32-rtc-systick",
      quantumS: sourced(2 ** -20),
      setTime: sourced("whole-seconds" as const),
    },
    temperature: { present: true, resolutionC: sourced(0.3) },
    pins: {
      ...base.pins,
      watchable: ["A0", "B0", "B3", "B4", "B5"],
      extiRule: sourced("pin-number" as const),
      extiCount: 16,
    },
    ...overrides,
  });
}

export interface Rig {
  scheduler: EventScheduler;
  board: VirtualBoard;
  truth: TruthLog;
  /** Everything transmitted per device, with completion times. */
  tx: Map<string, { data: string; trueTimeS: number }[]>;
  /** Concatenated transmitted text of a device. */
  text(device: string): string;
}

/** A board on a fresh scheduler with transmit capture on every listed device. */
export function rig(
  options: Partial<VirtualBoardOptions> & {
    capture?: string[];
    fractionalFrequency?: number;
    seed?: number;
  } = {},
): Rig {
  const scheduler = (options.scheduler as EventScheduler | undefined) ?? new EventScheduler();
  const truth = new TruthLog();
  const board = new VirtualBoard({
    profile: options.profile ?? testProfile(),
    clock: options.clock ?? new FixedRateClock(options.fractionalFrequency ?? 0),
    scheduler,
    rng: options.rng ?? new SeededRng(options.seed ?? 1),
    temperature: options.temperature ?? constantTemperature(20),
    truth,
    ...(options.network !== undefined ? { network: options.network } : {}),
    ...(options.address !== undefined ? { address: options.address } : {}),
    ...(options.taskCostS !== undefined ? { taskCostS: options.taskCostS } : {}),
    ...(options.version !== undefined ? { version: options.version } : {}),
    ...(options.storage !== undefined ? { storage: options.storage } : {}),
  });
  const tx = new Map<string, { data: string; trueTimeS: number }[]>();
  for (const device of options.capture ?? []) {
    const log: { data: string; trueTimeS: number }[] = [];
    tx.set(device, log);
    board.serial(device).onTransmit((data, trueTimeS) => log.push({ data, trueTimeS }));
  }
  return {
    scheduler,
    board,
    truth,
    tx,
    text: (device) => (tx.get(device) ?? []).map((w) => w.data).join(""),
  };
}
