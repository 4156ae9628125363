import { describe, expect, it } from "vitest";
import { formatViolation } from "./format.ts";
import type { Violation } from "./types.ts";

const violation: Violation = {
  rule: "syntax/destructuring",
  construct: "destructuring",
  alternative: "read the properties one by one",
  at: { file: "bundle.js", line: 1, column: 345 },
  original: { file: "src/main.ts", line: 12, column: 5 },
};

describe("formatViolation", () => {
  it("leads with the original position and ends with the bundle position", () => {
    expect(formatViolation(violation)).toBe(
      "src/main.ts:12:5: destructuring is not supported by Espruino; read the properties one by one (bundle.js:1:345)",
    );
  });

  it("uses the bundle position alone without a mapping", () => {
    expect(formatViolation({ ...violation, original: null })).toBe(
      "bundle.js:1:345: destructuring is not supported by Espruino; read the properties one by one",
    );
  });
});
