import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { capture, runCli } from "../capture.ts";
import { buildProgram } from "../main.ts";

const run = runCli;

const dir = mkdtempSync(join(tmpdir(), "timenode-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const file = join(dir, name);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, content);
  return file;
}

const TS_SOURCE = "const reading = JSON.parse('{\"x\":1}');\nconst { x } = reading;\nconsole.log(x);\n";

/** Bundles TS_SOURCE (destructuring on line 2, column 7) like the firmware build does. */
function bundle(name: string, sourcemap: "external" | "inline"): { js: string; map: string | null } {
  const entry = write(`${name}/main.ts`, TS_SOURCE);
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    minify: true,
    target: "es2015",
    sourcemap,
    outdir: join(dir, name, "out"),
    logLevel: "silent",
  });
  const js = result.outputFiles.find((file) => file.path.endsWith(".js"))!.text;
  const map = result.outputFiles.find((file) => file.path.endsWith(".map"))?.text ?? null;
  return { js, map };
}

describe("timenode check", () => {
  it("passes a compatible file (exit 0) and says how big it is", async () => {
    const source = "var a = 1;\nfunction f(x) { return x + a; }\nf(2); // “ok”\n";
    const file = write("clean.js", source);
    const { code, stdout, stderr } = await run("check", file);
    expect(code).toBe(0);
    expect(stdout).toEqual([`${file}: Espruino-compatible (${Buffer.byteLength(source)} bytes)`]);
    expect(stderr).toEqual([]);
  });

  it("prints one line per violation and a summary (exit 1)", async () => {
    const file = write("bad.js", "var { a } = o;\nvar m = new Map();\n");
    const { code, stdout } = await run("check", file);
    expect(code).toBe(1);
    expect(stdout).toEqual([
      `${file}:1:5: destructuring is not supported by Espruino; read the properties one by one`,
      `${file}:2:13: Map is not supported by Espruino; use a plain object with string keys: obj[key], key in obj, delete obj[key]`,
      `2 violations in ${file}`,
    ]);
  });

  it("says 1 violation, not 1 violations", async () => {
    const file = write("one.js", "x ** 2;\n");
    expect((await run("check", file)).stdout.at(-1)).toBe(`1 violation in ${file}`);
  });

  it("maps positions through <file>.map to the TypeScript source", async () => {
    const { js, map } = bundle("adjacent", "external");
    const file = write("adjacent/out/main.js", js);
    write("adjacent/out/main.js.map", map!);
    const { code, stdout } = await run("check", file);
    expect(code).toBe(1);
    expect(stdout[0]).toMatch(
      new RegExp(`^${escape(join(dir, "adjacent", "main.ts"))}:2:7: destructuring is not`),
    );
    expect(stdout[0]).toMatch(new RegExp(`\\(${escape(file)}:1:\\d+\\)$`));
  });

  it("shows source paths relative to the working directory when they are inside it", async () => {
    const { js, map } = bundle("relative", "external");
    const file = write("relative/out/main.js", js);
    write("relative/out/main.js.map", map!);
    const previous = process.cwd();
    process.chdir(join(dir, "relative"));
    try {
      const { stdout } = await run("check", "out/main.js");
      expect(stdout[0]).toMatch(
        /^main\.ts:2:7: destructuring is not supported by Espruino; .* \(out\/main\.js:1:\d+\)$/,
      );
    } finally {
      process.chdir(previous);
    }
    expect(file).toContain("relative");
  });

  it("uses the map given with --map", async () => {
    const { js, map } = bundle("explicit", "external");
    const file = write("explicit/out/main.js", js);
    const mapFile = write("explicit/out/elsewhere.map", map!);
    const { stdout } = await run("check", file, "--map", mapFile);
    expect(stdout[0]).toContain(`${join(dir, "explicit", "main.ts")}:2:7:`);
  });

  it("follows an inline sourceMappingURL", async () => {
    const { js } = bundle("inline", "inline");
    const file = write("inline/out/main.js", js);
    const { stdout } = await run("check", file);
    expect(stdout[0]).toContain(`${join(dir, "inline", "main.ts")}:2:7:`);
  });

  it("follows a sourceMappingURL that names another file", async () => {
    const { js, map } = bundle("named", "external");
    const file = write("named/out/main.js", `${js}//# sourceMappingURL=custom.map\n`);
    write("named/out/custom.map", map!);
    const { stdout } = await run("check", file);
    expect(stdout[0]).toContain(`${join(dir, "named", "main.ts")}:2:7:`);
  });

  it("warns and carries on when a sourceMappingURL names a missing map", async () => {
    const file = write("missing-map.js", "a?.b;\n//# sourceMappingURL=gone.map\n");
    const { code, stdout, stderr } = await run("check", file);
    expect(code).toBe(1);
    expect(stdout[0]).toMatch(new RegExp(`^${escape(file)}:1:1: optional chaining`));
    expect(stderr).toEqual([
      `timenode: ${file} names the source map gone.map, which does not exist; positions are in the bundle only`,
    ]);
  });

  it("prints JSON with --json", async () => {
    const file = write("json.js", "var m = new Map();");
    const { code, stdout } = await run("check", file, "--json");
    expect(code).toBe(1);
    expect(JSON.parse(stdout.join("\n"))).toEqual({
      file,
      bytes: 18,
      violations: [
        {
          rule: "builtin/global",
          construct: "Map",
          alternative: "use a plain object with string keys: obj[key], key in obj, delete obj[key]",
          at: { file, line: 1, column: 13 },
          original: null,
        },
      ],
      parseError: null,
    });
  });

  it("reports a clean file as JSON with exit 0", async () => {
    const file = write("json-clean.js", "var a = 1;");
    const { code, stdout } = await run("check", file, "--json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout.join("\n"))).toEqual({ file, bytes: 10, violations: [], parseError: null });
  });

  it("fails on a parse error (exit 1) with one line naming the file and the fix", async () => {
    const file = write("typescript.js", "let x: number = 1;\n");
    const { code, stdout, stderr } = await run("check", file);
    expect(code).toBe(1);
    expect(stdout).toEqual([]);
    expect(stderr).toEqual([
      `timenode: ${file}:1:6: cannot parse ${file} (Unexpected token); check that it is the bundled JavaScript, not TypeScript`,
    ]);
  });

  it("puts a parse error in the JSON (exit 1)", async () => {
    const file = write("broken.js", "var = ;");
    const { code, stdout } = await run("check", file, "--json");
    expect(code).toBe(1);
    expect(JSON.parse(stdout.join("\n")).parseError).toEqual({
      message: "Unexpected token",
      at: { file, line: 1, column: 5 },
    });
  });

  it("fails on an unreadable file (exit 1) with one line naming the file and the fix", async () => {
    const file = join(dir, "nope.js");
    const { code, stderr } = await run("check", file);
    expect(code).toBe(1);
    expect(stderr).toEqual([
      `timenode: cannot read ${file}: no such file; check the path, or build the firmware first`,
    ]);
    expect((await run("check", dir)).stderr).toEqual([
      `timenode: cannot read ${dir}: it is a directory; check the path, or build the firmware first`,
    ]);
  });

  it("fails when the --map file is missing or is not a source map", async () => {
    const file = write("with-map.js", "var a = 1;");
    const missing = await run("check", file, "--map", join(dir, "none.map"));
    expect(missing.code).toBe(1);
    expect(missing.stderr[0]).toContain(
      `cannot read source map ${join(dir, "none.map")}: no such file; check the --map path`,
    );
    const notMap = write("not.map", '{"hello": 1}');
    const invalid = await run("check", file, "--map", notMap);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr[0]).toContain(`${notMap} is not a usable source map`);
  });

  it("skips an unusable <file>.map with a warning", async () => {
    const file = write("skip.js", "x ** 2;");
    write("skip.js.map", "not json");
    const { code, stdout, stderr } = await run("check", file);
    expect(code).toBe(1);
    expect(stdout[0]).toMatch(new RegExp(`^${escape(file)}:1:1: exponent operator`));
    expect(stderr[0]).toMatch(/^timenode: ignoring .*skip\.js\.map: .*; positions are in the bundle only$/);
  });

  it("is a usage error (exit 2) without a file", async () => {
    const { code, stderr } = await run("check");
    expect(code).toBe(2);
    expect(stderr.join("\n")).toContain("missing required argument 'file.js'");
  });

  it("describes itself in --help", () => {
    const check = buildProgram(capture().ctx).commands.find((command) => command.name() === "check")!;
    let help = "";
    check.configureOutput({ writeOut: (text) => void (help += text) });
    check.outputHelp();
    expect(help).toContain("Usage: timenode check [options] <file.js>");
    expect(help).toContain("--map <file>");
    expect(help).toContain("--json");
    expect(help).toContain("Espruino silently never matches them");
    expect(help).toContain("Exit status: 0 compatible, 1 violations");
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
