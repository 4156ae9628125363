// The firmware's time core in the virtual lab, per scenario and board, over several seeds: the servo's
// frequency error against the truth, the disciplined UTC clock's error against true UTC, the median
// width of its 95 % bound beside the narrowest width that would have covered 95 % of readings, and how
// often the truth fell inside the 95 % and hard bounds. A 95 % bound is judged over many runs: one run
// through a GPS outage is one correlated sample, so the per-seed figures are listed too.
import { runLab, type NodeSummary } from "../host/lab/run.ts";

const BOARDS = ["esp32", "espruino-wifi", "puckjs", "pico"];
const SCENARIOS = ["steady", "holdover", "temperature", "leap"];
const SEEDS = [1, 2, 3, 4];

function scenarioDurationS(scenario: string): number {
  return scenario === "holdover" ? 3 * 3600 : scenario === "temperature" ? 4 * 3600 : 3600;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? NaN;
}

function aggregate(scenario: string, board: string, runs: NodeSummary[]) {
  const clocks = runs.map((r) => r.clock).filter((c) => c !== null);
  const readings = clocks.reduce((n, c) => n + c.readings, 0);
  const weighted = (pick: (c: (typeof clocks)[number]) => number) =>
    clocks.reduce((sum, c) => sum + pick(c) * c.readings, 0) / readings;
  return {
    scenario,
    board,
    seeds: runs.length,
    servoFreqErrorPpb: runs.map((r) =>
      r.servo ? +((r.servo.freqPpm - r.servo.truthPpm) * 1000).toFixed(2) : null,
    ),
    servoFreqSigmaPpb: median(runs.map((r) => (r.servo ? r.servo.freqSigmaPpm * 1000 : NaN))),
    utcRmsErrorNs: Math.sqrt(weighted((c) => c.rmsErrorNs * c.rmsErrorNs)),
    utcMaxErrorNs: Math.max(...clocks.map((c) => c.maxErrorNs)),
    bound95MedianHalfWidthNs: median(clocks.map((c) => c.medianHalfWidth95Ns)),
    bound95NeededHalfWidthNs: Math.max(...clocks.map((c) => c.neededHalfWidth95Ns)),
    inside95: weighted((c) => c.inside95),
    inside95PerSeed: clocks.map((c) => +c.inside95.toFixed(4)),
    insideHard: weighted((c) => c.insideHard),
    usedVars: Math.max(...runs.map((r) => r.memory.usedVars)),
    totalVars: runs[0]?.memory.totalVars ?? 0,
  };
}

export function benchTimeCore() {
  const rows = [];
  for (const scenario of SCENARIOS) {
    const runs = SEEDS.map((seed) =>
      runLab({ boards: BOARDS, scenario, seed, durationS: scenarioDurationS(scenario) }),
    );
    for (const [index, board] of BOARDS.entries()) {
      rows.push(
        aggregate(
          scenario,
          board,
          runs.map((run) => run.nodes[index] as NodeSummary),
        ),
      );
    }
  }
  return { seeds: SEEDS, rows };
}
