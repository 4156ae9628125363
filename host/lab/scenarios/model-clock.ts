// A free-running clock for host-level stories: set exactly to true time at its last sync, then carried
// by a board's modelled oscillator (sim/models/oscillator.ts, at 25 °C). As an interval clock its bound
// grows at the profile's frequency tolerance (plus aging), the figure the board's maker guarantees.
import { getBoard } from "../../../boards/index.ts";
import { createOscillator, type OscillatorClock } from "../../../sim/models/oscillator.ts";
import { constantTemperature } from "../../../sim/models/temperature.ts";
import type { Rng } from "../../../sim/contracts.ts";
import type { TimeInterval } from "../../analysis/time-interval.ts";

export interface ModelClock {
  name: string;
  /** The clock's reading at true time `trueS` (s since the story began), ns on the story's scale. */
  readNs(trueS: number): number;
  /** Its interval clock: the reading ± what the profile's tolerance allows since the sync. */
  intervalNs(trueS: number): TimeInterval;
  /** Its error at `trueS`, ns (reading − truth). */
  errorNs(trueS: number): number;
  boundPpm: number;
}

export function modelClock(name: string, boardId: string, rng: Rng, syncS = 0): ModelClock {
  const spec = getBoard(boardId).oscillator;
  const oscillator: OscillatorClock = createOscillator(spec, {
    rng: rng.fork(name),
    temperature: constantTemperature(25),
  });
  const boundPpm = spec.tolerancePpm.value + spec.agingPpmPerYear.value;
  const phaseAtSyncS = oscillator.truePhaseS(syncS);
  // Ask in non-decreasing true time: the model keeps only recent history.
  const errorNs = (trueS: number) => (oscillator.truePhaseS(trueS) - phaseAtSyncS) * 1e9;
  const readNs = (trueS: number) => trueS * 1e9 + errorNs(trueS);
  return {
    name,
    readNs,
    errorNs,
    boundPpm,
    intervalNs: (trueS) => {
      const halfNs = boundPpm * 1e-6 * Math.abs(trueS - syncS) * 1e9 + 1;
      return { earliestNs: readNs(trueS) - halfNs, latestNs: readNs(trueS) + halfNs };
    },
  };
}
