// The timenode wire protocol: the one definition shared by the firmware encoder and the host decoder.
// Documented in docs/protocol.md. Espruino-safe: no allocation beyond the line being built.
//
// A record is one ASCII line:
//   #TN<version>,<type>,<bootId>,<seq>,<field>,...*<CRC-32 as 8 upper-case hex digits>\r\n
// The CRC-32 (IEEE, as E.CRC32 and zlib.crc32 compute it) covers everything between '#' and '*'.
// Every field is an integer in decimal or a short token without ',' '*' or control characters.

export const PROTOCOL_VERSION = 1;
export const RECORD_PREFIX = "#TN" + PROTOCOL_VERSION + ",";

/** Record types, one letter each. */
export const REC_HELLO = "H"; // board, firmwareVersion, espruinoVersion, quantumNs, jsVars, ppsPin, gpsUart
export const REC_PPS = "P"; // localUs, intervalUs (0 for the first edge), flags
export const REC_NMEA = "N"; // localUs (line complete), kind, ymd, hms, ms, valid
export const REC_TEMPERATURE = "T"; // localUs, milliC
export const REC_EVENT = "E"; // localUs, code, value
export const REC_MEMORY = "M"; // localUs, usedVars, totalVars, fifoOverflow (0/1)
export const REC_ERROR = "X"; // reason, detail: a host command the board could not take
export const REC_STATUS = "S"; // localUs, nextSeq, oldestSeq, ackedSeq, ringLines, ringBytes, ringLost, commandErrors, nmeaRejects, fifoOverflows
export const REC_CONFIG = "C"; // board, firmwareVersion, espruinoVersion, ppsPin, gpsUart, gpsBaud, gpsRx, gpsTx, hostDevice, hostBaud, ringLines, ringBytes
export const REC_TIME = "Q"; // localUs (command line complete), queryId ("-" when none)
export const REC_SERVO = "R"; // edgeUs, gpsSecond, state, freqPpt, freqSigmaPpt, phaseOffsetNs, residualRmsNs, outliers
export const REC_CLOCK = "U"; // localUs, utcS, utcNs, second60, earliest95Ns, latest95Ns, earliestHardNs, latestHardNs, servoState, ageMs
export const REC_LOST = "L"; // firstSeq, lastSeq: records asked for again that the board no longer keeps

/** PPS flags (bit mask). */
export const PPS_GLITCH = 1; // interval shorter than 1 s - tolerance
export const PPS_MISSED = 2; // interval longer than 1 s + tolerance: one or more pulses missing
export const PPS_QUEUE_OVERFLOW = 4; // the IO queue overflowed since the previous edge

/** Event codes. */
export const EVT_BOOT = "boot";
export const EVT_AUTH_UNAVAILABLE = "auth_unavailable"; // built with a node key, but this Espruino has no crypto library: records go out untagged
export const EVT_FIFO_FULL = "fifo_full";
export const EVT_NMEA_REJECTS = "nmea_rejects";
export const EVT_REPL = "repl"; // the console was handed back to the REPL on request
/** Unacknowledged records were dropped from the resend ring; value: the highest seq dropped. */
export const EVT_RING_OVERFLOW = "ring_overflow";
export const EVT_GPS_LOST = "gps_lost"; // value: servo state left
export const EVT_GPS_RESTORED = "gps_restored"; // value: seconds without PPS
export const EVT_STEP = "step"; // value: step of the UTC clock, ns
export const EVT_LEAP = "leap"; // value: +1 (inserted second seen)
export const EVT_SETTIME = "settime_jump"; // value: how far setTime() moved getTime(), µs (absorbed)
export const EVT_SERVO_STATE = "servo_state"; // value: new servo state (0 NOGPS, 1 ACQUIRING, 2 LOCKED, 3 HOLDOVER)
export const EVT_UNTRUSTED_DATE = "untrusted_date"; // value: yyyymmdd that looks like a GPS week rollover

/** Host commands: one line each, words separated by spaces. */
export const CMD_STATUS = "status";
export const CMD_CONFIG = "config";
export const CMD_RESEND = "resend"; // resend <seq>
export const CMD_ACK = "ack"; // ack <seq>
export const CMD_TIME = "time"; // time [<queryId>]
export const CMD_REPL = "repl";
export const CMD_LEAP = "leap"; // leap <midnightPosixS> <+1|-1|0>: announces (or cancels) a leap second
/** Longest command line the board takes (characters, without the line ending). */
export const COMMAND_MAX_LINE = 64;

/** Reasons of an error record (X). */
export const ERR_UNKNOWN_COMMAND = "unknown-command";
export const ERR_BAD_ARGUMENT = "bad-argument";
export const ERR_LINE_TOO_LONG = "line-too-long";

/** Upper-case 8-digit hex of an unsigned 32-bit value. */
export function hex32(value: number): string {
  let text = (value >>> 0).toString(16).toUpperCase();
  while (text.length < 8) text = "0" + text;
  return text;
}

