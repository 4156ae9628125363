// PTPv2 (IEEE 1588-2008) messages for end-to-end two-step exchange: Sync, Delay_Req, Follow_Up,
// Delay_Resp and Announce. The one codec shared by the firmware and the host (docs/sync.md).
//
// Messages travel as byte strings (one character per byte, 0–255): that is what Espruino's dgram hands
// over and what String.fromCharCode builds, and the host converts with Buffer's "latin1" encoding.
// Big-endian throughout. Timestamps are 48-bit seconds + 32-bit nanoseconds; the correctionField is a
// signed 64-bit count of 2^-16 ns, handled as two 32-bit halves (no BigInt on the board) and given as
// a double in ns: exact while |correction| < 2^53 units (about 137 s), far beyond any real path.

export const PTP_VERSION = 2;
export const PTP_HEADER_LENGTH = 34;
export const PTP_EVENT_PORT = 319;
export const PTP_GENERAL_PORT = 320;
export const PTP_MULTICAST_ADDRESS = "224.0.1.129";

/** messageType (low nibble of byte 0). */
export const PTP_SYNC = 0x0;
export const PTP_DELAY_REQ = 0x1;
export const PTP_FOLLOW_UP = 0x8;
export const PTP_DELAY_RESP = 0x9;
export const PTP_ANNOUNCE = 0xb;

/** flagField as a 16-bit big-endian value: first byte in the high half. */
export const PTP_FLAG_TWO_STEP = 0x0200;
export const PTP_FLAG_UNICAST = 0x0400;
export const PTP_FLAG_LEAP_61 = 0x0001;
export const PTP_FLAG_LEAP_59 = 0x0002;
export const PTP_FLAG_UTC_OFFSET_VALID = 0x0004;
export const PTP_FLAG_PTP_TIMESCALE = 0x0008;
export const PTP_FLAG_TIME_TRACEABLE = 0x0010;
export const PTP_FLAG_FREQUENCY_TRACEABLE = 0x0020;

/** Body lengths: header + timestamp (44), + requestingPortIdentity (54), Announce (64). */
export const PTP_LENGTH_TIMESTAMP = 44;
export const PTP_LENGTH_DELAY_RESP = 54;
export const PTP_LENGTH_ANNOUNCE = 64;

/** Announce dataset fields (IEEE 1588-2008 13.5). */
export interface PtpAnnounce {
  currentUtcOffset: number;
  priority1: number;
  clockClass: number;
  clockAccuracy: number;
  offsetScaledLogVariance: number;
  priority2: number;
  /** 16 lower-case hex digits. */
  grandmasterIdentity: string;
  stepsRemoved: number;
  timeSource: number;
}

export interface PtpMessage {
  type: number;
  domain: number;
  flags: number;
  /** correctionField in ns (may carry fractions of a ns: the field counts 2^-16 ns). */
  correctionNs: number;
  /** sourcePortIdentity: clockIdentity as 16 lower-case hex digits, and portNumber. */
  clockIdentity: string;
  portNumber: number;
  sequenceId: number;
  /** logMessageInterval, signed. */
  logInterval: number;
  /** originTimestamp (Sync, Delay_Req, Announce), preciseOriginTimestamp (Follow_Up), receiveTimestamp (Delay_Resp). */
  seconds: number;
  nanoseconds: number;
  /** Delay_Resp only: the port whose Delay_Req this answers ("" and 0 otherwise). */
  requestingClockIdentity: string;
  requestingPortNumber: number;
  /** Announce only (null otherwise). */
  announce: PtpAnnounce | null;
}

export type PtpDecodeFailure =
  "truncated" | "malformed" | "wrong-version" | "wrong-domain" | "unsupported-type";

/** Every reason a decode can fail, for counters. */
export const PTP_DECODE_FAILURES: PtpDecodeFailure[] = [
  "truncated",
  "malformed",
  "wrong-version",
  "wrong-domain",
  "unsupported-type",
];

