// Reading a file the user named: one line saying why not, and which option to fix.
import { readFileSync } from "node:fs";
import { CliError } from "./errors.ts";

export function readUserFile(file: string, encoding: "utf8" | "latin1", fix: string): string {
  try {
    return readFileSync(file).toString(encoding);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "EACCES" || code === "EPERM"
            ? "permission denied"
            : error instanceof Error
              ? error.message
              : String(error);
    throw new CliError(`cannot read ${file}: ${why}; ${fix}`);
  }
}
