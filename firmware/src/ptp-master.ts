// A board as PTP master (docs/sync.md): Announce every 2 s, Sync + Follow_Up every second, a Delay_Resp
// for each Delay_Req, timestamps read from the disciplined UTC clock in the JavaScript handlers (there
// is no hardware stamping on these boards: the stamp of a Sync is taken just before it is sent, the
// stamp of a Delay_Req on entry to the message handler, so the handler's latency is part of the path).
// clockClass follows the clock: 6 while locked to GPS, 7 in holdover, 248 before the first lock.
import {
  decodePtp,
  encodePtp,
  PTP_ANNOUNCE,
  PTP_DELAY_REQ,
  PTP_DELAY_RESP,
  PTP_FLAG_TWO_STEP,
  PTP_FLAG_UTC_OFFSET_VALID,
  PTP_FOLLOW_UP,
  PTP_SYNC,
  ptpMessage,
  type PtpMessage,
} from "./ptp.ts";

/** The board's UTC now: false when the clock has never been set. */
export type PtpClockRead = (out: PtpClockTime) => boolean;

export interface PtpClockTime {
  s: number;
  ns: number;
  /** 0 unlocked, 1 locked, 2 holdover. */
  state: number;
}

export const PTP_CLOCK_UNLOCKED = 0;
export const PTP_CLOCK_LOCKED = 1;
export const PTP_CLOCK_HOLDOVER = 2;

export interface PtpBoardMaster {
  domain: number;
  identity: string;
  syncSeq: number;
  announceSeq: number;
  ticks: number;
  /** Delay_Req answered in the current second, and dropped over the limit or as garbage. */
  answered: number;
  dropped: number;
  now: PtpClockTime;
  /** One message reused for every send (fewer allocations on the board). */
  message: PtpMessage;
  /**
   * Turns message bytes into what `send` writes (a serial link's line); null sends the bytes as they
   * are. A Sync is framed before its send time is read, so framing costs no accuracy.
   */
  frame: ((bytes: string) => string) | null;
}

/** Most Delay_Resp per second (a flood costs bounded work). */
const MAX_ANSWERS_PER_S = 16;
/** TAI − UTC, for the Announce (the board runs on UTC; PTP_TIMESCALE is not claimed). */
const UTC_OFFSET_S = 37;

export function createPtpBoardMaster(identity: string, domain: number): PtpBoardMaster {
  return {
    domain: domain,
    identity: identity,
    syncSeq: 0,
    announceSeq: 0,
    ticks: 0,
    answered: 0,
    dropped: 0,
    now: { s: 0, ns: 0, state: PTP_CLOCK_UNLOCKED },
    message: ptpMessage(PTP_SYNC, domain, identity, 1),
    frame: null,
  };
}

/**
 * An EUI-64 clock identity from the chip's serial (getSerial(): the MAC on ESP boards): its last 12 hex
 * digits as a MAC, with FFFE in the middle as IEEE 1588 derives it.
 */
export function ptpIdentityFromSerial(serial: string): string {
  let hex = "";
  for (let i = 0; i < serial.length; i++) {
    const c = serial.charAt(i).toLowerCase();
    if ((c >= "0" && c <= "9") || (c >= "a" && c <= "f")) hex += c;
  }
  while (hex.length < 12) hex = "0" + hex;
  hex = hex.substr(hex.length - 12);
  return hex.substr(0, 6) + "fffe" + hex.substr(6);
}

function clockClassOf(state: number): number {
  if (state === PTP_CLOCK_LOCKED) return 6;
  if (state === PTP_CLOCK_HOLDOVER) return 7;
  return 248;
}

function encoded(master: PtpBoardMaster): string {
  const bytes = encodePtp(master.message);
  return master.frame === null ? bytes : master.frame(bytes);
}

function reset(m: PtpMessage, type: number, sequenceId: number, logInterval: number): PtpMessage {
  m.type = type;
  m.flags = 0;
  m.correctionNs = 0;
  m.sequenceId = sequenceId;
  m.logInterval = logInterval;
  m.seconds = 0;
  m.nanoseconds = 0;
  m.requestingClockIdentity = "";
  m.requestingPortNumber = 0;
  m.announce = null;
  return m;
}

/**
 * Once a second: Sync then Follow_Up (event and general sends), and every other second an Announce.
 * Sends nothing before the clock was first set.
 */
export function ptpBoardMasterTick(
  master: PtpBoardMaster,
  read: PtpClockRead,
  send: (event: boolean, bytes: string) => void,
): void {
  master.answered = 0;
  if (!read(master.now)) return;
  const m = master.message;
  if (master.ticks % 2 === 0) {
    reset(m, PTP_ANNOUNCE, master.announceSeq, 1);
    master.announceSeq = (master.announceSeq + 1) & 0xffff;
    m.flags = PTP_FLAG_UTC_OFFSET_VALID;
    m.seconds = master.now.s;
    m.nanoseconds = master.now.ns;
    m.announce = {
      currentUtcOffset: UTC_OFFSET_S,
      priority1: 128,
      clockClass: clockClassOf(master.now.state),
      clockAccuracy: master.now.state === PTP_CLOCK_LOCKED ? 0x31 : 0xfe,
      offsetScaledLogVariance: 0xffff,
      priority2: 128,
      grandmasterIdentity: master.identity,
      stepsRemoved: 0,
      timeSource: master.now.state === PTP_CLOCK_UNLOCKED ? 0xa0 : 0x20,
    };
    send(false, encoded(master));
  }
  master.ticks++;
  const seq = master.syncSeq;
  master.syncSeq = (seq + 1) & 0xffff;
  reset(m, PTP_SYNC, seq, 0);
  m.flags = PTP_FLAG_TWO_STEP;
  const sync = encoded(master);
  if (!read(master.now)) return;
  const t1s = master.now.s;
  const t1ns = master.now.ns;
  send(true, sync);
  reset(m, PTP_FOLLOW_UP, seq, 0);
  m.seconds = t1s;
  m.nanoseconds = t1ns;
  send(false, encoded(master));
}

/** A datagram on the event port, read as soon as the handler runs (`read` is called first). */
export function ptpBoardMasterReceive(
  master: PtpBoardMaster,
  bytes: string,
  read: PtpClockRead,
  send: (event: boolean, bytes: string) => void,
): void {
  const set = read(master.now);
  const t4s = master.now.s;
  const t4ns = master.now.ns;
  const req = decodePtp(bytes, master.domain);
  if (typeof req === "string" || req.type !== PTP_DELAY_REQ || !set || master.answered >= MAX_ANSWERS_PER_S) {
    master.dropped++;
    return;
  }
  master.answered++;
  const m = reset(master.message, PTP_DELAY_RESP, req.sequenceId, 0);
  m.seconds = t4s;
  m.nanoseconds = t4ns;
  m.correctionNs = req.correctionNs;
  m.requestingClockIdentity = req.clockIdentity;
  m.requestingPortNumber = req.portNumber;
  send(false, encoded(master));
}
