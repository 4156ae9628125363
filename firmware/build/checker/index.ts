// Espruino-compatibility checker: reports every construct of a bundled script that Espruino cannot
// run (../../../../shared/reference/espruino.md §4), with the Espruino-safe alternative.
import { analyze } from "./analysis.ts";
import { checkBuiltins } from "./builtins.ts";
import { checkHoisting } from "./hoisting.ts";
import { LineIndex } from "./lines.ts";
import { checkLoopCapture } from "./loop-capture.ts";
import { parseScript } from "./parse.ts";
import { checkRegex } from "./regex.ts";
import { createOriginalLocator } from "./source-map.ts";
import { checkStaticInheritance } from "./static-inheritance.ts";
import { checkSyntax } from "./syntax.ts";
import type { CheckResult, Finding, Rule, Violation } from "./types.ts";

export type { CheckResult, SourcePosition, Violation } from "./types.ts";
export { formatViolation } from "./format.ts";

export interface CheckOptions {
  /** Name of the checked file in positions; default "<script>". */
  fileName?: string;
  /** Source map of the checked code (JSON text or object); an unusable map is ignored. */
  sourceMap?: string | object;
}

const RULES: readonly Rule[] = [
  checkSyntax,
  checkRegex,
  checkBuiltins,
  checkHoisting,
  checkLoopCapture,
  checkStaticInheritance,
];

/** Checks a script; never throws: anything unparsable is reported as `parseError`. */
export function checkScript(code: string, options: CheckOptions = {}): CheckResult {
  const file = options.fileName ?? "<script>";
  const text = typeof code === "string" ? code : String(code);
  let findings: Finding[];
  try {
    const parsed = parseScript(text);
    if (!parsed.ok) {
      return {
        violations: [],
        parseError: { message: parsed.message, at: { file, line: parsed.line, column: parsed.column } },
      };
    }
    const analysis = analyze(text, parsed.program);
    findings = RULES.flatMap((rule) => rule(analysis));
  } catch (error) {
    // Only a program nested deeper than the call stack gets here (the analysis recurses).
    const reason = error instanceof RangeError ? "the script is nested too deeply to check" : String(error);
    return { violations: [], parseError: { message: reason, at: { file, line: 1, column: 1 } } };
  }
  return { violations: toViolations(text, findings, file, options.sourceMap), parseError: null };
}

function toViolations(
  code: string,
  findings: Finding[],
  file: string,
  sourceMap: string | object | undefined,
): Violation[] {
  const lines = new LineIndex(code);
  const locate = createOriginalLocator(sourceMap);
  findings.sort((a, b) => a.offset - b.offset || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return findings.map(({ rule, construct, alternative, offset }) => {
    const { line, column } = lines.positionOf(offset);
    return {
      rule,
      construct,
      alternative,
      at: { file, line, column },
      original: locate ? locate(line, column) : null,
    };
  });
}
