// NMEA 0183 sentence helpers shared by the GPS model and its tests.

const HEX = "0123456789ABCDEF";

/** XOR of the characters between '$' and '*' (the body passed here excludes both). */
export function nmeaChecksum(body: string): number {
  let x = 0;
  for (let i = 0; i < body.length; i++) x ^= body.charCodeAt(i);
  return x & 0xff;
}

export function hex2(n: number): string {
  return HEX.charAt((n >> 4) & 15) + HEX.charAt(n & 15);
}

/** "$" + body + "*hh\r\n"; `checksumXor` ≠ 0 makes the checksum deliberately wrong. */
export function nmeaSentence(body: string, checksumXor = 0): string {
  return "$" + body + "*" + hex2(nmeaChecksum(body) ^ checksumXor) + "\r\n";
}

export interface ParsedNmea {
  talker: string;
  type: string;
  fields: string[];
  checksumOk: boolean;
}

/** Parses one sentence (with or without CR LF); null if it is not shaped like $…*hh. */
export function parseNmea(line: string): ParsedNmea | null {
  const m = /^\$([A-Z0-9]{2})([A-Z0-9]{3}),?(.*)\*([0-9A-F]{2})\r?\n?$/.exec(line);
  if (m === null) return null;
  const body = line.slice(1, line.indexOf("*"));
  return {
    talker: m[1] as string,
    type: m[2] as string,
    fields: (m[3] as string).split(","),
    checksumOk: nmeaChecksum(body) === parseInt(m[4] as string, 16),
  };
}
