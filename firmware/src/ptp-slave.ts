// A board as PTP slave (docs/sync.md): a board without GPS keeps a UTC clock disciplined by a PTP
// master's end-to-end two-step exchange. Timestamps on the board are its monotonic µs, taken in the
// JavaScript handlers; the clock maps them to UTC as base + elapsed · (1 + freq). Min-delay filtering
// over a short window, a PI servo, and a bound that proves itself from each exchange and grows between
// exchanges and in holdover. Fixed memory whatever arrives. Pure: no TN_BOARD, no I/O.
import {
  decodePtp,
  encodePtp,
  PTP_ANNOUNCE,
  PTP_DELAY_REQ,
  PTP_DELAY_RESP,
  PTP_FLAG_PTP_TIMESCALE,
  PTP_FOLLOW_UP,
  PTP_SYNC,
  ptpMessage,
  type PtpMessage,
} from "./ptp.ts";

export const PTP_SLAVE_LISTENING = 0;
export const PTP_SLAVE_LOCKING = 1;
export const PTP_SLAVE_LOCKED = 2;
export const PTP_SLAVE_HOLDOVER = 3;

/** Exchanges in the min-delay window. */
export const PTP_SLAVE_WINDOW = 4;
/** A master unheard for this long is gone (announceReceiptTimeout 3 × 2 s). */
const ANNOUNCE_TIMEOUT_US = 6e6;
/** Locked, no completed exchange for this long: holdover. */
const EXCHANGE_TIMEOUT_US = 4e6;
/** The frequency is first taken from two offsets at least this far apart. */
const FREQ_ESTIMATE_AFTER_US = 8e6;
/** An offset larger than this steps the clock instead of slewing it. */
const STEP_NS = 1e8;
const KP = 0.3;
const KI = 0.02;

export interface PtpSlaveConfig {
  /** The board clock's timestamp quantum, ns. */
  quantumNs: number;
  /** How far the frequency may be off before it was first estimated (the oscillator's tolerance), ppb. */
  tolerancePpb: number;
  /** How far it may wander from the estimate once estimated, ppb. */
  wanderPpb: number;
}

export interface PtpBoardSlave {
  domain: number;
  config: PtpSlaveConfig;
  state: number;
  /** Selected master's clockIdentity ("" none), its address, and when its Announce was last heard. */
  master: string;
  masterAddress: string;
  announceUs: number;
  /** TAI − UTC when the master's timestamps are on the PTP timescale (ptp4l's), else 0 (timenode's, UTC). */
  utcOffsetS: number;
  /** The Sync awaiting its Follow_Up (-1 none). */
  syncSeq: number;
  syncT2Us: number;
  syncCorrectionNs: number;
  /** A Follow_Up that overtook its Sync (they travel on different ports; -1 none). */
  followSeq: number;
  followS: number;
  followNs: number;
  followCorrectionNs: number;
  /** The exchange whose Delay_Req is out (-1 none): t1 and t2 are known, t3 taken at send. */
  reqSeq: number;
  nextReqSeq: number;
  t1S: number;
  t1Ns: number;
  t2Us: number;
  t3Us: number;
  /** Clock: UTC at board time baseUs is baseS + baseNs, running at (1 + freqPpb·1e-9) × the board's rate. */
  set: boolean;
  baseUs: number;
  baseS: number;
  baseNs: number;
  freqPpb: number;
  freqKnown: boolean;
  stepUs: number;
  /** Min-delay window: offset, delay and board time of the latest exchanges; the newest one used. */
  winOffsetNs: number[];
  winDelayNs: number[];
  winAtUs: number[];
  winCount: number;
  lastUsedUs: number;
  /** Bound at the last exchange, and when it was. */
  boundNs: number;
  exchangeUs: number;
  exchanges: number;
  dropped: number;
  message: PtpMessage;
}

export function createPtpBoardSlave(identity: string, domain: number, config: PtpSlaveConfig): PtpBoardSlave {
  const winOffsetNs: number[] = [];
  const winDelayNs: number[] = [];
  const winAtUs: number[] = [];
  for (let i = 0; i < PTP_SLAVE_WINDOW; i++) {
    winOffsetNs.push(0);
    winDelayNs.push(0);
    winAtUs.push(0);
  }
  return {
    domain: domain,
    config: config,
    state: PTP_SLAVE_LISTENING,
    master: "",
    masterAddress: "",
    announceUs: 0,
    utcOffsetS: 0,
    syncSeq: -1,
    syncT2Us: 0,
    syncCorrectionNs: 0,
    followSeq: -1,
    followS: 0,
    followNs: 0,
    followCorrectionNs: 0,
    reqSeq: -1,
    nextReqSeq: 0,
    t1S: 0,
    t1Ns: 0,
    t2Us: 0,
    t3Us: 0,
    set: false,
    baseUs: 0,
    baseS: 0,
    baseNs: 0,
    freqPpb: 0,
    freqKnown: false,
    stepUs: 0,
    winOffsetNs: winOffsetNs,
    winDelayNs: winDelayNs,
    winAtUs: winAtUs,
    winCount: 0,
    lastUsedUs: -1,
    boundNs: 0,
    exchangeUs: 0,
    exchanges: 0,
    dropped: 0,
    message: ptpMessage(PTP_DELAY_REQ, domain, identity, 1),
  };
}

