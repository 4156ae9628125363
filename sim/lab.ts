// The virtual lab: real firmware bundles on emulated boards, wired to modelled oscillators, GPS
// receivers and serial links, all driven by one scheduler in virtual time, with ground truth.
import type { BoardProfile } from "../boards/types.ts";
import { getBoard } from "../boards/index.ts";
import { buildFirmware, hostDeviceFor } from "../firmware/build/bundle.ts";
import { datagramAsLines } from "../firmware/src/protocol.ts";
import type { Rng, TruthRecorder } from "./contracts.ts";
import { createGpsReceiver, type GpsReceiver } from "./models/gps.ts";
import { createOscillator, type OscillatorClock } from "./models/oscillator.ts";
import { createSerialLink, type SerialLink } from "./models/serial-link.ts";
import { createUdpNetwork, type UdpNetwork } from "./models/udp-network.ts";
import { createUtcMapping, type UtcMapping } from "./models/utc.ts";
import { createRng } from "./rng.ts";
import { VirtualBoard } from "./runtime/board.ts";
import { EventScheduler } from "./scheduler.ts";
import { getScenario, type Scenario } from "./scenarios.ts";

const GPS_BAUD = 9600;
const GPS_CHUNK_BYTES = 128;

/** The host's address on the lab's modelled network. */
export const LAB_HOST_ADDRESS = "127.0.0.1";

/** Virtual address of node `index` on the lab's network (strings in the model, no real traffic). */
export function labNodeAddress(index: number): string {
  return `127.0.100.${index + 1}`;
}

export interface LabOptions {
  /** Board profile ids, one virtual node each (the same id may repeat). */
  boards: string[];
  scenario?: string;
  /** How the boards' UTC clocks show a leap second (default "step"). */
  leapPolicy?: "step" | "smear" | "none";
  /** Seconds the firmware adds to NMEA labels (`timenode build --label-offset`), default 0. */
  labelOffsetS?: number;
  seed?: number;
  /**
   * WiFi boards send their records over the lab network to LAB_HOST_ADDRESS at this UDP port (their
   * firmware built with a UDP host) instead of over their serial host device.
   */
  udpHostPort?: number;
  /** Ground truth to record into (default: none, for speed). */
  truth?: TruthRecorder;
  /** Boards start with empty Storage: a fresh Espruino at its REPL, waiting to be flashed. */
  blank?: boolean;
  /** Each board's node key (hex) by its chip serial: its firmware then tags every record line. */
  nodeKey?: (serial: string) => string;
  /** process.env.VERSION of every board (default the runtime's, 2v29); before 2v25 there are no packets. */
  espruinoVersion?: string;
  /** UTC at true time 0, epoch ms (default the scenario's): e.g. to run the lab on today's date. */
  utcStartMs?: number;
  /**
   * Every board is also a PTP master towards the lab host (docs/sync.md): over UDP where it sends its
   * records over UDP (udpHostPort), else as `#TP2` lines on its serial host device. A board whose
   * firmware cannot be built so (no time core, over its JsVar budget) makes createLab throw.
   */
  ptpMaster?: boolean;
  /**
   * WiFi boards are PTP slaves instead (their firmware built with --ptp-slave): their UTC comes from a
   * PTP master on the lab network (ports 319/320 at LAB_HOST_ADDRESS), not from their GPS.
   */
  ptpSlave?: boolean;
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
  /** The lab host's UDP port this board sends its records to (0: it uses its serial host device). */
  udpHostPort: number;
  /** Address on the lab network for boards with WiFi (require("dgram") exists only on those). */
  address: string | null;
  /** Host-bound data: every firmware write on the host device, at the true time it is on the wire. */
  onHostData(listener: (data: string, trueTimeS: number) => void): void;
  /**
   * Everything the firmware sends the host, over whichever link it uses: the serial host device's bytes,
   * or (boards built with a UDP host) each datagram, ended with a newline as a line on a wire would be.
   */
  onHostBound(listener: (data: string) => void): void;
  /** Host → board: bytes reach the board's host device now. */
  sendToBoard(data: string): void;
}

export interface Lab {
  readonly scheduler: EventScheduler;
  readonly scenario: Scenario;
  readonly utc: UtcMapping;
  readonly nodes: readonly LabNode[];
  readonly seed: number;
  readonly leapPolicy: "step" | "smear" | "none";
  /** The modelled UDP network that WiFi boards and the host share. */
  readonly network: UdpNetwork;
  /** Ports bound on the lab network at `address`, in the order they were bound. */
  boundPorts(address: string): number[];
  /** Advance virtual time to `trueTimeS`. */
  runUntil(trueTimeS: number): void;
}

/** Bundles are built once per board kind and reused by every node of that kind. */
const bundleCache = new Map<string, string>();

/** How a lab board's firmware is built, beside its board profile (firmware/build/bundle.ts). */
export interface LabFirmware {
  leapPolicy?: "step" | "smear" | "none";
  labelOffsetS?: number;
  /** > 0: send records over UDP to the lab host at this port. */
  udpHostPort?: number;
  ptpMaster?: boolean;
  ptpSlave?: boolean;
  /** Node key (hex) the board tags its record lines with. */
  authKey?: string;
}

