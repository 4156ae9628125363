// PTP between a master and a slave over the virtual lab's modelled UDP network (sim/models/udp-network.ts):
// delay, jitter, per-direction asymmetry, loss; each end stamps with its own clock, a straight line in
// true time (offset + frequency error) quantised to its timestamp resolution. Everything runs in virtual
// time from a seed, and every exchange comes back with the true offset beside the estimate.
import { createUdpNetwork, type UdpDelayModel } from "../../sim/models/udp-network.ts";
import { createRng } from "../../sim/rng.ts";
import { EventScheduler } from "../../sim/scheduler.ts";
import { PTP_EVENT_PORT, PTP_GENERAL_PORT } from "../../firmware/src/ptp.ts";
import {
  createPtpBoardMaster,
  PTP_CLOCK_LOCKED,
  ptpBoardMasterReceive,
  ptpBoardMasterTick,
  type PtpClockTime,
} from "../../firmware/src/ptp-master.ts";
import { PtpMaster, type MasterOptions } from "./master.ts";
import { nsToPtp } from "./time.ts";
import { PtpSlave, type PortKind, type SlaveEvent, type SlaveExchange, type SlaveOptions } from "./slave.ts";

export interface VirtualClock {
  /** Reading at true time 0, s (on top of the shared epoch). */
  offsetS: number;
  /** Fractional frequency error, ppm (+ = fast). */
  freqPpm: number;
  /** Timestamp resolution, ns. */
  quantumNs: number;
  /**
   * Timestamps taken in JavaScript handlers: a received message is stamped this long after it arrived
   * (base + exponential jitter of that mean), a sent one this long before it leaves.
   */
  rxLatency?: { baseS: number; jitterS: number };
  txLatency?: { baseS: number; jitterS: number };
}

export interface VirtualSyncOptions {
  seed: number | string;
  durationS: number;
  delay: UdpDelayModel;
  /** Extra one-way delay master→slave and slave→master, s: their half-difference is the asymmetry. */
  masterToSlaveExtraS: number;
  slaveToMasterExtraS: number;
  lossRate?: number;
  master: VirtualClock;
  slave: VirtualClock;
  /** The master stops sending at this true time (it "disappears"). */
  masterStopsAtS?: number;
  slaveOptions?: Partial<SlaveOptions>;
  masterOptions?: Partial<MasterOptions>;
  /** Run the firmware's board master (firmware/src/ptp-master.ts) instead of the host's. */
  boardMaster?: boolean;
}

export interface VirtualExchange extends SlaveExchange {
  trueTimeS: number;
  /** The slave's clock minus the master's at the exchange's t2, ns: what the estimate should be. */
  trueOffsetNs: number;
}

export interface VirtualSyncResult {
  exchanges: VirtualExchange[];
  states: { trueTimeS: number; to: string }[];
  /** Once a second: the slave's estimate, its bound and the truth. */
  readings: { trueTimeS: number; offsetNs: number; boundNs: number; trueOffsetNs: number; state: string }[];
  slave: PtpSlave;
  /** The host master (null when the firmware's board master ran instead). */
  master: PtpMaster | null;
}

interface MasterEnd {
  receive(kind: PortKind, bytes: string, rxNs: bigint): void;
  tick(nowNs: bigint): bigint;
}

/** The firmware's master (firmware/src/ptp-master.ts), reading its clock in its handlers as a board does. */
function boardMaster(nowNs: () => bigint, send: (kind: PortKind, bytes: string) => bigint): MasterEnd {
  const state = createPtpBoardMaster("00000afffe0000b1", 0);
  const read = (out: PtpClockTime) => {
    const t = nsToPtp(nowNs());
    out.s = t.seconds;
    out.ns = t.nanoseconds;
    out.state = PTP_CLOCK_LOCKED;
    return true;
  };
  const sendBytes = (event: boolean, bytes: string) => void send(event ? "event" : "general", bytes);
  return {
    receive(kind, bytes) {
      if (kind === "event") ptpBoardMasterReceive(state, bytes, read, sendBytes);
    },
    tick(now) {
      ptpBoardMasterTick(state, read, sendBytes);
      return now + 1_000_000_000n;
    },
  };
}

/** Epoch of the virtual clocks (2026-01-01), so timestamps look like real PTP times. */
const EPOCH_NS = 1_767_225_600_000_000_000n;
const MASTER_ADDRESS = "10.0.0.1";
const SLAVE_ADDRESS = "10.0.0.2";

function reading(clock: VirtualClock, trueTimeS: number): bigint {
  const ns = (clock.offsetS + trueTimeS * (1 + clock.freqPpm * 1e-6)) * 1e9;
  const q = clock.quantumNs;
  return EPOCH_NS + BigInt(Math.floor(ns / q) * q);
}