export interface PtpSlaveTime {
  s: number;
  ns: number;
}

/** The clock's UTC at board time `us` (meaningless before `set`). */
export function ptpSlaveUtc(slave: PtpBoardSlave, us: number, out: PtpSlaveTime): PtpSlaveTime {
  const ns = slave.baseNs + (us - slave.baseUs) * 1000 * (1 + slave.freqPpb * 1e-9);
  const whole = Math.floor(ns / 1e9);
  out.s = slave.baseS + whole;
  out.ns = ns - whole * 1e9;
  return out;
}

/** Half-width of the interval around the clock at board time `us` that holds true UTC, ns. */
export function ptpSlaveBound(slave: PtpBoardSlave, us: number): number {
  const ppb = slave.freqKnown ? slave.config.wanderPpb : slave.config.tolerancePpb;
  return slave.boundNs + Math.max(0, us - slave.exchangeUs) * 1e-6 * ppb;
}

const scratch: PtpSlaveTime = { s: 0, ns: 0 };
const scratch2: PtpSlaveTime = { s: 0, ns: 0 };

function rebase(slave: PtpBoardSlave, us: number): void {
  ptpSlaveUtc(slave, us, scratch);
  slave.baseUs = us;
  slave.baseS = scratch.s;
  slave.baseNs = scratch.ns;
}

/** A ns difference between a board-clock reading and a master timestamp (seconds apart first). */
function diffNs(aS: number, aNs: number, bS: number, bNs: number): number {
  return (aS - bS) * 1e9 + (aNs - bNs);
}

function stepTo(slave: PtpBoardSlave, us: number, s: number, ns: number): void {
  slave.set = true;
  slave.baseUs = us;
  slave.baseS = s;
  slave.baseNs = ns;
  slave.stepUs = us;
  slave.freqKnown = false;
  slave.freqPpb = 0;
  slave.winCount = 0;
  slave.lastUsedUs = -1;
  slave.state = PTP_SLAVE_LOCKING;
}

/** t1..t4 complete: offset (board − master) and delay, then the filter and the servo. */
function exchange(slave: PtpBoardSlave, t4S: number, t4Ns: number, correctionNs: number): void {
  const t2 = ptpSlaveUtc(slave, slave.t2Us, scratch2);
  const t3 = ptpSlaveUtc(slave, slave.t3Us, scratch);
  const msNs = diffNs(t2.s, t2.ns, slave.t1S, slave.t1Ns) - slave.syncCorrectionNs;
  const smNs = diffNs(t4S, t4Ns, t3.s, t3.ns) - correctionNs;
  const delayNs = (msNs + smNs) / 2;
  const offsetNs = (msNs - smNs) / 2;
  // Whatever the split of the round trip, if both one-way delays are ≥ 0 the truth is within it.
  const uncertaintyNs = Math.max(0, delayNs) + slave.config.quantumNs + 1;
  slave.exchanges++;
  slave.exchangeUs = slave.t2Us;
  if (!slave.set || Math.abs(offsetNs) > STEP_NS) {
    // t1 plus the path delay is UTC at t2.
    const ns = slave.t1Ns + slave.syncCorrectionNs + Math.max(0, delayNs);
    const whole = Math.floor(ns / 1e9);
    stepTo(slave, slave.t2Us, slave.t1S + whole, ns - whole * 1e9);
    slave.boundNs = uncertaintyNs;
    return;
  }
  const i = slave.winCount % PTP_SLAVE_WINDOW;
  slave.winOffsetNs[i] = offsetNs;
  slave.winDelayNs[i] = delayNs;
  slave.winAtUs[i] = slave.t2Us;
  slave.winCount++;
  let correctionAppliedNs = 0;
  if (slave.winCount >= PTP_SLAVE_WINDOW) {
    let best = 0;
    let bestDelayNs = slave.winDelayNs[0] || 0;
    for (let k = 1; k < PTP_SLAVE_WINDOW; k++) {
      const d = slave.winDelayNs[k] || 0;
      if (d < bestDelayNs) {
        best = k;
        bestDelayNs = d;
      }
    }
    const bestAtUs = slave.winAtUs[best] || 0;
    // As NTP's clock filter: used only if newer than the one used last.
    if (bestAtUs > slave.lastUsedUs) {
      const r = slave.winOffsetNs[best] || 0;
      const sinceS = (bestAtUs - slave.lastUsedUs) * 1e-6;
      slave.lastUsedUs = bestAtUs;
      rebase(slave, slave.t2Us);
      if (!slave.freqKnown) {
        if (slave.t2Us - slave.stepUs >= FREQ_ESTIMATE_AFTER_US) {
          // The offset has grown at the frequency error since the step.
          slave.freqPpb -= r / ((bestAtUs - slave.stepUs) * 1e-6);
          slave.freqKnown = true;
          slave.state = PTP_SLAVE_LOCKED;
          correctionAppliedNs = r;
        }
      } else {
        correctionAppliedNs = KP * r;
        slave.freqPpb -= (KI * r) / Math.max(1, sinceS);
        slave.state = PTP_SLAVE_LOCKED;
      }
      slave.baseNs -= correctionAppliedNs;
      // Later readings of the window came from the clock before this correction.
      for (let k = 0; k < PTP_SLAVE_WINDOW; k++)
        slave.winOffsetNs[k] = (slave.winOffsetNs[k] || 0) - correctionAppliedNs;
    }
  }
  slave.boundNs = Math.abs(offsetNs - correctionAppliedNs) + uncertaintyNs;
}

