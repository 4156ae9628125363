import { consistencyProblems } from "./consistency.ts";
import { InvalidBoardProfileError } from "./errors.ts";
import { schemaProblems } from "./schema-problems.ts";
import type { BoardProfile } from "./types.ts";

/**
 * Checks `data` against boards/board.schema.json and the cross-field rules, and returns it typed.
 * `label` names the source in messages (e.g. "boards/pico.json"); when it ends in ".json" the file name
 * must equal the id. Throws InvalidBoardProfileError listing every problem, one per line.
 */
export function validateBoardProfile(data: unknown, label: string): BoardProfile {
  const structural = schemaProblems(data);
  if (structural.length > 0) throw new InvalidBoardProfileError(label, structural);
  const profile = data as BoardProfile;
  const crossField = consistencyProblems(profile, label);
  if (crossField.length > 0) throw new InvalidBoardProfileError(label, crossField);
  return profile;
}
