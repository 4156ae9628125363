// The virtual lab: real firmware bundles on emulated boards, wired to modelled oscillators, GPS
// receivers and serial links, all driven by one scheduler in virtual time, with ground truth.
import type { BoardProfile } from "../boards/types.ts";
import { getBoard } from "../boards/index.ts";
import { buildFirmware, hostDeviceFor } from "../firmware/build/bundle.ts";
import type { Rng, TruthRecorder } from "./contracts.ts";
import { createGpsReceiver, type GpsReceiver } from "./models/gps.ts";
import { createOscillator, type OscillatorClock } from "./models/oscillator.ts";
import { createSerialLink, type SerialLink } from "./models/serial-link.ts";
import { createUtcMapping, type UtcMapping } from "./models/utc.ts";
import { createRng } from "./rng.ts";
import { VirtualBoard } from "./runtime/board.ts";
import { EventScheduler } from "./scheduler.ts";
import { getScenario, type Scenario } from "./scenarios.ts";

const GPS_BAUD = 9600;

export interface LabOptions {
  /** Board profile ids, one virtual node each (the same id may repeat). */
  boards: string[];
  scenario?: string;
  seed?: number;
  /** Ground truth to record into (default: none, for speed). */
  truth?: TruthRecorder;
}

export interface LabNode {
  /** "<board>-<index>", unique in the lab. */
  name: string;
  profile: BoardProfile;
  board: VirtualBoard;
  oscillator: OscillatorClock;
  gps: GpsReceiver;
  /** GPS TX → board RX. */
  gpsLink: SerialLink;
  /** The board's serial device that carries the host protocol. */
  hostDevice: string;
  /** Host-bound data: every firmware write on the host device, at the true time it is on the wire. */
  onHostData(listener: (data: string, trueTimeS: number) => void): void;
  /** Host → board: bytes reach the board's host device now. */
  sendToBoard(data: string): void;
}

export interface Lab {
  readonly scheduler: EventScheduler;
  readonly scenario: Scenario;
  readonly utc: UtcMapping;
  readonly nodes: readonly LabNode[];
  readonly seed: number;
  /** Advance virtual time to `trueTimeS`. */
  runUntil(trueTimeS: number): void;
}

/** Bundles are built once per board kind and reused by every node of that kind. */
const bundleCache = new Map<string, string>();

export function firmwareBundle(profile: BoardProfile): string {
  let code = bundleCache.get(profile.id);
  if (code === undefined) {
    const result = buildFirmware({ board: profile });
    if (result.errors.length > 0) {
      throw new Error(`firmware for ${profile.id} does not build: ${result.errors.join("; ")}`);
    }
    code = result.code;
    bundleCache.set(profile.id, code);
  }
  return code;
}

function createNode(
  index: number,
  profile: BoardProfile,
  lab: { scheduler: EventScheduler; utc: UtcMapping; scenario: Scenario; rng: Rng; truth?: TruthRecorder },
): LabNode {
  const name = `${profile.id}-${index}`;
  const rng = lab.rng.fork(name);
  const environment = lab.scenario.environment(index);
  const oscillator = createOscillator(profile.oscillator, {
    rng: rng.fork("oscillator"),
    temperature: environment.temperature,
  });
  const board = new VirtualBoard({
    profile,
    clock: oscillator,
    scheduler: lab.scheduler,
    rng: rng.fork("board"),
    temperature: environment.temperature,
    name,
    ...(lab.truth ? { truth: lab.truth } : {}),
  });
  board.writeFile(".bootcde", firmwareBundle(profile));
  const gpsPort = board.serial(profile.pins.defaultGpsUart);
  const gpsLink = createSerialLink({
    scheduler: lab.scheduler,
    rng: rng.fork("gps-link"),
    baud: GPS_BAUD,
    latencyS: 0,
    sink: { deliver: (data, trueTimeS) => gpsPort.receive(data, trueTimeS) },
  });
  const gps = createGpsReceiver({
    scheduler: lab.scheduler,
    rng: rng.fork("gps"),
    utc: lab.utc,
    pps: board.pins,
    ppsPin: profile.pins.defaultPps,
    nmea: gpsLink,
    baud: GPS_BAUD,
    coldStartS: environment.coldStartS,
    outages: environment.outages,
    leapStyle: environment.leapStyle,
    corruptRate: environment.corruptRate,
    ...(lab.truth ? { truth: lab.truth } : {}),
  });
  const hostDevice = hostDeviceFor(profile).device;
  const hostPort = board.serial(hostDevice);
  return {
    name,
    profile,
    board,
    oscillator,
    gps,
    gpsLink,
    hostDevice,
    onHostData: (listener) => hostPort.onTransmit(listener),
    sendToBoard: (data) => hostPort.receive(data, lab.scheduler.now),
  };
}

/** Builds a lab; nothing runs until `runUntil`. Boards power up and GPS receivers start at time 0. */
export function createLab(options: LabOptions): Lab {
  if (options.boards.length === 0) throw new RangeError("a lab needs at least one board");
  const scenario = getScenario(options.scenario ?? "steady");
  const seed = options.seed ?? 1;
  const profiles = options.boards.map((id) => getBoard(id));
  const scheduler = new EventScheduler();
  const firstEnvironment = scenario.environment(0);
  const utc = createUtcMapping({
    utcStartMs: scenario.utcStartMs,
    leapSecondsUtcMs: firstEnvironment.leapSecondsUtcMs,
  });
  const rng = createRng(seed);
  const context = { scheduler, utc, scenario, rng, ...(options.truth ? { truth: options.truth } : {}) };
  const nodes = profiles.map((profile, index) => createNode(index, profile, context));
  // Power-up happens at time 0 inside the first runUntil, so listeners attached after createLab see
  // every record from the hello on.
  scheduler.at(0, () => {
    for (const node of nodes) {
      node.board.boot();
      node.gps.start();
    }
  });
  return {
    scheduler,
    scenario,
    utc,
    nodes,
    seed,
    runUntil: (trueTimeS) => scheduler.runUntil(trueTimeS),
  };
}