/** The value of the 8 hex digits (either case) at `from`, or -1 when they are not 8 hex digits. */
function parseHex32(text: string, from: number): number {
  let value = 0;
  for (let i = from; i < from + 8; i++) {
    const c = text.charCodeAt(i);
    let digit = -1;
    if (c >= 48 && c <= 57) digit = c - 48;
    else if (c >= 65 && c <= 70) digit = c - 55;
    else if (c >= 97 && c <= 102) digit = c - 87;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** A datagram as stream text: it holds whole lines, and one without a line ending still ends its record. */
export function datagramAsLines(message: string): string {
  return message.charAt(message.length - 1) === "\n" ? message : message + "\n";
}

/** Builds the body (between '#' and '*') of a record. */
export function recordBody(type: string, bootId: string, seq: number, fields: string): string {
  return (
    "TN" + PROTOCOL_VERSION + "," + type + "," + bootId + "," + seq + (fields.length > 0 ? "," + fields : "")
  );
}

/** Frames a body with its CRC-32 into one line. */
export function frameRecord(body: string, crc32: number): string {
  return "#" + body + "*" + hex32(crc32) + "\r\n";
}

export interface DecodedRecord {
  version: number;
  type: string;
  bootId: string;
  seq: number;
  fields: string[];
}

export type DecodeFailure = "not-a-record" | "no-checksum" | "bad-checksum" | "bad-version" | "bad-header";

/** CRC-32 of the characters of `text` from `start` up to (not including) `end`. */
export type Crc32Range = (text: string, start: number, end: number) => number;

const MAX_SEQ = 9007199254740991; // 2^53 - 1: sequence numbers stay exact doubles

/** The comma-separated fields of text[start, end): as String.split, without copying the range first. */
function splitFields(text: string, start: number, end: number): string[] {
  const fields: string[] = [];
  let from = start;
  for (;;) {
    const comma = text.indexOf(",", from);
    if (comma < 0 || comma >= end) break;
    fields.push(text.substring(from, comma));
    from = comma + 1;
  }
  fields.push(text.substring(from, end));
  return fields;
}

/**
 * Decodes the line text[start, end) (with or without its line ending) in place, without copying it:
 * the host's collector decodes hundreds of thousands of lines a second. Never throws.
 */
export function decodeRecordAt(
  text: string,
  start: number,
  end: number,
  crc32Range: Crc32Range,
): DecodedRecord | DecodeFailure {
  while (end > start) {
    const last = text.charCodeAt(end - 1);
    if (last !== 10 && last !== 13) break;
    end--;
  }
  // "#TN"
  if (
    end - start < 3 ||
    text.charCodeAt(start) !== 35 ||
    text.charCodeAt(start + 1) !== 84 ||
    text.charCodeAt(start + 2) !== 78
  )
    return "not-a-record";
  const star = end - 9;
  if (star <= start + 2 || text.charCodeAt(star) !== 42) return "no-checksum";
  if (parseHex32(text, star + 1) !== crc32Range(text, start + 1, star) >>> 0) return "bad-checksum";
  // The header, character by character: version digits, a one-letter type, a boot id, the sequence.
  let at = start + 3;
  let version = 0;
  let c = text.charCodeAt(at);
  while (c >= 48 && c <= 57 && at < star) {
    version = version * 10 + (c - 48);
    c = text.charCodeAt(++at);
  }
  if (c !== 44 || at >= star) return "bad-header";
  if (at === start + 3 || version !== PROTOCOL_VERSION) return "bad-version";
  const typeAt = at + 1;
  const bootAt = typeAt + 2;
  if (bootAt >= star || text.charCodeAt(typeAt) === 44 || text.charCodeAt(typeAt + 1) !== 44)
    return "bad-header";
  const afterBoot = text.indexOf(",", bootAt);
  if (afterBoot <= bootAt || afterBoot >= star) return "bad-header";
  const seqAt = afterBoot + 1;
  let seq = 0;
  at = seqAt;
  c = text.charCodeAt(at);
  while (c >= 48 && c <= 57 && at < star) {
    seq = seq * 10 + (c - 48);
    c = text.charCodeAt(++at);
  }
  const digits = at - seqAt;
  if (digits === 0 || (digits > 1 && text.charCodeAt(seqAt) === 48) || seq > MAX_SEQ) return "bad-header";
  if (at < star && c !== 44) return "bad-header";
  return {
    version: PROTOCOL_VERSION,
    type: text.charAt(typeAt),
    bootId: text.substring(bootAt, afterBoot),
    seq: seq,
    fields: at === star ? [] : splitFields(text, at + 1, star),
  };
}

/**
 * Decodes one line (without or with its line ending). `crc32` computes CRC-32 over a string
 * (zlib.crc32 on the host, E.CRC32 on a board). Never throws.
 */
export function decodeRecord(line: string, crc32: (text: string) => number): DecodedRecord | DecodeFailure {
  return decodeRecordAt(line, 0, line.length, function (text, start, end) {
    return crc32(text.substring(start, end));
  });
}
