// Runs the fixed vectors against the firmware's pure modules. Shared by the self-test bundle (on the
// board, with E.CRC32) and the host's tests (with zlib's CRC-32).
import { createNmeaCounters, createNmeaTime, scanNmeaLine, type NmeaTime } from "./nmea.ts";
import { CRC_VECTORS, NMEA_VECTORS, type CrcVector, type NmeaVector } from "./selftest-vectors.ts";

export interface SelfTestTally {
  pass: number;
  fail: number;
}

export type SelfTestReport = (name: string, ok: boolean, detail: string) => void;

let lastLabel: NmeaTime | null = null;

function keepLabel(t: NmeaTime) {
  lastLabel = t;
}

function checkNmea(v: NmeaVector): string {
  lastLabel = null;
  scanNmeaLine(v.line, createNmeaTime(), createNmeaCounters(), keepLabel);
  const t = lastLabel as NmeaTime | null;
  if (v.kind === null) return t === null ? "" : "expected no label, got " + t.kind + " " + t.hms;
  if (t === null) return "expected a label, got none";
  if (t.kind !== v.kind || t.ymd !== v.ymd || t.hms !== v.hms || t.ms !== v.ms || t.valid !== v.valid) {
    return "got " + t.kind + " " + t.ymd + " " + t.hms + "." + t.ms + " valid " + t.valid;
  }
  return "";
}

export function runSelfTests(crc32: (text: string) => number, report: SelfTestReport): SelfTestTally {
  const tally: SelfTestTally = { pass: 0, fail: 0 };
  for (let i = 0; i < NMEA_VECTORS.length; i++) {
    const vector = NMEA_VECTORS[i] as NmeaVector;
    const problem = checkNmea(vector);
    report("nmea-" + vector.name, problem === "", problem);
    if (problem === "") tally.pass++;
    else tally.fail++;
  }
  for (let i = 0; i < CRC_VECTORS.length; i++) {
    const v = CRC_VECTORS[i] as CrcVector;
    const got = crc32(v.text) >>> 0;
    const ok = got === v.crc;
    report(v.name, ok, ok ? "" : "got " + got.toString(16));
    if (ok) tally.pass++;
    else tally.fail++;
  }
  return tally;
}
