// The time core: labelled PPS edges drive the servo (frequency and phase of the board's clock), the
// servo drives the disciplined UTC clock, and every reading carries its error bound. Boards too small
// for it (TN_BOARD.timeCore false) leave it out of the bundle and send raw observations only.
import { agingPpbPerSFromPpmPerYear, boundTempChangePpb, createBoundConfig } from "./bound.ts";
import { civilPackedValid, posixFromPacked } from "./civil.ts";
import type { NmeaTime } from "./nmea.ts";
import {
  EVT_GPS_LOST,
  EVT_GPS_RESTORED,
  EVT_LEAP,
  EVT_SERVO_STATE,
  EVT_STEP,
  EVT_UNTRUSTED_DATE,
  REC_CLOCK,
  REC_EVENT,
  REC_SERVO,
} from "./protocol.ts";
import { rolloverFlags } from "./rollover.ts";
import {
  createServo,
  servoFrequencyShock,
  servoMissing,
  servoSample,
  SERVO_HOLDOVER,
  SERVO_LOCKED,
  SERVO_NOGPS,
} from "./servo.ts";
import {
  createUtcClockConfig,
  createUtcClockInput,
  createUtcClockState,
  createUtcReading,
  utcClockRead,
  utcClockSetLeap,
  utcClockTemperature,
  utcClockUpdate,
  UTC_EVT_STEP,
  UTC_SERVO_HOLDOVER,
  UTC_SERVO_LOCKED,
  UTC_SERVO_UNLOCKED,
  type UtcReading,
} from "./utc-clock.ts";

export interface TimeCore {
  /** A time sentence completed at `nowUs`; `edgeUs` is the latest PPS edge (-1 if none) not yet labelled. */
  label(t: NmeaTime, nowUs: number, edgeUs: number): void;
  /** Once a second: holdover transitions, and a clock reading when `report` is set. */
  tick(nowUs: number, report: boolean): void;
  temperature(c: number): void;
  /** A leap second announced by the host (see the `leap` command). */
  announceLeap(midnightPosixS: number, sign: number): void;
  /**
   * The disciplined clock at `nowUs` (one reading object, overwritten by each call). Only in builds
   * with the PTP master: every other board is spared its JsVars.
   */
  read?: (nowUs: number) => UtcReading;
}

/** Edges over which a temperature shock keeps the servo's frequency uncertainty open. */
const SHOCK_EDGES = 3;

/** A label belongs to the edge before it if it completes within this long after the edge. */
const LABEL_WINDOW_US = 950000;

function utcServoState(state: number): number {
  if (state === SERVO_LOCKED) return UTC_SERVO_LOCKED;
  if (state === SERVO_HOLDOVER) return UTC_SERVO_HOLDOVER;
  return UTC_SERVO_UNLOCKED;
}

