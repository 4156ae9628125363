// Runs the virtual lab for a while with the host listening to every board in-process, and sums up
// what the host learned next to the lab's ground truth.
import { createLab, type Lab, type LabNode } from "../../sim/lab.ts";
import { REC_CLOCK, REC_SERVO, type DecodedRecord } from "../../firmware/src/protocol.ts";
import { createLeapDisplay, leapDisplay } from "../../firmware/src/leap.ts";
import { boundCoverage, type BoundedError, type Coverage } from "../analysis/coverage.ts";
import { checkLabelOffset, type LabelOffsetCheck } from "../analysis/label-offset.ts";
import { ppsRate } from "../analysis/pps-rate.ts";
import { createNodeTally, type NodeTally } from "./node-tally.ts";

export interface LabRunOptions {
  boards: string[];
  scenario?: string;
  seed?: number;
  /** How the boards show a leap second; the host announces the scenario's leaps to them. */
  leapPolicy?: "step" | "smear" | "none";
  /** `timenode build --label-offset` for the boards' firmware. */
  labelOffsetS?: number;
  durationS: number;
  /** Called about every `progressEveryS` of virtual time. */
  onProgress?: (virtualS: number, durationS: number) => void;
  progressEveryS?: number;
}

export interface NodeSummary {
  name: string;
  board: string;
  oscillator: string;
  hostDevice: string;
  records: number;
  recordsByType: Record<string, number>;
  rejectedLines: Record<string, number>;
  missingRecords: number;
  boots: number;
  ppsEdges: number;
  ppsFlagged: number;
  /** NMEA time labels by the sentence's own validity flag (ZDA has none). */
  labels: { valid: number; invalid: number; unflagged: number };
  /** Frequency error measured from PPS intervals, next to the truth over the same span. */
  frequency: {
    measuredPpm: number;
    standardErrorPpm: number;
    intervals: number;
    truthPpm: number;
    errorPpm: number;
  };
  /** The board's own servo at the end of the run (time-core firmware only), beside the truth then. */
  servo: { state: number; freqPpm: number; freqSigmaPpm: number; truthPpm: number } | null;
  /** The board's UTC readings against true UTC, with the coverage of their error bounds. */
  clock: Coverage | null;
  /** The board's UTC against the host's own time of day when each reading arrived. */
  labelCheck: LabelOffsetCheck | null;
  /** Event records by code. */
  events: Record<string, number>;
  uncaughtErrors: string[];
  memory: { usedVars: number; totalVars: number };
}

export interface LabRunSummary {
  scenario: string;
  seed: number;
  durationS: number;
  nodes: NodeSummary[];
}

interface Watched {
  node: LabNode;
  tally: NodeTally;
  lastServo: { state: number; freqPpm: number; freqSigmaPpm: number; trueTimeS: number } | null;
  clockErrors: BoundedError[];
  /** Board UTC − host UTC at arrival, seconds (the host's clock is the lab's truth here). */
  hostDifferencesS: number[];
  /** True time and true phase (local − true) at the first and latest PPS record. */
  firstPps: { trueTimeS: number; phaseS: number } | null;
  lastPps: { trueTimeS: number; phaseS: number } | null;
}

/** The scenario's leap second, as leap.ts names it (the midnight after it, sign), or none. */
export function scenarioLeap(lab: Lab): { midnightS: number; sign: number } {
  const leapMs = lab.scenario.environment(0).leapSecondsUtcMs[0];
  return leapMs === undefined ? { midnightS: 0, sign: 0 } : { midnightS: leapMs / 1000, sign: 1 };
}

const truthDisplay = createLeapDisplay();

const ACK_EVERY_RECORDS = 8;

