// Cross-checks of a schema-valid wiring file against its board profile and its module's facts. Pure:
// every rule returns problems, none throws.
import { levelProblems, powerProblems, pulseProblems } from "./check-electrical.ts";
import type { CheckInput, End } from "./check-common.ts";
import {
  boardPins,
  missingPinProblem,
  ppsAvailableProblems,
  ppsProblems,
  sharedPinProblems,
  uartProblems,
} from "./check-pins.ts";
import type { BoardPinEnd, Wiring, WiringProblem } from "./types.ts";

export type { CheckInput } from "./check-common.ts";
export { boardPins } from "./check-pins.ts";
export { moduleLogicVolts } from "./check-electrical.ts";

export function connectionProblems(input: CheckInput): WiringProblem[] {
  const ends = pinEnds(input.wiring);
  const existing = ends.filter((end) => boardPins(input.board).has(end.pin));
  return [
    ...ppsAvailableProblems(input),
    ...ends.filter((end) => !existing.includes(end)).map((end) => missingPinProblem(input, end)),
    ...ppsProblems(input, existing),
    ...uartProblems(input, existing),
    ...sharedPinProblems(input, existing),
    ...powerProblems(input),
    // With its I/O following an out-of-range supply, the module's levels would be noise on top of that.
    ...(input.module.logicVolts.value === "supply" && powerProblems(input).length > 0
      ? []
      : levelProblems(input, existing)),
    ...pulseProblems(input),
  ];
}

/** Every board pin the wiring names, with its JSON path. */
function pinEnds(wiring: Wiring): End[] {
  const { connections } = wiring;
  const ends: End[] = [
    { path: "/connections/pps/boardPin", pin: connections.pps.boardPin },
    { path: "/connections/moduleTxToBoardRx/boardPin", pin: connections.moduleTxToBoardRx.boardPin },
  ];
  const tx: BoardPinEnd | undefined = connections.boardTxToModuleRx;
  if (tx) ends.push({ path: "/connections/boardTxToModuleRx/boardPin", pin: tx.boardPin });
  return ends;
}
