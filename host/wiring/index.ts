// How a GPS module connects to a board (wiring/): loading, checking against boards/, tables and SVG.
export {
  checkWiringFile,
  InvalidWiringError,
  listWiringFiles,
  loadWiring,
  moduleIds,
  type CheckedWiring,
} from "./load.ts";
export { validateWiringData, type WiringCheck, type WiringLookups, type ResolvedModule } from "./validate.ts";
export { connectionProblems, moduleLogicVolts } from "./check.ts";
export { errorsOf, formatProblem } from "./problems.ts";
export { pinsOf, wiringPins, type WiringPins } from "./pins.ts";
export { pinRows, SIGNAL_DESCRIPTIONS, type PinRow, type Signal } from "./table.ts";
export { wiringDiagram, SIGNAL_COLOURS } from "./diagram.ts";
export type * from "./types.ts";