function clockError(lab: Lab, node: LabNode, record: DecodedRecord): BoundedError | null {
  const f = record.fields.map(Number);
  const [localUs, s, ns, second60, e95, l95, eHard, lHard] = f;
  if (f.length < 8 || f.some((v) => !Number.isFinite(v))) return null;
  return {
    errorNs: trueClockErrorNs(lab, node, localUs as number, s as number, ns as number, second60 === 1),
    earliest95Ns: e95 as number,
    latest95Ns: l95 as number,
    earliestHardNs: eHard as number,
    latestHardNs: lHard as number,
  };
}

/**
 * A U record is the board's UTC reading at its monotonic time localUs, which in the lab is the board's
 * local clock since power-up at true time 0: so the reading was taken at oscillator.trueAt(localUs).
 * The truth it should show is the lab's continuous (elapsed) time displayed under the board's leap
 * policy, by the same leap.ts the firmware uses.
 *
 * Returns true UTC − the reading (POSIX s + ns, flagged when it shows 23:59:60), ns.
 */
export function trueClockErrorNs(
  lab: Lab,
  node: LabNode,
  localUs: number,
  utcS: number,
  utcNs: number,
  shownSecond60: boolean,
): number {
  const trueTimeS = node.oscillator.trueAt(localUs / 1e6);
  const wholeS = Math.floor(trueTimeS);
  const leap = scenarioLeap(lab);
  leapDisplay(
    lab.leapPolicy,
    lab.utc.utcStartMs / 1000 + wholeS,
    (trueTimeS - wholeS) * 1e9,
    leap.midnightS,
    leap.sign,
    truthDisplay,
  );
  // Readings of 23:59:60 and of the 23:59:59 before it share a POSIX number: tell them apart by the flag.
  const flagSkewS = (truthDisplay.second60 ? 1 : 0) - (shownSecond60 ? 1 : 0);
  return (truthDisplay.s - utcS + flagSkewS) * 1e9 + (truthDisplay.ns - utcNs);
}

/** Board UTC − the host's UTC now (the record has just arrived), as an NTP-synced host would see it. */
function hostDifferenceS(lab: Lab, record: DecodedRecord): number | null {
  const s = Number(record.fields[1]);
  const ns = Number(record.fields[2]);
  if (!Number.isFinite(s) || !Number.isFinite(ns)) return null;
  const hostPosixMinusStartS = lab.scheduler.now - lab.utc.leapSecondsInsertedBy(lab.scheduler.now);
  return s - lab.utc.utcStartMs / 1000 - hostPosixMinusStartS + ns / 1e9;
}

function watch(lab: Lab, node: LabNode): Watched {
  const watched: Watched = {
    node,
    tally: createNodeTally((record) => {
      // Like a collector, acknowledge what arrived now and then, so the board's resend ring only holds
      // what the host may still need.
      if (record.seq % ACK_EVERY_RECORDS === ACK_EVERY_RECORDS - 1) node.sendToBoard(`ack ${record.seq}\n`);
      if (record.type === REC_CLOCK) {
        const error = clockError(lab, node, record);
        if (error) watched.clockErrors.push(error);
        const difference = hostDifferenceS(lab, record);
        if (difference !== null) watched.hostDifferencesS.push(difference);
      } else if (record.type === REC_SERVO) {
        watched.lastServo = {
          state: Number(record.fields[2]),
          freqPpm: Number(record.fields[3]) / 1e6,
          freqSigmaPpm: Number(record.fields[4]) / 1e6,
          trueTimeS: lab.scheduler.now,
        };
      }
    }),
    lastServo: null,
    clockErrors: [],
    hostDifferencesS: [],
    firstPps: null,
    lastPps: null,
  };
  node.onHostData((data, trueTimeS) => {
    const edgesBefore = watched.tally.goodIntervalsUs.length;
    watched.tally.stream.push(data);
    if (watched.tally.goodIntervalsUs.length === edgesBefore) return;
    const sample = { trueTimeS, phaseS: node.oscillator.truePhaseS(trueTimeS) };
    // The first good interval ends at this edge; its start was one local interval earlier.
    watched.firstPps ??= {
      trueTimeS: trueTimeS - 1,
      phaseS: node.oscillator.truePhaseS(trueTimeS - 1),
    };
    watched.lastPps = sample;
  });
  return watched;
}

