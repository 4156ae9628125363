// Reading a file the user named: one line saying why not, and which option to fix.
import { readFileSync } from "node:fs";
import { describeFsError } from "../fs-error.ts";
import { CliError } from "./errors.ts";

export function readUserFile(file: string, encoding: "utf8" | "latin1", fix: string): string {
  try {
    return readFileSync(file).toString(encoding);
  } catch (error) {
    const why = describeFsError(error);
    throw new CliError(`cannot read ${file}: ${why}; ${fix}`);
  }
}
