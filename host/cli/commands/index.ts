import type { RegisterCommand } from "../main.ts";
import { registerBoards } from "./boards.ts";
import { registerBuild } from "./build.ts";
import { registerCheck } from "./check.ts";
import { registerCollect } from "./collect.ts";
import { registerNmea } from "./nmea.ts";
import { registerSim } from "./sim.ts";

/** Every CLI command, in the order `timenode --help` lists them. */
export const commands: RegisterCommand[] = [
  registerBoards,
  registerBuild,
  registerCheck,
  registerCollect,
  registerNmea,
  registerSim,
];
