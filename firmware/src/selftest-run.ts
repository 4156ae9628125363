// Runs the fixed vectors against the firmware's pure modules. Shared by the self-test bundle (on the
// board, with E.CRC32) and the host's tests (with zlib's CRC-32).
import { civilFromPosix, createCivilTime, posixFromCivil } from "./civil.ts";
import { createNmeaCounters, createNmeaTime, scanNmeaLine, type NmeaTime } from "./nmea.ts";
import { frameRecord, recordBody } from "./protocol.ts";
import { createServo, servoSample, SERVO_LOCKED } from "./servo.ts";
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

/** A clock 50 ppm fast with a 12.345 ms offset, sampled on 20 exact PPS edges: the servo must lock on it. */
function checkServo(): string {
  const servo = createServo({ quantumNs: 1000, jitterNs: 0, whiteFmAdev1s: 0, randomWalkFmAdev1s: 0 });
  for (let k = 0; k < 20; k++) servoSample(servo, Math.round(k * 1000050 + 12345), 1000 + k);
  if (servo.state !== SERVO_LOCKED) return "state " + servo.state;
  if (Math.abs(servo.freqPpb - 50000) > 1) return "frequency " + servo.freqPpb + " ppb";
  return "";
}

/** The leap second 2016-12-31T23:59:60Z and the day after, without Date.UTC. */
function checkCivil(): string {
  const leap = posixFromCivil(2016, 12, 31, 23, 59, 60);
  if (leap !== 1483228800) return "23:59:60 gave " + leap;
  const t = civilFromPosix(1483228800 + 86399, createCivilTime());
  if (t.y !== 2017 || t.m !== 1 || t.d !== 1 || t.h !== 23 || t.mi !== 59 || t.s !== 59)
    return "civilFromPosix wrong";
  return "";
}

function checkFrame(crc32: (text: string) => number): string {
  const body = recordBody("P", "0A0B0C0D", 7, "1000000,999998,0");
  const line = frameRecord(body, crc32(body));
  return line === "#TN1,P,0A0B0C0D,7,1000000,999998,0*85A99809\r\n" ? "" : "got " + line;
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
  const problems = [checkServo(), checkCivil(), checkFrame(crc32)];
  const names = ["servo-locks-on-50ppm", "civil-leap-second", "protocol-frame"];
  for (let i = 0; i < problems.length; i++) {
    report(names[i] as string, problems[i] === "", problems[i] as string);
    if (problems[i] === "") tally.pass++;
    else tally.fail++;
  }
  return tally;
}