function summarise(watched: Watched): NodeSummary {
  const { node, tally } = watched;
  const rate = ppsRate(tally.goodIntervalsUs);
  let truthPpm = NaN;
  if (watched.firstPps && watched.lastPps && watched.lastPps.trueTimeS > watched.firstPps.trueTimeS) {
    truthPpm =
      ((watched.lastPps.phaseS - watched.firstPps.phaseS) /
        (watched.lastPps.trueTimeS - watched.firstPps.trueTimeS)) *
      1e6;
  }
  const memory = node.board.memoryEstimate();
  return {
    name: node.name,
    board: node.profile.id,
    oscillator: `${node.profile.oscillator.type} ±${node.profile.oscillator.tolerancePpm.value} ppm`,
    hostDevice: node.hostDevice,
    records: tally.stream.counters.records,
    recordsByType: tally.byType,
    rejectedLines: Object.fromEntries(
      Object.entries(tally.stream.counters.rejected).filter(([, n]) => n > 0),
    ),
    missingRecords: tally.missingRecords,
    boots: tally.bootIds.length,
    ppsEdges: tally.ppsEdges,
    ppsFlagged: tally.ppsFlagged,
    labels: tally.labels,
    frequency: {
      measuredPpm: rate.freqPpm,
      standardErrorPpm: rate.standardErrorPpm,
      intervals: rate.intervals,
      truthPpm,
      errorPpm: rate.freqPpm - truthPpm,
    },
    servo: watched.lastServo
      ? {
          state: watched.lastServo.state,
          freqPpm: watched.lastServo.freqPpm,
          freqSigmaPpm: watched.lastServo.freqSigmaPpm,
          truthPpm: node.oscillator.trueFrequencyErrorPpm(watched.lastServo.trueTimeS),
        }
      : null,
    clock: watched.clockErrors.length > 0 ? boundCoverage(watched.clockErrors) : null,
    labelCheck: watched.hostDifferencesS.length > 0 ? checkLabelOffset(watched.hostDifferencesS) : null,
    events: tally.events,
    uncaughtErrors: node.board.uncaughtErrors.map((e) => e.text),
    memory: { usedVars: memory.usage, totalVars: memory.total },
  };
}

/** Runs `lab` from its current time to `durationS` in slices, reporting progress. */
export function advanceLab(
  lab: Lab,
  options: Pick<LabRunOptions, "durationS" | "onProgress" | "progressEveryS">,
) {
  const step = options.progressEveryS ?? 600;
  for (
    let t = Math.min(lab.scheduler.now + step, options.durationS);
    ;
    t = Math.min(t + step, options.durationS)
  ) {
    lab.runUntil(t);
    options.onProgress?.(t, options.durationS);
    if (t >= options.durationS) break;
  }
}

export function runLab(options: LabRunOptions): LabRunSummary {
  const lab = createLab({
    boards: options.boards,
    ...(options.scenario !== undefined ? { scenario: options.scenario } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.leapPolicy !== undefined ? { leapPolicy: options.leapPolicy } : {}),
    ...(options.labelOffsetS !== undefined ? { labelOffsetS: options.labelOffsetS } : {}),
  });
  const watched = lab.nodes.map((node) => watch(lab, node));
  const leap = scenarioLeap(lab);
  if (leap.sign !== 0) {
    // NMEA carries no leap warning: the host announces it, as it would from the IERS bulletin.
    lab.scheduler.at(1, () => {
      for (const node of lab.nodes) node.sendToBoard(`leap ${leap.midnightS} +${leap.sign}\n`);
    });
  }
  advanceLab(lab, options);
  return {
    scenario: lab.scenario.name,
    seed: lab.seed,
    durationS: options.durationS,
    nodes: watched.map(summarise),
  };
}