/** The shortest message of a type (header + body), or 0 for a type this codec does not handle. */
export function ptpMessageLength(type: number): number {
  if (type === PTP_SYNC || type === PTP_DELAY_REQ || type === PTP_FOLLOW_UP) return PTP_LENGTH_TIMESTAMP;
  if (type === PTP_DELAY_RESP) return PTP_LENGTH_DELAY_RESP;
  if (type === PTP_ANNOUNCE) return PTP_LENGTH_ANNOUNCE;
  return 0;
}

/** controlField as IEEE 1588-2008 sets it (Sync 0, Delay_Req 1, Follow_Up 2, Delay_Resp 3, other 5). */
function controlField(type: number): number {
  if (type === PTP_SYNC) return 0;
  if (type === PTP_DELAY_REQ) return 1;
  if (type === PTP_FOLLOW_UP) return 2;
  if (type === PTP_DELAY_RESP) return 3;
  return 5;
}

function u8(bytes: string, at: number): number {
  return bytes.charCodeAt(at) & 0xff;
}

function u16(bytes: string, at: number): number {
  return (u8(bytes, at) << 8) | u8(bytes, at + 1);
}

function u32(bytes: string, at: number): number {
  return (
    u8(bytes, at) * 16777216 + ((u8(bytes, at + 1) << 16) | (u8(bytes, at + 2) << 8) | u8(bytes, at + 3))
  );
}

function byteText(value: number): string {
  return String.fromCharCode(value & 0xff);
}

function u16Text(value: number): string {
  return byteText(value >> 8) + byteText(value);
}

function u32Text(value: number): string {
  const v = value >>> 0;
  return byteText(v >>> 24) + byteText(v >>> 16) + byteText(v >>> 8) + byteText(v);
}

const HEX = "0123456789abcdef";

