import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listWiringFiles, loadWiring, pinRows, type Wiring } from "../../wiring/index.ts";
import { runCli } from "../capture.ts";
import { EXIT_FAILURE, EXIT_OK } from "../errors.ts";

const dir = mkdtempSync(join(tmpdir(), "timenode-wiring-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return file;
}

/** The shipped wiring `board`/`module`, edited, written to the temporary directory. */
function edited(board: string, module: string, edit: (wiring: Wiring) => void): string {
  const wiring = JSON.parse(readFileSync(`wiring/${board}/${module}.json`, "utf8")) as Wiring;
  edit(wiring);
  return write(`${board}-${module}-${Math.random().toString(36).slice(2)}.json`, wiring);
}

/**
 * A minimal XML well-formedness check: one root element, every tag closed in order, attribute values
 * quoted, no stray "<" or "&" in text, and only the five predefined entities or character references.
 */
function wellFormedXml(xml: string): string | null {
  let rest = xml.replace(/^<\?xml[^?]*\?>\s*/, "");
  const stack: string[] = [];
  let roots = 0;
  while (rest.length > 0) {
    const lt = rest.indexOf("<");
    const text = lt === -1 ? rest : rest.slice(0, lt);
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) return `bad entity in text "${text}"`;
    if (text.trim() !== "" && stack.length === 0) return `text outside the root: "${text}"`;
    if (lt === -1) break;
    rest = rest.slice(lt);
    const tag = /^<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/.exec(rest);
    if (!tag) return `malformed tag at "${rest.slice(0, 40)}"`;
    const [whole, closing, name, attrs, selfClosing] = tag;
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(attrs ?? "")) return `bad entity in <${name}>`;
    if (closing) {
      if (stack.pop() !== name) return `</${name}> does not close the open element`;
    } else {
      if (stack.length === 0 && ++roots > 1) return "more than one root element";
      if (!selfClosing) stack.push(name!);
    }
    rest = rest.slice(whole.length);
  }
  return stack.length === 0 && roots === 1 ? null : `unclosed: ${stack.join(", ")}`;
}

describe("wellFormedXml (this test's own checker)", () => {
  it("accepts well-formed documents and rejects broken ones", () => {
    expect(wellFormedXml('<?xml version="1.0"?>\n<a x="1"><b/>t &amp; u</a>\n')).toBeNull();
    expect(wellFormedXml("<a><b></a></b>")).not.toBeNull();
    expect(wellFormedXml("<a>1 & 2</a>")).not.toBeNull();
    expect(wellFormedXml("<a x=1></a>")).not.toBeNull();
    expect(wellFormedXml("<a></a><b></b>")).not.toBeNull();
    expect(wellFormedXml("<a>")).not.toBeNull();
  });
});

