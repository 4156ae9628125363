import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildSync } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { checkScript } from "./index.ts";
import { createOriginalLocator, decodeDataUrl, findSourceMappingUrl, parseSourceMap } from "./source-map.ts";

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "timenode-checker-"));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const SOURCE = [
  "export function sum(values: number[]): number {",
  "  let total = 0;",
  "  for (const v of values) total += v;",
  "  return total;",
  "}",
  'const reading: { x: number; y: number } = JSON.parse(\'{"x":1,"y":2}\');',
  "const { x, y } = reading;",
  "console.log(sum([x, y]));",
  "",
].join("\n");

function bundle(): { js: string; map: string } {
  const entry = path.join(workDir, "main.ts");
  fs.writeFileSync(entry, SOURCE);
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    minify: true,
    target: "es2015",
    sourcemap: "external",
    outdir: path.join(workDir, "out"),
    logLevel: "silent",
  });
  const text = (suffix: string): string =>
    result.outputFiles.find((file) => file.path.endsWith(suffix))!.text;
  return { js: text(".js"), map: text(".js.map") };
}

describe("source maps", () => {
  it("points a violation in an esbuild bundle at the TypeScript line and column", () => {
    const { js, map } = bundle();
    const result = checkScript(js, { fileName: "main.js", sourceMap: map });
    expect(result.parseError).toBeNull();
    const destructuring = result.violations.find((violation) => violation.rule === "syntax/destructuring");
    expect(destructuring?.at.file).toBe("main.js");
    expect(destructuring?.original).toEqual({ file: "../main.ts", line: 7, column: 7 });
  });

  it("accepts the map as an object", () => {
    const { js, map } = bundle();
    const [violation] = checkScript(js, { sourceMap: JSON.parse(map) as object }).violations;
    expect(violation?.original?.line).toBe(7);
  });

  it("leaves original null without a map, with an unusable map, and where nothing is mapped", () => {
    expect(checkScript("var { a } = o;").violations[0]?.original).toBeNull();
    expect(checkScript("var { a } = o;", { sourceMap: "not json" }).violations[0]?.original).toBeNull();
    expect(checkScript("var { a } = o;", { sourceMap: { version: 3 } }).violations[0]?.original).toBeNull();
    const empty = { version: 3, sources: [], names: [], mappings: "" };
    expect(checkScript("var { a } = o;", { sourceMap: empty }).violations[0]?.original).toBeNull();
  });

  it("says why a map cannot be used", () => {
    expect(() => parseSourceMap("[]")).toThrow("a source map must be a JSON object");
    expect(() => parseSourceMap({ version: 3 })).toThrow("not a source map");
    expect(() => parseSourceMap("{")).toThrow(SyntaxError);
    expect(createOriginalLocator("{")).toBeNull();
  });

  it("finds the last sourceMappingURL comment", () => {
    expect(
      findSourceMappingUrl("a();\n//# sourceMappingURL=old.map\nb();\n//# sourceMappingURL=main.js.map\n"),
    ).toBe("main.js.map");
    expect(findSourceMappingUrl("a(); //@ sourceMappingURL=x.map")).toBe("x.map");
    expect(findSourceMappingUrl("a();")).toBeNull();
  });

  it("decodes base64 and percent-encoded data URLs", () => {
    const json = '{"version":3}';
    const base64 = Buffer.from(json).toString("base64");
    expect(decodeDataUrl(`data:application/json;charset=utf-8;base64,${base64}`)).toBe(json);
    expect(decodeDataUrl(`data:application/json,${encodeURIComponent(json)}`)).toBe(json);
    expect(decodeDataUrl("main.js.map")).toBeNull();
    expect(decodeDataUrl("data:application/json,%E0%A4%A")).toBeNull();
  });
});