function trueOffsetNs(options: VirtualSyncOptions, trueTimeS: number): number {
  const { master, slave } = options;
  return (slave.offsetS - master.offsetS + trueTimeS * (slave.freqPpm - master.freqPpm) * 1e-6) * 1e9;
}

export function runVirtualSync(options: VirtualSyncOptions): VirtualSyncResult {
  const scheduler = new EventScheduler();
  const rng = createRng(options.seed);
  const network = createUdpNetwork({
    scheduler,
    rng: rng.fork("network"),
    delay: options.delay,
    routeExtraDelayS: {
      [`${MASTER_ADDRESS}->${SLAVE_ADDRESS}`]: options.masterToSlaveExtraS,
      [`${SLAVE_ADDRESS}->${MASTER_ADDRESS}`]: options.slaveToMasterExtraS,
    },
    lossRate: options.lossRate ?? 0,
  });
  const portOf = (kind: PortKind) => (kind === "event" ? PTP_EVENT_PORT : PTP_GENERAL_PORT);
  const latencyRng = rng.fork("handler-latency");
  const latencyS = (l: { baseS: number; jitterS: number } | undefined) =>
    l === undefined ? 0 : l.baseS - l.jitterS * Math.log(1 - latencyRng.uniform());
  const sender = (from: string, to: string, clock: VirtualClock) => (kind: PortKind, bytes: string) => {
    const port = portOf(kind);
    const stampedNs = reading(clock, scheduler.now);
    const leaveS = scheduler.now + latencyS(clock.txLatency);
    const go = () => network.send({ address: from, port }, { address: to, port }, bytes, leaveS);
    if (leaveS === scheduler.now) go();
    else scheduler.at(leaveS, go);
    return stampedNs;
  };
  const sendFromMaster = sender(MASTER_ADDRESS, SLAVE_ADDRESS, options.master);
  const hostMaster = options.boardMaster
    ? null
    : new PtpMaster({ clockIdentity: "00000afffe000001", ...options.masterOptions }, sendFromMaster);
  const master: MasterEnd =
    hostMaster ?? boardMaster(() => reading(options.master, scheduler.now), sendFromMaster);
  const result: VirtualSyncResult = {
    exchanges: [],
    states: [],
    readings: [],
    slave: null!,
    master: hostMaster,
  };
  const onEvent = (event: SlaveEvent) => {
    if (event.kind === "exchange") {
      const t2TrueS = trueTimeOfSlaveReading(options.slave, event.exchange.t2Ns);
      result.exchanges.push({
        ...event.exchange,
        trueTimeS: scheduler.now,
        trueOffsetNs: trueOffsetNs(options, t2TrueS),
      });
    } else if (event.kind === "state") result.states.push({ trueTimeS: scheduler.now, to: event.to });
  };
  const slave = new PtpSlave(
    {
      clockIdentity: "00000bfffe000002",
      quantumNs: options.master.quantumNs + options.slave.quantumNs,
      ...options.slaveOptions,
    },
    sender(SLAVE_ADDRESS, MASTER_ADDRESS, options.slave),
    onEvent,
  );
  result.slave = slave;
  const bindEnd = (address: string, clock: VirtualClock, end: { receive: PtpSlave["receive"] }) => {
    for (const kind of ["event", "general"] as const)
      network.bind({
        address,
        port: portOf(kind),
        receive: (message) => {
          const handle = () => end.receive(kind, message, reading(clock, scheduler.now));
          const lateS = latencyS(clock.rxLatency);
          if (lateS === 0) handle();
          else scheduler.after(lateS, handle);
        },
      });
  };
  bindEnd(MASTER_ADDRESS, options.master, master);
  bindEnd(SLAVE_ADDRESS, options.slave, slave);
  const stopS = options.masterStopsAtS ?? Infinity;
  const masterTick = () => {
    if (scheduler.now >= stopS) return;
    const nextNs = master.tick(reading(options.master, scheduler.now));
    const waitS = Number(nextNs - reading(options.master, scheduler.now)) / 1e9;
    scheduler.after(Math.max(waitS, 1e-3), masterTick);
  };
  scheduler.at(0.01, masterTick);
  const slaveTick = () => {
    const now = reading(options.slave, scheduler.now);
    slave.tick(now);
    const estimate = slave.estimate(now);
    if (estimate)
      result.readings.push({
        trueTimeS: scheduler.now,
        offsetNs: estimate.offsetNs,
        boundNs: estimate.boundNs,
        trueOffsetNs: trueOffsetNs(options, scheduler.now),
        state: estimate.state,
      });
    scheduler.after(1, slaveTick);
  };
  scheduler.at(0.5, slaveTick);
  scheduler.runUntil(options.durationS);
  return result;
}

function trueTimeOfSlaveReading(clock: VirtualClock, ns: bigint): number {
  return (Number(ns - EPOCH_NS) / 1e9 - clock.offsetS) / (1 + clock.freqPpm * 1e-6);
}
