// What the wiring cross-checks share: their input, one end of a connection, and the problem builder.
import type { BoardProfile } from "../../boards/index.ts";
import type { GpsModule, Wiring, WiringProblem } from "./types.ts";

export interface CheckInput {
  wiring: Wiring;
  wiringFile: string;
  module: GpsModule;
  moduleFile: string;
  board: BoardProfile;
}

/** One board end of the connection as the checks see it: which JSON path, which board pin. */
export interface End {
  path: string;
  pin: string;
}

export function problem(
  file: string,
  path: string,
  value: unknown,
  expected: string,
  fix: string,
  severity: WiringProblem["severity"] = "error",
): WiringProblem {
  return { severity, file, path, value, expected, fix };
}
