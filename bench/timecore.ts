// The firmware's time core in the virtual lab, per scenario and board: the servo's frequency error
// against the truth, the disciplined UTC clock's error against true UTC, the median width of its 95 %
// bound beside the narrowest width that would have covered 95 % of readings, and how often the truth
// fell inside the 95 % and hard bounds.
import { runLab } from "../host/lab/run.ts";

const BOARDS = ["esp32", "espruino-wifi", "puckjs", "pico"];
const SCENARIOS = ["steady", "holdover", "temperature", "leap"];

export function benchTimeCore() {
  const rows = [];
  for (const scenario of SCENARIOS) {
    const summary = runLab({ boards: BOARDS, scenario, seed: 1, durationS: scenarioDurationS(scenario) });
    for (const node of summary.nodes) {
      rows.push({
        scenario,
        board: node.board,
        servoFreqErrorPpb: node.servo ? (node.servo.freqPpm - node.servo.truthPpm) * 1000 : null,
        servoFreqSigmaPpb: node.servo ? node.servo.freqSigmaPpm * 1000 : null,
        utcRmsErrorNs: node.clock?.rmsErrorNs ?? null,
        utcMaxErrorNs: node.clock?.maxErrorNs ?? null,
        bound95MedianHalfWidthNs: node.clock?.medianHalfWidth95Ns ?? null,
        bound95NeededHalfWidthNs: node.clock?.neededHalfWidth95Ns ?? null,
        inside95: node.clock?.inside95 ?? null,
        insideHard: node.clock?.insideHard ?? null,
        usedVars: node.memory.usedVars,
        totalVars: node.memory.totalVars,
      });
    }
  }
  return { seed: 1, rows };
}

function scenarioDurationS(scenario: string): number {
  return scenario === "holdover" ? 3 * 3600 : scenario === "temperature" ? 4 * 3600 : 3600;
}
