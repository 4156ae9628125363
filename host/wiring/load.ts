// Reads wiring files and their modules from disk and validates them against boards/.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { boardIds, getBoard, type BoardProfile } from "../../boards/index.ts";
import { formatProblem, errorsOf } from "./problems.ts";
import type { Wiring, GpsModule, WiringProblem } from "./types.ts";
import {
  emptyCheck,
  validateWiringData,
  type ResolvedModule,
  type WiringCheck,
  type WiringLookups,
} from "./validate.ts";
import { describeFsError } from "../fs-error.ts";

export const WIRING_DIR = fileURLToPath(new URL("../../wiring/", import.meta.url));
export const MODULES_DIR = join(WIRING_DIR, "modules");

/** A wiring file with no errors: everything the drawing and the build need. */
export interface CheckedWiring {
  file: string;
  wiring: Wiring;
  board: BoardProfile;
  module: GpsModule;
  moduleFile: string;
  /** Warnings only. */
  problems: WiringProblem[];
}

/** A wiring file that has errors, one line per problem. */
export class InvalidWiringError extends Error {
  constructor(readonly problems: readonly WiringProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "InvalidWiringError";
  }
}

/** Reads and validates `file`; every failure, an unreadable file included, comes back as a problem. */
export function checkWiringFile(file: string): WiringCheck {
  const read = readJson(file);
  if (!read.ok) {
    return {
      ...emptyCheck(file),
      problems: [
        {
          severity: "error",
          file,
          path: "",
          value: undefined,
          expected: read.expected,
          fix: read.fix ?? "check the path; timenode wiring list shows the shipped wiring files",
        },
      ],
    };
  }
  return validateWiringData(read.data, file, diskLookups(file));
}

/** Like checkWiringFile, but throws InvalidWiringError when there is any error. */
export function loadWiring(file: string): CheckedWiring {
  const checked = checkWiringFile(file);
  const { wiring, board, module, moduleFile } = checked;
  if (errorsOf(checked.problems).length > 0 || !wiring || !board || !module || !moduleFile) {
    throw new InvalidWiringError(errorsOf(checked.problems));
  }
  return { file, wiring, board, module, moduleFile, problems: checked.problems };
}

/** The shipped wiring files (wiring/<board>/<module>.json), as paths relative to the working directory. */
export function listWiringFiles(): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(WIRING_DIR).sort()) {
    const folder = join(WIRING_DIR, entry);
    if (entry === "modules" || !statSync(folder).isDirectory()) continue;
    for (const name of readdirSync(folder).sort()) {
      if (name.endsWith(".json")) files.push(displayPath(join(folder, name)));
    }
  }
  return files;
}

/** The shipped module ids (wiring/modules/<id>.json). */
export function moduleIds(): string[] {
  return readdirSync(MODULES_DIR)
    .filter((name) => name.endsWith(".json"))
    .map((name) => name.slice(0, -".json".length))
    .sort();
}

function diskLookups(wiringFile: string): WiringLookups {
  return {
    board: (id) => {
      if (!boardIds().includes(id)) return undefined;
      return getBoard(id);
    },
    boardIds,
    module: (reference) => resolveModule(reference, wiringFile),
  };
}

function resolveModule(reference: string, wiringFile: string): ResolvedModule {
  const isPath = reference.endsWith(".json");
  const absolute = isPath ? resolve(dirname(wiringFile), reference) : join(MODULES_DIR, `${reference}.json`);
  if (!isPath && !existsSync(absolute)) {
    return {
      found: false,
      expected: `is not a module in wiring/modules (known modules: ${moduleIds().join(", ")})`,
      fix: "use one of those ids, or the path of your own module file ending .json",
    };
  }
  const read = readJson(absolute);
  if (!read.ok) {
    return {
      found: false,
      expected: `names ${displayPath(absolute)}, which ${read.expected.replace(/^must be /, "is not ")}`,
      fix: read.fix ?? "check the path: it is relative to the wiring file",
    };
  }
  return { found: true, data: read.data, file: displayPath(absolute) };
}

type ReadResult = { ok: true; data: unknown } | { ok: false; expected: string; fix?: string };

function readJson(file: string): ReadResult {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return { ok: false, expected: `must be readable (${describeFsError(error)})` };
  }
  try {
    return { ok: true, data: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, expected: `must be valid JSON (${reason})`, fix: "correct the JSON syntax" };
  }
}

/** Relative to the working directory when inside it, else absolute. */
function displayPath(absolute: string): string {
  const fromCwd = relative(process.cwd(), absolute);
  return fromCwd && !fromCwd.startsWith("..") && !isAbsolute(fromCwd) ? fromCwd : absolute;
}
