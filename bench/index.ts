// `npm run bench`: every benchmark, one JSON document on stdout. Figures are wall-clock on this
// machine; compare runs on the same machine only.
import { cpus } from "node:os";
import { benchChecker } from "./checker.ts";
import { benchCollect } from "./collect.ts";
import { benchLab } from "./lab.ts";
import { benchServo } from "./servo.ts";
import { benchStability } from "./stability.ts";
import { benchTimeCore } from "./timecore.ts";
import { benchTruth } from "./truth.ts";

const results = {
  machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? "unknown" },
  checker: benchChecker(),
  servo: benchServo(),
  timeCore: benchTimeCore(),
  lab: benchLab(),
  collect: benchCollect(),
  stability: benchStability(),
  truth: benchTruth(),
};
process.stdout.write(JSON.stringify(results, null, 2) + "\n");
