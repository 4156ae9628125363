// Shared by the checker's tests: snippets in, "rule@line:column" out.
import { expect, it } from "vitest";
import { checkScript } from "./index.ts";

/** Where the nth occurrence of `needle` starts in `code`, as "line:column" (1-based). */
export function positionOf(code: string, needle: string, occurrence = 1): string {
  let index = -1;
  for (let n = 0; n < occurrence; n++) {
    index = code.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`"${needle}" (occurrence ${occurrence}) is not in: ${code}`);
  }
  const before = code.slice(0, index);
  return `${before.split("\n").length}:${index - before.lastIndexOf("\n")}`;
}

/** The violations of a snippet that must parse, as "rule@line:column". */
export function violationsOf(code: string): string[] {
  const result = checkScript(code);
  if (result.parseError) throw new Error(`snippet does not parse (${result.parseError.message}): ${code}`);
  return result.violations.map(
    (violation) => `${violation.rule}@${violation.at.line}:${violation.at.column}`,
  );
}

/** [rule, text the violation starts at, which occurrence of that text (default 1)] */
export type Expected = [rule: string, needle: string, occurrence?: number];

export interface RuleCase {
  name: string;
  /** Espruino cannot run this. */
  bad: string;
  expected: Expected[];
  /** The Espruino-safe rewrite of `bad`. */
  good: string;
}

/** Two tests per case: the construct is flagged exactly where expected, and its rewrite is clean. */
export function testRuleCases(cases: readonly RuleCase[]): void {
  for (const { name, bad, expected, good } of cases) {
    it(`flags ${name}`, () => {
      const wanted = expected.map(
        ([rule, needle, occurrence]) => `${rule}@${positionOf(bad, needle, occurrence)}`,
      );
      expect(violationsOf(bad)).toEqual(wanted);
    });
    it(`accepts the rewrite of ${name}`, () => {
      expect(violationsOf(good)).toEqual([]);
    });
  }
}
