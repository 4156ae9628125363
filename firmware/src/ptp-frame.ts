// PTP messages over a serial link, as CRC-checked lines beside the record protocol (docs/sync.md):
//   #TP2,<message bytes as lower-case hex>*<CRC-32 as 8 upper-case hex digits>\r\n
// The CRC-32 is the record protocol's (E.CRC32, zlib.crc32) over everything between '#' and '*'. The
// prefix differs from a record's "#TN", so a host decoding records rejects these lines as
// "not-a-record" rather than mistaking them, and the same line goes either way on the link.
import { hex32 } from "./protocol.ts";

export const PTP_LINE_PREFIX = "#TP2,";
/** Longest message carried: an Announce (64 bytes) with room for TLVs. */
export const PTP_LINE_MAX_BYTES = 128;

export type PtpLineFailure = "not-a-ptp-line" | "no-checksum" | "bad-checksum" | "bad-hex";

export interface PtpLine {
  bytes: string | null;
  failure: PtpLineFailure | null;
}

const HEX = "0123456789abcdef";

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** The line carrying `bytes` (a byte string), with its line ending. */
export function framePtpLine(bytes: string, crc32: (text: string) => number): string {
  let body = PTP_LINE_PREFIX.substr(1);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes.charCodeAt(i) & 0xff;
    body += HEX.charAt(b >> 4) + HEX.charAt(b & 15);
  }
  return "#" + body + "*" + hex32(crc32(body)) + "\r\n";
}

function failed(reason: PtpLineFailure): PtpLine {
  return { bytes: null, failure: reason };
}

/** The message bytes of one line (with or without its line ending). Never throws. */
export function decodePtpLine(line: string, crc32: (text: string) => number): PtpLine {
  let end = line.length;
  while (end > 0 && (line.charAt(end - 1) === "\n" || line.charAt(end - 1) === "\r")) end--;
  if (line.substr(0, PTP_LINE_PREFIX.length) !== PTP_LINE_PREFIX) return failed("not-a-ptp-line");
  const star = line.lastIndexOf("*");
  if (star < PTP_LINE_PREFIX.length || end - star !== 9) return failed("no-checksum");
  const body = line.substring(1, star);
  let sent = 0;
  for (let i = star + 1; i < end; i++) {
    const d = nibble(line.charCodeAt(i));
    if (d < 0) return failed("no-checksum");
    sent = sent * 16 + d;
  }
  if (sent !== crc32(body) >>> 0) return failed("bad-checksum");
  const hexLength = star - PTP_LINE_PREFIX.length;
  if (hexLength % 2 !== 0 || hexLength / 2 > PTP_LINE_MAX_BYTES) return failed("bad-hex");
  let bytes = "";
  for (let i = PTP_LINE_PREFIX.length; i < star; i += 2) {
    const high = nibble(line.charCodeAt(i));
    const low = nibble(line.charCodeAt(i + 1));
    if (high < 0 || low < 0) return failed("bad-hex");
    bytes += String.fromCharCode(high * 16 + low);
  }
  return { bytes: bytes, failure: null };
}