describe("timenode wiring check", () => {
  it("passes every shipped wiring file with a one-line OK (exit 0)", async () => {
    const files = listWiringFiles();
    expect(files.length).toBeGreaterThanOrEqual(35);
    for (const file of files) {
      const { code, stdout, stderr } = await runCli("wiring", "check", file);
      expect(code, file).toBe(EXIT_OK);
      expect(stderr, file).toEqual([]);
      expect(stdout).toHaveLength(1);
      expect(stdout[0]).toMatch(
        new RegExp(`^${file.replace(/[.]/g, "\\.")}: OK \\(.+ → .+: PPS \\w+, Serial\\d`),
      );
    }
  });

  it("covers the five modules on every board the brief names", () => {
    const boards = ["pico", "esp32", "espruino-wifi", "puckjs", "esp8266", "espruino-original", "mdbt42q"];
    const modules = ["neo-6m", "neo-m8n", "lea-m8t", "zed-f9t", "generic-pps"];
    const files = new Set(listWiringFiles());
    for (const board of boards)
      for (const module of modules) expect(files).toContain(`wiring/${board}/${module}.json`);
    for (const file of files) {
      const { wiring } = loadWiring(file);
      expect(file).toBe(`wiring/${wiring.board}/${wiring.module}.json`);
    }
  });

  it("fails naming a pin the board lacks (exit 1)", async () => {
    const file = edited("pico", "neo-6m", (w) => (w.connections.pps.boardPin = "C13"));
    const { code, stdout } = await runCli("wiring", "check", file);
    expect(code).toBe(EXIT_FAILURE);
    expect(stdout).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${file}: /connections/pps/boardPin = "C13": board pico has no pin C13 \\(.*\\); use one of its pins, e.g. A8$`,
        ),
      ),
      `1 error in ${file}`,
    ]);
  });

  it("fails a 5 V-logic module wired into pins that are not 5 V tolerant, naming the pins", async () => {
    write("five-volt.json", {
      ...JSON.parse(readFileSync("wiring/modules/generic-pps.json", "utf8")),
      id: "five-volt",
      name: "5 V logic module",
      supplyVolts: { value: { min: 4.5, max: 5.5 }, source: "test fixture" },
      logicVolts: { value: 5, source: "test fixture" },
    });
    const file = edited("mdbt42q", "generic-pps", (w) => {
      w.module = "./five-volt.json";
      w.connections.power = { from: "external", volts: 5, description: "5 V bench supply" };
      delete w.connections.boardTxToModuleRx;
    });
    const { code, stdout } = await runCli("wiring", "check", file);
    expect(code).toBe(EXIT_FAILURE);
    expect(stdout).toHaveLength(3);
    expect(stdout[0]).toContain(
      '/connections/pps/boardPin = "D27": 5 V logic module drives 5 V logic into D27, and D27 is not 5 V tolerant',
    );
    expect(stdout[1]).toContain(
      '/connections/moduleTxToBoardRx/boardPin = "D26": 5 V logic module drives 5 V logic into D26, and D26 is not 5 V tolerant',
    );
    expect(stdout[2]).toBe(`2 errors in ${file}`);
  });

  it("prints the problems as JSON with --json, still exiting 1", async () => {
    const file = edited("pico", "neo-6m", (w) => (w.connections.pps.boardPin = "B9"));
    const { code, stdout } = await runCli("wiring", "check", file, "--json");
    expect(code).toBe(EXIT_FAILURE);
    const report = JSON.parse(stdout[0]!) as {
      ok: boolean;
      pins: unknown;
      problems: { path: string; message: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.pins).toBeNull();
    expect(report.problems.map((p) => p.path)).toEqual(["/connections/pps/boardPin"]);
    expect(report.problems[0]!.message).toContain("shares EXTI line 9 with A9");
  });

  it("gives one line for an unreadable or unparsable file", async () => {
    const missing = join(dir, "missing.json");
    const notJson = write("broken.json", "{ board: pico");
    const a = await runCli("wiring", "check", missing);
    expect(a.code).toBe(EXIT_FAILURE);
    expect(a.stdout[0]).toBe(
      `${missing}: / = (missing): must be readable (no such file); check the path; timenode wiring list shows the shipped wiring files`,
    );
    const b = await runCli("wiring", "check", notJson);
    expect(b.code).toBe(EXIT_FAILURE);
    expect(b.stdout[0]).toMatch(/: \/ = \(missing\): must be valid JSON \(.*\); correct the JSON syntax$/);
  });

  it("prints warnings on stderr and still passes (exit 0)", async () => {
    const file = edited("esp8266", "neo-6m", (w) => (w.connections.boardTxToModuleRx = { boardPin: "D1" }));
    const { code, stdout, stderr } = await runCli("wiring", "check", file);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toEqual([expect.stringMatching(/: OK \(.*; 1 warning\)$/)]);
    expect(stderr).toEqual([
      expect.stringMatching(/^timenode: warning: .*D1 sends the host link on esp8266/),
    ]);
  });
});

describe("timenode wiring show", () => {
  it("prints the pin table: module pin → board pin, signal, direction, level", async () => {
    const { code, stdout } = await runCli("wiring", "show", "wiring/pico/neo-6m.json");
    expect(code).toBe(EXIT_OK);
    expect(stdout[0]).toBe("u-blox NEO-6M → Espruino Pico (r1.3/1.4) [wiring/pico/neo-6m.json]");
    const start = stdout.findIndex((line) => line.startsWith("SIGNAL"));
    const table = stdout.slice(start, start + 6);
    expect(table[0]).toMatch(/^SIGNAL\s+MODULE PIN\s+BOARD PIN\s+DIRECTION\s+LEVEL$/);
    expect(table.slice(1).map((line) => line.split(/\s{2,}/))).toEqual([
      ["PPS", "TIMEPULSE (pin 3)", "A8", "module → board", "3.3 V into a 5 V-tolerant pin"],
      ["GPS TX", "TxD1 (pin 20)", "A3 (Serial2 RX)", "module → board", "3.3 V into a 5 V-tolerant pin"],
      ["GPS RX", "RxD1 (pin 21)", "A2 (Serial2 TX)", "board → module", "3.3 V into 3.3 V logic"],
      ["VCC", "VCC (pin 23)", "3.3V", "board → module", "3.3 V (module takes 2.7–3.6 V)"],
      ["GND", "GND (pin 24)", "GND", "common", "0 V"],
    ]);
    expect(stdout).toContain("Notes");
  });

  it("writes a well-formed SVG with every pin label, for every shipped wiring", async () => {
    for (const file of listWiringFiles()) {
      const out = join(dir, "diagram.svg");
      const { code, stdout } = await runCli("wiring", "show", file, "--svg", out);
      expect(code, file).toBe(EXIT_OK);
      expect(stdout[stdout.length - 1]).toBe(`wrote ${out}`);
      const svg = readFileSync(out, "utf8");
      expect(wellFormedXml(svg), file).toBeNull();
      expect(svg).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(svg).toContain(">Legend<");
      for (const row of pinRows(loadWiring(file))) {
        expect(svg, `${file}: ${row.modulePin}`).toContain(`>${row.modulePin}<`);
        expect(svg, `${file}: ${row.boardPin}`).toContain(`>${row.boardPin}<`);
      }
    }
  });

  it("prints rows and pins as JSON with --json", async () => {
    const { code, stdout } = await runCli("wiring", "show", "wiring/esp32/zed-f9t.json", "--json");
    expect(code).toBe(EXIT_OK);
    const shown = JSON.parse(stdout[0]!) as { baud: number; rows: { signal: string }[]; pins: unknown };
    expect(shown.baud).toBe(38400);
    expect(shown.rows.map((row) => row.signal)).toEqual(["PPS", "GPS TX", "GPS RX", "VCC", "GND"]);
    expect(shown.pins).toEqual({
      ppsPin: "D4",
      gpsUart: "Serial2",
      gpsRx: "D16",
      gpsTx: "D17",
      gpsBaud: 38400,
    });
  });

  it("still draws a wiring with connection errors, but exits 1 and lists them on stderr", async () => {
    const file = edited("pico", "neo-6m", (w) => (w.connections.power.volts = 5));
    const { code, stdout, stderr } = await runCli("wiring", "show", file);
    expect(code).toBe(EXIT_FAILURE);
    expect(stdout[0]).toContain("u-blox NEO-6M → Espruino Pico");
    expect(stderr).toEqual([
      expect.stringContaining("/connections/power/volts = 5: u-blox NEO-6M needs a 2.7–3.6 V supply"),
    ]);
  });

  it("refuses to show a file that does not fit the schema, and an SVG path it cannot write", async () => {
    const file = edited(
      "pico",
      "neo-6m",
      (w) => delete (w.connections as Partial<Wiring["connections"]>).ground,
    );
    const bad = await runCli("wiring", "show", file);
    expect(bad.code).toBe(EXIT_FAILURE);
    expect(bad.stderr.join("\n")).toContain(
      '/connections/ground = (missing): is required (an object with boardPin); add "ground"',
    );
    const unwritable = await runCli(
      "wiring",
      "show",
      "wiring/pico/neo-6m.json",
      "--svg",
      join(dir, "no", "such", "x.svg"),
    );
    expect(unwritable.code).toBe(EXIT_FAILURE);
    expect(unwritable.stderr).toEqual([expect.stringContaining("its directory does not exist")]);
  });
});

describe("timenode wiring list", () => {
  it("lists every shipped file as ok", async () => {
    const { code, stdout } = await runCli("wiring", "list");
    expect(code).toBe(EXIT_OK);
    expect(stdout[0]).toMatch(/^FILE\s+BOARD\s+MODULE\s+PPS\s+UART\s+BAUD\s+STATUS$/);
    expect(stdout.slice(1).map((line) => line.split(" ")[0])).toEqual(listWiringFiles());
    for (const line of stdout.slice(1)) expect(line).toMatch(/\sok$/);
  });

  it("lists pins, errors and warnings as JSON with --json", async () => {
    const { code, stdout } = await runCli("wiring", "list", "--json");
    expect(code).toBe(EXIT_OK);
    const listed = JSON.parse(stdout[0]!) as {
      file: string;
      errors: number;
      warnings: number;
      pins: { ppsPin: string };
    }[];
    expect(listed.map((entry) => entry.file)).toEqual(listWiringFiles());
    expect(listed.every((entry) => entry.errors === 0 && entry.warnings === 0 && entry.pins.ppsPin)).toBe(
      true,
    );
  });

  it("has every file in wiring/README.md's table", () => {
    const readme = readFileSync("wiring/README.md", "utf8");
    for (const file of listWiringFiles()) {
      const relative = file.replace(/^wiring\//, "");
      expect(readme, relative).toContain(`| [${relative}](${relative}) `);
    }
  });
});