function identityAt(bytes: string, at: number): string {
  let text = "";
  for (let i = at; i < at + 8; i++) {
    const b = u8(bytes, i);
    text += HEX.charAt(b >> 4) + HEX.charAt(b & 15);
  }
  return text;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** 8 bytes from 16 hex digits (either case); anything else encodes as zeros. */
function identityText(identity: string): string {
  let ok = identity.length === 16;
  for (let i = 0; ok && i < 16; i++) if (hexDigit(identity.charCodeAt(i)) < 0) ok = false;
  let text = "";
  for (let i = 0; i < 8; i++)
    text += byteText(
      ok ? hexDigit(identity.charCodeAt(2 * i)) * 16 + hexDigit(identity.charCodeAt(2 * i + 1)) : 0,
    );
  return text;
}

function timestampText(seconds: number, nanoseconds: number): string {
  const s = seconds > 0 ? Math.floor(seconds) : 0;
  const high = Math.floor(s / 4294967296);
  return u16Text(high) + u32Text(s - high * 4294967296) + u32Text(nanoseconds);
}

function correctionText(correctionNs: number): string {
  let scaled = Math.round(correctionNs * 65536);
  if (!(scaled === scaled)) scaled = 0;
  let high = Math.floor(scaled / 4294967296);
  let low = scaled - high * 4294967296;
  if (high > 2147483647) {
    high = 2147483647;
    low = 4294967295;
  } else if (high < -2147483648) {
    high = -2147483648;
    low = 0;
  }
  return u32Text(high) + u32Text(low);
}

/** A message with every field set to its neutral value, to fill in before encoding. */
export function ptpMessage(
  type: number,
  domain: number,
  clockIdentity: string,
  portNumber: number,
): PtpMessage {
  return {
    type: type,
    domain: domain,
    flags: 0,
    correctionNs: 0,
    clockIdentity: clockIdentity,
    portNumber: portNumber,
    sequenceId: 0,
    logInterval: type === PTP_DELAY_REQ || type === PTP_DELAY_RESP ? 0x7f : 0,
    seconds: 0,
    nanoseconds: 0,
    requestingClockIdentity: "",
    requestingPortNumber: 0,
    announce: null,
  };
}

/** The message as bytes. Types this codec does not know encode as a header with a timestamp. */
export function encodePtp(m: PtpMessage): string {
  let length = ptpMessageLength(m.type);
  if (length === 0) length = PTP_LENGTH_TIMESTAMP;
  let text =
    byteText(m.type & 0x0f) +
    byteText(PTP_VERSION) +
    u16Text(length) +
    byteText(m.domain) +
    byteText(0) +
    u16Text(m.flags) +
    correctionText(m.correctionNs) +
    u32Text(0) +
    identityText(m.clockIdentity) +
    u16Text(m.portNumber) +
    u16Text(m.sequenceId) +
    byteText(controlField(m.type)) +
    byteText(m.logInterval) +
    timestampText(m.seconds, m.nanoseconds);
  if (m.type === PTP_DELAY_RESP) {
    text += identityText(m.requestingClockIdentity) + u16Text(m.requestingPortNumber);
  } else if (m.type === PTP_ANNOUNCE) {
    const a = m.announce;
    if (a) {
      text +=
        u16Text(a.currentUtcOffset) +
        byteText(0) +
        byteText(a.priority1) +
        byteText(a.clockClass) +
        byteText(a.clockAccuracy) +
        u16Text(a.offsetScaledLogVariance) +
        byteText(a.priority2) +
        identityText(a.grandmasterIdentity) +
        u16Text(a.stepsRemoved) +
        byteText(a.timeSource);
    } else {
      while (text.length < PTP_LENGTH_ANNOUNCE) text += byteText(0);
    }
  }
  return text;
}

/**
 * Decodes one message. `domain` is the only domainNumber accepted. Never throws: a failure names why
 * the bytes were dropped. Bytes after messageLength (padding, TLVs) are ignored.
 */
export function decodePtp(bytes: string, domain: number): PtpMessage | PtpDecodeFailure {
  if (bytes.length < PTP_HEADER_LENGTH) return "truncated";
  if ((u8(bytes, 1) & 0x0f) !== PTP_VERSION) return "wrong-version";
  const type = u8(bytes, 0) & 0x0f;
  const minimum = ptpMessageLength(type);
  if (minimum === 0) return "unsupported-type";
  const length = u16(bytes, 2);
  if (bytes.length < minimum || bytes.length < length) return "truncated";
  if (length < minimum) return "malformed";
  if (u8(bytes, 4) !== domain) return "wrong-domain";
  const nanoseconds = u32(bytes, 40);
  if (nanoseconds >= 1000000000) return "malformed";
  const correctionHigh = u32(bytes, 8);
  const signedHigh = correctionHigh >= 2147483648 ? correctionHigh - 4294967296 : correctionHigh;
  const logInterval = u8(bytes, 33);
  const m: PtpMessage = {
    type: type,
    domain: domain,
    flags: u16(bytes, 6),
    correctionNs: (signedHigh * 4294967296 + u32(bytes, 12)) / 65536,
    clockIdentity: identityAt(bytes, 20),
    portNumber: u16(bytes, 28),
    sequenceId: u16(bytes, 30),
    logInterval: logInterval >= 128 ? logInterval - 256 : logInterval,
    seconds: u16(bytes, 34) * 4294967296 + u32(bytes, 36),
    nanoseconds: nanoseconds,
    requestingClockIdentity: "",
    requestingPortNumber: 0,
    announce: null,
  };
  if (type === PTP_DELAY_RESP) {
    m.requestingClockIdentity = identityAt(bytes, 44);
    m.requestingPortNumber = u16(bytes, 52);
  } else if (type === PTP_ANNOUNCE) {
    const utcOffset = u16(bytes, 44);
    m.announce = {
      currentUtcOffset: utcOffset >= 32768 ? utcOffset - 65536 : utcOffset,
      priority1: u8(bytes, 47),
      clockClass: u8(bytes, 48),
      clockAccuracy: u8(bytes, 49),
      offsetScaledLogVariance: u16(bytes, 50),
      priority2: u8(bytes, 52),
      grandmasterIdentity: identityAt(bytes, 53),
      stepsRemoved: u16(bytes, 61),
      timeSource: u8(bytes, 63),
    };
  }
  return m;
}
