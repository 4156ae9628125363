import type { RegisterCommand } from "../main.ts";
import { registerBoards } from "./boards.ts";
import { registerBuild } from "./build.ts";
import { registerCheck } from "./check.ts";
import { registerChrony } from "./chrony.ts";
import { registerCollect } from "./collect.ts";
import { registerExport } from "./export.ts";
import { registerFlash } from "./flash.ts";
import { registerGpioPps } from "./gpio-pps.ts";
import { registerLab } from "./lab.ts";
import { registerNmea } from "./nmea.ts";
import { registerNow } from "./now.ts";
import { registerPorts } from "./ports.ts";
import { registerReport } from "./report.ts";
import { registerSim } from "./sim.ts";
import { registerStab } from "./stab.ts";
import { registerSync } from "./sync.ts";
import { registerWiring } from "./wiring.ts";

/** Every CLI command, in the order `timenode --help` lists them. */
export const commands: RegisterCommand[] = [
  registerBoards,
  registerBuild,
  registerCheck,
  registerChrony,
  registerCollect,
  registerExport,
  registerFlash,
  registerGpioPps,
  registerLab,
  registerNmea,
  registerNow,
  registerPorts,
  registerReport,
  registerSim,
  registerStab,
  registerSync,
  registerWiring,
];