/** The Sync and its Follow_Up are both in: t1 and t2 are known, and a Delay_Req is due. */
function syncComplete(slave: PtpBoardSlave, t1S: number, t1Ns: number, correctionNs: number): boolean {
  slave.syncSeq = -1;
  slave.syncCorrectionNs += correctionNs;
  slave.t1S = t1S - slave.utcOffsetS;
  slave.t1Ns = t1Ns;
  slave.t2Us = slave.syncT2Us;
  return true;
}

/**
 * A datagram from `address`, taken at board time `us` (read on entry to the handler). Returns true when
 * a Delay_Req is due now: send ptpSlaveDelayReq's bytes to the master's event port.
 */
export function ptpBoardSlaveReceive(
  slave: PtpBoardSlave,
  bytes: string,
  us: number,
  address: string,
): boolean {
  const m = decodePtp(bytes, slave.domain);
  if (typeof m === "string") {
    slave.dropped++;
    return false;
  }
  if (m.type === PTP_ANNOUNCE) {
    if (
      slave.master === "" ||
      slave.master === m.clockIdentity ||
      us - slave.announceUs > ANNOUNCE_TIMEOUT_US
    ) {
      if (slave.master !== m.clockIdentity) slave.syncSeq = -1;
      slave.master = m.clockIdentity;
      slave.masterAddress = address;
      slave.announceUs = us;
      slave.utcOffsetS =
        (m.flags & PTP_FLAG_PTP_TIMESCALE) !== 0 && m.announce !== null ? m.announce.currentUtcOffset : 0;
    } else slave.dropped++;
    return false;
  }
  if (m.clockIdentity !== slave.master && m.type !== PTP_DELAY_RESP) {
    slave.dropped++;
    return false;
  }
  if (m.type === PTP_SYNC) {
    slave.syncSeq = m.sequenceId;
    slave.syncT2Us = us;
    slave.syncCorrectionNs = m.correctionNs;
    if (slave.followSeq !== m.sequenceId) return false;
    slave.followSeq = -1;
    return syncComplete(slave, slave.followS, slave.followNs, slave.followCorrectionNs);
  }
  if (m.type === PTP_FOLLOW_UP) {
    if (m.sequenceId === slave.syncSeq) return syncComplete(slave, m.seconds, m.nanoseconds, m.correctionNs);
    slave.followSeq = m.sequenceId;
    slave.followS = m.seconds;
    slave.followNs = m.nanoseconds;
    slave.followCorrectionNs = m.correctionNs;
    return false;
  }
  if (
    m.type === PTP_DELAY_RESP &&
    m.sequenceId === slave.reqSeq &&
    m.requestingClockIdentity === slave.message.clockIdentity
  ) {
    slave.reqSeq = -1;
    exchange(slave, m.seconds - slave.utcOffsetS, m.nanoseconds, m.correctionNs);
    return false;
  }
  slave.dropped++;
  return false;
}

/** The Delay_Req to send now. Set `t3Us` to the board time read just before handing it to the socket. */
export function ptpSlaveDelayReq(slave: PtpBoardSlave): string {
  const m = slave.message;
  m.sequenceId = slave.nextReqSeq;
  slave.reqSeq = m.sequenceId;
  slave.nextReqSeq = (slave.nextReqSeq + 1) & 0xffff;
  return encodePtp(m);
}

/** Once a second: holdover when the master has gone quiet. */
export function ptpBoardSlaveTick(slave: PtpBoardSlave, us: number): void {
  if (slave.master !== "" && us - slave.announceUs > ANNOUNCE_TIMEOUT_US) {
    slave.master = "";
    slave.masterAddress = "";
  }
  if (slave.state === PTP_SLAVE_LOCKED && us - slave.exchangeUs > EXCHANGE_TIMEOUT_US)
    slave.state = PTP_SLAVE_HOLDOVER;
  else if (slave.state === PTP_SLAVE_HOLDOVER && us - slave.exchangeUs <= EXCHANGE_TIMEOUT_US)
    slave.state = PTP_SLAVE_LOCKED;
}
