// Runs the virtual lab for a while with the host listening to every board in-process, and sums up
// what the host learned next to the lab's ground truth.
import { createLab, type Lab, type LabNode } from "../../sim/lab.ts";
import { ppsRate } from "../analysis/pps-rate.ts";
import { createNodeTally, type NodeTally } from "./node-tally.ts";

export interface LabRunOptions {
  boards: string[];
  scenario?: string;
  seed?: number;
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
  /** True time and true phase (local − true) at the first and latest PPS record. */
  firstPps: { trueTimeS: number; phaseS: number } | null;
  lastPps: { trueTimeS: number; phaseS: number } | null;
}

function watch(node: LabNode): Watched {
  const watched: Watched = { node, tally: createNodeTally(), firstPps: null, lastPps: null };
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
  });
  const watched = lab.nodes.map(watch);
  advanceLab(lab, options);
  return {
    scenario: lab.scenario.name,
    seed: lab.seed,
    durationS: options.durationS,
    nodes: watched.map(summarise),
  };
}
