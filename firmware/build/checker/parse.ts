import { parse, type Program } from "acorn";

export type ParseOutcome =
  { ok: true; program: Program } | { ok: false; message: string; line: number; column: number };

/**
 * Parses as a classic script, as Espruino runs it; only if that fails, as a module (a bundle that still
 * has `import`/`export`). The script error is the one reported: it is what Espruino would hit.
 */
export function parseScript(code: string): ParseOutcome {
  let scriptError: unknown;
  try {
    return {
      ok: true,
      program: parse(code, { ecmaVersion: "latest", sourceType: "script", locations: true }),
    };
  } catch (error) {
    scriptError = error;
  }
  try {
    return {
      ok: true,
      program: parse(code, { ecmaVersion: "latest", sourceType: "module", locations: true }),
    };
  } catch {
    return describeParseError(scriptError);
  }
}

function describeParseError(error: unknown): ParseOutcome & { ok: false } {
  const loc = (error as { loc?: { line?: unknown; column?: unknown } } | null)?.loc;
  const line = typeof loc?.line === "number" ? loc.line : 1;
  const column = typeof loc?.column === "number" ? loc.column + 1 : 1;
  const raw = error instanceof Error ? error.message : String(error);
  if (error instanceof RangeError) {
    return { ok: false, message: "the script is nested too deeply to parse", line, column };
  }
  // acorn appends " (line:column)", which the position already says.
  return { ok: false, message: raw.replace(/ \(\d+:\d+\)$/, ""), line, column };
}
