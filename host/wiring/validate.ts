// Validates wiring data end to end: its schema, its board, its module (schema and id), then the
// cross-checks. Pure apart from what the injected lookups do; never throws, whatever the data.
import type { BoardProfile } from "../../boards/index.ts";
import { connectionProblems } from "./check.ts";
import { schemaProblems } from "./schema.ts";
import type { GpsModule, Wiring, WiringProblem } from "./types.ts";

/** A module file found for a reference, or why none was. */
export type ResolvedModule =
  { found: true; data: unknown; file: string } | { found: false; expected: string; fix: string };

export interface WiringLookups {
  board(id: string): BoardProfile | undefined;
  boardIds(): readonly string[];
  /** The module file `reference` names (a module id, or a path relative to the wiring file). */
  module(reference: string): ResolvedModule;
}

export interface WiringCheck {
  file: string;
  /** Each is null until the step that produces it passes. */
  wiring: Wiring | null;
  board: BoardProfile | null;
  module: GpsModule | null;
  moduleFile: string | null;
  problems: WiringProblem[];
}

/** A check of `file` before any step has passed. */
export function emptyCheck(file: string): WiringCheck {
  return { file, wiring: null, board: null, module: null, moduleFile: null, problems: [] };
}

export function validateWiringData(data: unknown, file: string, lookups: WiringLookups): WiringCheck {
  const result = emptyCheck(file);
  const structural = schemaProblems("wiring", data, file);
  if (structural.length > 0) return { ...result, problems: structural };
  const wiring = data as Wiring;
  result.wiring = wiring;

  const board = lookups.board(wiring.board);
  if (!board) {
    result.problems.push({
      severity: "error",
      file,
      path: "/board",
      value: wiring.board,
      expected: `is not a board profile (known boards: ${lookups.boardIds().join(", ")})`,
      fix: "use one of those ids (timenode boards lists them)",
    });
  } else {
    result.board = board;
  }

  const resolved = lookups.module(wiring.module);
  if (!resolved.found) {
    result.problems.push({
      severity: "error",
      file,
      path: "/module",
      value: wiring.module,
      expected: resolved.expected,
      fix: resolved.fix,
    });
    return result;
  }
  result.moduleFile = resolved.file;
  const moduleProblems = schemaProblems("module", resolved.data, resolved.file);
  if (moduleProblems.length > 0) {
    result.problems.push(...moduleProblems);
    return result;
  }
  const module = resolved.data as GpsModule;
  result.module = module;
  result.problems.push(...moduleConsistency(module, wiring, resolved.file));
  if (!board || result.problems.length > 0) return result;

  result.problems.push(
    ...connectionProblems({ wiring, wiringFile: file, module, moduleFile: resolved.file, board }),
  );
  return result;
}

function moduleConsistency(module: GpsModule, wiring: Wiring, moduleFile: string): WiringProblem[] {
  const problems: WiringProblem[] = [];
  const isId = !wiring.module.endsWith(".json");
  if (isId && module.id !== wiring.module) {
    problems.push({
      severity: "error",
      file: moduleFile,
      path: "/id",
      value: module.id,
      expected: `must equal the file name "${wiring.module}"`,
      fix: `rename the id to "${wiring.module}"`,
    });
  }
  const supply = module.supplyVolts.value;
  if (supply.min > supply.max) {
    problems.push({
      severity: "error",
      file: moduleFile,
      path: "/supplyVolts/value/min",
      value: supply.min,
      expected: `must not exceed /supplyVolts/value/max (${supply.max})`,
      fix: "swap min and max",
    });
  }
  return problems;
}
