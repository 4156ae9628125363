// Board profiles: loads every boards/<id>.json next to this module once, validates each, and serves them
// frozen so callers cannot alter the shared copies.
import { readdirSync, readFileSync } from "node:fs";
import { InvalidBoardProfileError, UnknownBoardError } from "./errors.ts";
import type { BoardProfile } from "./types.ts";
import { validateBoardProfile } from "./validate.ts";

export { InvalidBoardProfileError, UnknownBoardError, type ProfileProblem } from "./errors.ts";
export { validateBoardProfile } from "./validate.ts";
export type * from "./types.ts";

const BOARDS_DIR = new URL(".", import.meta.url);
const SCHEMA_FILE = "board.schema.json";

let profilesById: ReadonlyMap<string, BoardProfile> | undefined;

/** Every board profile, sorted by id. */
export function listBoards(): BoardProfile[] {
  return [...loadProfiles().values()];
}

export function boardIds(): string[] {
  return [...loadProfiles().keys()];
}

export function getBoard(id: string): BoardProfile {
  const profile = loadProfiles().get(id);
  if (!profile) throw new UnknownBoardError(id, boardIds());
  return profile;
}

function loadProfiles(): ReadonlyMap<string, BoardProfile> {
  if (profilesById) return profilesById;
  const fileNames = readdirSync(BOARDS_DIR)
    .filter((name) => name.endsWith(".json") && name !== SCHEMA_FILE)
    .sort();
  const profiles = fileNames.map(loadProfileFile).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  profilesById = new Map(profiles.map((profile) => [profile.id, deepFreeze(profile)]));
  return profilesById;
}

function loadProfileFile(fileName: string): BoardProfile {
  const label = `boards/${fileName}`;
  const text = readFileSync(new URL(fileName, BOARDS_DIR), "utf8");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidBoardProfileError(label, [
      { path: "", value: undefined, expected: `must be valid JSON (${reason})` },
    ]);
  }
  return validateBoardProfile(data, label);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