export function createTimeCore(send: (type: string, fields: string) => void): TimeCore {
  const servo = createServo({
    quantumNs: TN_BOARD.quantumNs,
    jitterNs: TN_BOARD.jitterNs,
    whiteFmAdev1s: TN_BOARD.whiteFmAdev1s,
    randomWalkFmAdev1s: TN_BOARD.randomWalkFmAdev1s,
  });
  const bound = createBoundConfig();
  bound.quantumNs = TN_BOARD.quantumNs;
  bound.jitterRmsNs = TN_BOARD.jitterNs;
  bound.tolerancePpb = TN_BOARD.tolerancePpb;
  bound.whiteFmAdev1s = TN_BOARD.whiteFmAdev1s;
  bound.randomWalkFmAdev1s = TN_BOARD.randomWalkFmAdev1s;
  bound.agingPpbPerS = agingPpbPerSFromPpmPerYear(TN_BOARD.agingPpmPerYear);
  bound.tempTurnoverC = TN_BOARD.tempTurnoverC;
  bound.tempAPpmPerC = TN_BOARD.tempAPpmPerC;
  bound.tempKPpmPerC2 = TN_BOARD.tempKPpmPerC2;
  bound.tempBPpmPerC3 = TN_BOARD.tempBPpmPerC3;
  bound.tempResolutionC = TN_BOARD.tempResolutionC;
  bound.rcStepPpb = TN_BOARD.rcStepPpm * 1000;
  const utc = createUtcClockState(createUtcClockConfig(bound, TN_BOARD.leapPolicy));
  const input = createUtcClockInput();
  const reading = createUtcReading();
  const s = {
    labelledEdgeUs: -1,
    labelledPosixS: 0,
    labelledHms: -1,
    leapsSeen: 0,
    lastServoState: SERVO_NOGPS,
    lastGoodUs: 0,
    temperatureC: NaN,
    shockRefC: NaN,
    shockPpb: 0,
    shockEdges: 0,
  };

  function noteServoState(now: number) {
    if (servo.state === s.lastServoState) return;
    send(REC_EVENT, now + "," + EVT_SERVO_STATE + "," + servo.state);
    if (s.lastServoState === SERVO_LOCKED && servo.state !== SERVO_LOCKED) {
      send(REC_EVENT, now + "," + EVT_GPS_LOST + "," + s.lastServoState);
    } else if (s.lastServoState === SERVO_HOLDOVER && servo.state === SERVO_LOCKED) {
      send(REC_EVENT, now + "," + EVT_GPS_RESTORED + "," + Math.round((now - s.lastGoodUs) / 1000000));
    }
    s.lastServoState = servo.state;
  }

  function updateUtc(now: number, edge: number, second: number, second60: boolean, offsetNs: number) {
    input.servoState = utcServoState(servo.state);
    input.nowUs = now;
    input.edgeUs = edge;
    input.labelPosixS = second;
    input.labelSecond60 = second60;
    input.phaseOffsetNs = offsetNs;
    input.phaseSigmaNs = servo.phaseUncertaintyNs;
    input.freqErrorPpb = servo.hasEstimate ? servo.freqPpb : NaN;
    input.freqSigmaPpb = servo.freqUncertaintyPpb;
    input.temperatureC = s.temperatureC;
    const events = utcClockUpdate(utc, input);
    if (events & UTC_EVT_STEP) send(REC_EVENT, now + "," + EVT_STEP + "," + Math.round(utc.lastStepNs));
  }

  function label(t: NmeaTime, now: number, edgeUs: number) {
    if (edgeUs < 0 || now - edgeUs > LABEL_WINDOW_US) return;
    if (t.ymd === 0 || !civilPackedValid(t.ymd, t.hms)) return;
    if (rolloverFlags(t.ymd, 0, t.talker) !== 0) {
      send(REC_EVENT, now + "," + EVT_UNTRUSTED_DATE + "," + t.ymd);
      return;
    }
    // A leap second shows as 23:59:60, or as 23:59:59 on two consecutive edges: either way that edge is
    // the inserted second (the midnight's POSIX number with the second-60 flag), and the servo's GPS
    // seconds keep counting, one more than POSIX time from then on.
    const repeated = t.hms === s.labelledHms && t.hms % 10000 === 5959;
    const leapSecond = t.hms % 100 === 60 || repeated;
    const posixS = posixFromPacked(t.ymd, t.hms) + (repeated ? 1 : 0) + TN_BOARD.labelOffsetS;
    if (leapSecond) {
      utcClockSetLeap(utc, posixS, 1);
      send(REC_EVENT, now + "," + EVT_LEAP + ",1");
    }
    const gpsSecond = posixS + s.leapsSeen;
    if (leapSecond) s.leapsSeen++;
    s.labelledHms = t.hms;
    s.labelledEdgeUs = edgeUs;
    s.labelledPosixS = posixS;
    if (s.shockEdges > 0) {
      servoFrequencyShock(servo, s.shockPpb);
      s.shockEdges--;
    }
    const outliersBefore = servo.outliers;
    servoSample(servo, edgeUs, gpsSecond);
    const accepted = servo.outliers === outliersBefore && servo.hasEstimate;
    // The true edge came one interrupt latency before its stamp; the filtered line says how far this
    // stamp's noise put it off.
    const measuredNs = (edgeUs - servo.anchorLocalUs) * 1000 - (gpsSecond - servo.anchorGpsSecond) * 1e9;
    const offsetNs = accepted ? measuredNs - servo.phaseNs + TN_BOARD.latencyNs : 0;
    send(
      REC_SERVO,
      edgeUs +
        "," +
        gpsSecond +
        "," +
        servo.state +
        "," +
        Math.round(servo.freqPpb * 1000) +
        "," +
        Math.round(servo.freqUncertaintyPpb * 1000) +
        "," +
        Math.round(offsetNs) +
        "," +
        Math.round(servo.residualRmsNs) +
        "," +
        servo.outliers,
    );
    noteServoState(now);
    s.lastGoodUs = now;
    if (accepted) updateUtc(now, edgeUs, posixS, leapSecond, offsetNs);
  }

  function tick(now: number, report: boolean) {
    const stateBefore = servo.state;
    servoMissing(servo, now);
    if (servo.state !== stateBefore) {
      noteServoState(now);
      if (servo.state === SERVO_HOLDOVER) updateUtc(now, s.labelledEdgeUs, s.labelledPosixS, false, 0);
    }
    if (!report) return;
    utcClockRead(utc, now, reading);
    if (!reading.valid) return;
    send(
      REC_CLOCK,
      now +
        "," +
        reading.s +
        "," +
        reading.ns +
        "," +
        (reading.second60 ? 1 : 0) +
        "," +
        Math.round(reading.earliest95Ns) +
        "," +
        Math.round(reading.latest95Ns) +
        "," +
        Math.round(reading.earliestHardNs) +
        "," +
        Math.round(reading.latestHardNs) +
        "," +
        servo.state +
        "," +
        Math.round(reading.ageS * 1000),
    );
  }

  const core: TimeCore = {
    label: label,
    tick: tick,
    announceLeap: function (midnightPosixS: number, sign: number) {
      utcClockSetLeap(utc, midnightPosixS, sign);
    },
    temperature: function (c: number) {
      // The frequency change the temperature curve predicts since the servo last absorbed one enters it
      // as extra frequency uncertainty. Two sensor steps are needed: a reading that toggles between
      // two neighbouring values on a slow ramp must not shake the servo every second.
      const ref = s.shockRefC;
      if (ref !== ref) s.shockRefC = c;
      // A recalibrated RC oscillator is pulled back to its reference every few seconds whatever the
      // temperature, so its curve says little about the next seconds: no shock there.
      else if (!TN_BOARD.oscillatorRc && Math.abs(c - ref) >= 2 * TN_BOARD.tempResolutionC - 1e-9) {
        // Held over the next few edges: one edge right after the change shows little of it and would
        // collapse the uncertainty again before the new frequency is visible.
        s.shockPpb = boundTempChangePpb(bound, ref, Math.min(ref, c), Math.max(ref, c));
        s.shockEdges = SHOCK_EDGES;
        s.shockRefC = c;
      }
      s.temperatureC = c;
      utcClockTemperature(utc, c);
    },
  };
  if (TN_BOARD.ptpMaster)
    core.read = function (now: number) {
      return utcClockRead(utc, now, reading);
    };
  return core;
}
