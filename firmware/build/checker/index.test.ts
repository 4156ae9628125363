import { getLineInfo } from "acorn";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkScript, formatViolation, type CheckResult } from "./index.ts";
import { positionOf, violationsOf } from "./test-helpers.ts";

function isSorted(result: CheckResult): boolean {
  return result.violations.every((violation, i) => {
    const previous = result.violations[i - 1];
    if (!previous) return true;
    const { line, column } = violation.at;
    return previous.at.line < line || (previous.at.line === line && previous.at.column <= column);
  });
}

describe("checkScript", () => {
  it("reports a parse error with its position instead of throwing", () => {
    const result = checkScript("var ok = 1;\nvar broken = ;", { fileName: "bundle.js" });
    expect(result.violations).toEqual([]);
    expect(result.parseError).toEqual({
      message: "Unexpected token",
      at: { file: "bundle.js", line: 2, column: 14 },
    });
  });

  it("reports TypeScript that was not compiled as a parse error", () => {
    expect(checkScript("let x: number = 1;").parseError?.message).toBe("Unexpected token");
  });

  it("falls back to module parsing for import/export", () => {
    const result = checkScript('import { a } from "./a.js";\nexport const b = a ** 2;');
    expect(result.parseError).toBeNull();
    expect(result.violations.map((violation) => violation.rule)).toEqual(["syntax/exponentiation"]);
  });

  it("names the file <script> by default", () => {
    expect(checkScript("a?.b").violations[0]?.at).toEqual({ file: "<script>", line: 1, column: 1 });
  });

  it("sorts violations by position across rules", () => {
    const code = "main();\nvar m = new Map();\nfunction main() { var { a } = o; return a ** 2; }";
    expect(violationsOf(code)).toEqual([
      `hoisting/function@${positionOf(code, "main")}`,
      `builtin/global@${positionOf(code, "Map")}`,
      `syntax/destructuring@${positionOf(code, "{ a }")}`,
      `syntax/exponentiation@${positionOf(code, "a ** 2")}`,
    ]);
  });

  it("counts lines after CR, CRLF and Unicode line separators as acorn does", () => {
    const code = "a ** 2;\r\nb ** 2;\rc ** 2;\u2028d ** 2;\u2029 e ** 2;";
    const lines = checkScript(code).violations.map(
      (violation) => `${violation.at.line}:${violation.at.column}`,
    );
    const acornLines = ["a", "b", "c", "d", "e"].map((name) => {
      const { line, column } = getLineInfo(code, code.indexOf(`${name} **`));
      return `${line}:${column + 1}`;
    });
    expect(lines).toEqual(acornLines);
    expect(lines).toEqual(["1:1", "2:1", "3:1", "4:1", "5:2"]);
  });

  it("survives programs nested deeper than the call stack", () => {
    const deep = "x = " + "[".repeat(20000) + "]".repeat(20000) + ";";
    expect(() => checkScript(deep)).not.toThrow();
    expect(checkScript("[".repeat(100000)).parseError).not.toBeNull();
  });

  it("never throws, whatever the input", () => {
    const jsTokens = fc.constantFrom(
      ...[
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        ";",
        ",",
        ":",
        "=",
        "=>",
        "...",
        "?.",
        "**",
        "?",
        ".",
        "+",
        "/",
        "`",
        "${",
      ],
      ...[
        "function",
        "class",
        "extends",
        "static",
        "let",
        "const",
        "var",
        "for",
        "of",
        "in",
        "while",
        "async",
      ],
      ...[
        "await",
        "yield",
        "new",
        "return",
        "x",
        "Map",
        "RegExp",
        "Math",
        "trunc",
        '"a{2}"',
        "/a(?=b)/y",
        "10n",
        " ",
      ],
    );
    const input = fc.oneof(
      fc.string(),
      fc.array(jsTokens, { maxLength: 40 }).map((tokens) => tokens.join(" ")),
    );
    fc.assert(
      fc.property(input, (code) => {
        const result = checkScript(code);
        expect(result.parseError === null || result.violations.length === 0).toBe(true);
        expect(isSorted(result)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws, whatever the source map", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.object(), fc.anything()), (sourceMap) => {
        const map = typeof sourceMap === "object" && sourceMap !== null ? sourceMap : String(sourceMap);
        const result = checkScript("var { a } = o;", { sourceMap: map });
        expect(result.violations).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });

  it("finds nothing in programs built only from constructs Espruino runs", () => {
    const prelude = [
      "var a = 1, b = 2, c = 3, total = 0;",
      "var callbacks = [];",
      "function helper(x) { return x; }",
      "class Point { constructor(x, y) { this.x = x; this.y = y; } sum() { return this.x + this.y; } static origin() { return new Point(0, 0); } }",
      "class Point3 extends Point { constructor(x, y, z) { super(x, y); this.z = z; } }",
    ].join("\n");
    const { statements } = fc.letrec<{ expression: string; statement: string; statements: string }>(
      (tie) => ({
        expression: fc.oneof(
          { depthSize: "small", withCrossShrink: true },
          fc.integer({ min: 0, max: 1000 }).map(String),
          fc.constantFrom("a", "b", "c", "total", '"text"', "true", "null", "[1, 2]", '/ab+c/g.test("abc")'),
          fc.constantFrom("`t${a}`", "Point.origin().sum()", "Object.keys({ k: 1 }).length", "Math.sign(-1)"),
          fc
            .tuple(
              tie("expression"),
              fc.constantFrom("+", "-", "*", "/", "%", "&&", "||", "??", "===", "<", "&", ">>>"),
              tie("expression"),
            )
            .map(([left, operator, right]) => `(${left} ${operator} ${right})`),
          tie("expression").map((e) => `Math.floor(${e})`),
          tie("expression").map((e) => `Math.pow(${e}, 2)`),
          tie("expression").map((e) => `helper(${e})`),
          tie("expression").map((e) => `[${e}].map(function (v) { return v; })`),
          tie("expression").map((e) => `((q) => q + 1)(${e})`),
          tie("expression").map((e) => `({ key: ${e} }).key`),
          tie("expression").map((e) => `new Point3(${e}, 1, 2).sum()`),
          fc.tuple(tie("expression"), tie("expression")).map(([p, q]) => `(${p} ? ${q} : ${p})`),
        ),
        statement: fc.oneof(
          { depthSize: "small", withCrossShrink: true },
          tie("expression").map((e) => `a = ${e};`),
          tie("expression").map((e) => `callbacks.push(function () { return ${e}; });`),
          fc.constantFrom(
            "for (let j = 0; j < 2; j++) { total += j; }",
            "for (const item of [1, 2]) total += item;",
          ),
          fc
            .tuple(tie("expression"), tie("statements"), tie("statements"))
            .map(([e, s, t]) => `if (${e}) { ${s} } else { ${t} }`),
          tie("statements").map((s) => `for (var i = 0; i < 3; i++) { ${s} }`),
          tie("statements").map((s) => `try { ${s} } catch (e) { helper(e); }`),
          fc
            .tuple(tie("expression"), tie("statements"))
            .map(([e, s]) => `switch (${e}) { case 1: ${s} break; default: }`),
        ),
        statements: fc.array(tie("statement"), { maxLength: 4 }).map((list) => list.join("\n")),
      }),
    );
    fc.assert(
      fc.property(statements, (body) => {
        const result = checkScript(`${prelude}\n${body}`);
        expect(result.parseError).toBeNull();
        expect(result.violations.map(formatViolation)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("checks a 50 kB bundle and finds exactly its two violations (speed: `npm run bench`)", () => {
    const parts: string[] = [];
    for (let i = 0, size = 0; size < 50_000; i++) {
      const part =
        `function f${i}(a, b) { var s = 0; for (var k = 0; k < a.length; k++) { s += a[k] * b; }` +
        ` if (s > ${i}) { return { v: s, n: "${i}" }; } return Math.floor(s / 2); }\n` +
        `var r${i} = f${i}([1, 2, 3], ${i}); class C${i} { m() { return r${i}; } }\n`;
      parts.push(part);
      size += part.length;
    }
    const code = parts.join("") + "var { late } = o; Math.trunc(1);";
    expect(checkScript(code).violations).toHaveLength(2);
  });
});