export function firmwareBundle(profile: BoardProfile, firmware: LabFirmware = {}): string {
  const {
    leapPolicy = "step",
    labelOffsetS = 0,
    udpHostPort = 0,
    ptpMaster = false,
    ptpSlave = false,
  } = firmware;
  const authKey = firmware.authKey ?? "";
  const key = `${profile.id}/${leapPolicy}/${labelOffsetS}/${udpHostPort}/${ptpMaster}/${ptpSlave}/${authKey}`;
  let code = bundleCache.get(key);
  if (code === undefined) {
    const result = buildFirmware({
      board: profile,
      leapPolicy,
      labelOffsetS,
      ...(udpHostPort > 0 ? { udpHost: { address: LAB_HOST_ADDRESS, port: udpHostPort } } : {}),
      ...(ptpMaster ? { ptpMaster } : {}),
      ...(ptpSlave ? { ptpSlave } : {}),
      ...(authKey !== "" ? { authKey } : {}),
    });
    if (result.errors.length > 0) {
      throw new Error(`firmware for ${profile.id} does not build: ${result.errors.join("; ")}`);
    }
    code = result.code;
    bundleCache.set(key, code);
  }
  return code;
}

function createNode(
  index: number,
  profile: BoardProfile,
  lab: {
    scheduler: EventScheduler;
    utc: UtcMapping;
    scenario: Scenario;
    rng: Rng;
    network: UdpNetwork;
    leapPolicy: "step" | "smear" | "none";
    labelOffsetS: number;
    udpHostPort: number;
    ptpMaster: boolean;
    ptpSlave: boolean;
    blank: boolean;
    nodeKey: ((serial: string) => string) | undefined;
    espruinoVersion: string | undefined;
    /** Every datagram put on the lab network, as it is sent (whatever then befalls it). */
    onDatagramSent(listener: (from: { address: string; port: number }, message: string) => void): void;
    truth?: TruthRecorder;
  },
): LabNode {
  const hasWifi = profile.transports.some((t) => t.kind === "wifi-udp");
  const address = hasWifi ? labNodeAddress(index) : null;
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
    ...(lab.espruinoVersion !== undefined ? { version: lab.espruinoVersion } : {}),
    ...(address !== null ? { network: lab.network, address } : {}),
    ...(lab.truth ? { truth: lab.truth } : {}),
  });
  const udpHostPort = address !== null ? lab.udpHostPort : 0;
  if (!lab.blank)
    board.writeFile(
      ".bootcde",
      firmwareBundle(profile, {
        leapPolicy: lab.leapPolicy,
        labelOffsetS: lab.labelOffsetS,
        udpHostPort,
        ptpMaster: lab.ptpMaster,
        ptpSlave: lab.ptpSlave && address !== null,
        ...(lab.nodeKey ? { authKey: lab.nodeKey(board.serialNumber) } : {}),
      }),
    );
  const gpsPort = board.serial(profile.pins.defaultGpsUart);
  const gpsLink = createSerialLink({
    scheduler: lab.scheduler,
    rng: rng.fork("gps-link"),
    baud: GPS_BAUD,
    latencyS: 0,
    // A UART hands bytes over as they come, not a whole second's burst at once: chunks of at most
    // GPS_CHUNK_BYTES keep the first sentence's arrival within ~0.13 s of its start.
    maxChunkBytes: GPS_CHUNK_BYTES,
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
    labelsNextEdge: environment.labelsNextEdge,
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
    udpHostPort,
    address,
    onHostData: (listener) => hostPort.onTransmit(listener),
    onHostBound: (listener) => {
      if (udpHostPort === 0) hostPort.onTransmit((data) => listener(data));
      else
        lab.onDatagramSent((from, message) => {
          if (from.address === address) listener(datagramAsLines(message));
        });
    },
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
    utcStartMs: options.utcStartMs ?? scenario.utcStartMs,
    leapSecondsUtcMs: firstEnvironment.leapSecondsUtcMs,
  });
  const rng = createRng(seed);
  const model = createUdpNetwork({
    scheduler,
    rng: rng.fork("udp-network"),
    // A quiet lab WiFi: about 2 ms one way with 0.5 ms of jitter.
    delay: { baseS: 0.002, jitterS: 0.0005, distribution: "normal" },
    ...(options.truth ? { truth: options.truth } : {}),
  });
  const bound = new Map<string, number[]>();
  const sendTaps: ((from: { address: string; port: number }, message: string) => void)[] = [];
  const network: UdpNetwork = {
    get counters() {
      return model.counters;
    },
    bind(peer) {
      const ports = bound.get(peer.address) ?? [];
      if (!ports.includes(peer.port)) ports.push(peer.port);
      bound.set(peer.address, ports);
      model.bind(peer);
    },
    unbind(peer) {
      bound.set(
        peer.address,
        (bound.get(peer.address) ?? []).filter((p) => p !== peer.port),
      );
      model.unbind(peer);
    },
    send: (from, to, message, trueTimeS) => {
      for (const tap of sendTaps) tap(from, message);
      model.send(from, to, message, trueTimeS);
    },
  };
  const context = {
    scheduler,
    utc,
    scenario,
    rng,
    network,
    leapPolicy: options.leapPolicy ?? "step",
    labelOffsetS: options.labelOffsetS ?? 0,
    udpHostPort: options.udpHostPort ?? 0,
    ptpMaster: options.ptpMaster ?? false,
    ptpSlave: options.ptpSlave ?? false,
    blank: options.blank ?? false,
    nodeKey: options.nodeKey,
    espruinoVersion: options.espruinoVersion,
    onDatagramSent: (listener: (from: { address: string; port: number }, message: string) => void) =>
      void sendTaps.push(listener),
    ...(options.truth ? { truth: options.truth } : {}),
  };
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
    leapPolicy: context.leapPolicy,
    network,
    boundPorts: (address) => [...(bound.get(address) ?? [])],
    runUntil: (trueTimeS) => scheduler.runUntil(trueTimeS),
  };
}
