import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boardIds, getBoard } from "../../boards/index.ts";
import { formatProblem } from "./problems.ts";
import type { GpsModule, Wiring, WiringProblem } from "./types.ts";
import { validateWiringData, type WiringLookups } from "./validate.ts";

const WIRING_FILE = "wiring/test/case.json";
const MODULE_FILE = "wiring/modules/test.json";

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8")) as T;
}

const NEO_6M = readJson<GpsModule>("wiring/modules/neo-6m.json");

/** Lookups over the real boards and one in-memory module (whatever data the test gives it). */
function lookups(moduleData: unknown): WiringLookups {
  return {
    board: (id) => (boardIds().includes(id) ? getBoard(id) : undefined),
    boardIds,
    module: () => ({ found: true, data: moduleData, file: MODULE_FILE }),
  };
}

function wiringFor(board: string): Wiring {
  return readJson<Wiring>(`wiring/${board}/neo-6m.json`);
}

/** Problems of `wiring` (a deep copy edited by `edit`) with `module` (default the NEO-6M). */
function problemsOf(
  board: string,
  edit: (wiring: Wiring) => void = () => undefined,
  module: GpsModule = NEO_6M,
): WiringProblem[] {
  const wiring = structuredClone(wiringFor(board));
  wiring.module = "./test.json";
  edit(wiring);
  return validateWiringData(wiring, WIRING_FILE, lookups(structuredClone(module))).problems;
}

function lines(problems: readonly WiringProblem[]): string[] {
  return problems.map(formatProblem);
}

const FIVE_VOLT_MODULE: GpsModule = {
  ...NEO_6M,
  id: "test",
  name: "5 V test module",
  supplyVolts: { value: { min: 4.5, max: 5.5 }, source: "test" },
  logicVolts: { value: 5, source: "test" },
};

describe("validateWiringData", () => {
  it("accepts the shipped NEO-6M wiring of every board with no problem at all", () => {
    for (const board of [
      "pico",
      "esp32",
      "espruino-wifi",
      "puckjs",
      "esp8266",
      "espruino-original",
      "mdbt42q",
    ]) {
      expect(lines(problemsOf(board)), board).toEqual([]);
    }
  });

  it("names a pin the board lacks, with the file, path and a pin to use instead", () => {
    const problems = problemsOf("pico", (w) => (w.connections.pps.boardPin = "B11"));
    expect(lines(problems)).toEqual([
      expect.stringMatching(
        /^wiring\/test\/case\.json: \/connections\/pps\/boardPin = "B11": board pico has no pin B11 \(boards\/pico\.json knows A0 .*\); use one of its pins, e.g\. A8$/,
      ),
    ]);
  });

  it("rejects a PPS pin setWatch cannot watch", () => {
    const problems = problemsOf("pico", (w) => (w.connections.pps.boardPin = "A9"));
    expect(lines(problems)).toEqual([
      'wiring/test/case.json: /connections/pps/boardPin = "A9": A9 cannot be watched with setWatch on pico (not in boards/pico.json /pins/watchable); use a watchable pin, e.g. A8',
    ]);
  });

  it("rejects a PPS pin sharing its STM32 EXTI line with a pin Espruino watches", () => {
    const problems = problemsOf("pico", (w) => (w.connections.pps.boardPin = "B9"));
    expect(problems).toHaveLength(1);
    expect(formatProblem(problems[0]!)).toMatch(
      /\/connections\/pps\/boardPin = "B9": B9 shares EXTI line 9 with A9, which Espruino watches .*; use a watchable pin whose number is not 9, e.g. A8$/,
    );
    // No such rule on nRF52 or ESP32.
    expect(problemsOf("esp32", (w) => (w.connections.pps.boardPin = "D13"))).toEqual([]);
  });

  it("checks that the UART pins belong to that UART on fixed-pin boards, and are GPIO on any-pin boards", () => {
    expect(lines(problemsOf("pico", (w) => (w.connections.moduleTxToBoardRx.boardPin = "B7")))).toEqual([
      expect.stringContaining(
        '/connections/moduleTxToBoardRx/boardPin = "B7": Serial2\'s RX pin on pico is A3, not B7',
      ),
    ]);
    expect(lines(problemsOf("pico", (w) => (w.connections.uart = "Serial3")))).toEqual([
      'wiring/test/case.json: /connections/uart = "Serial3": board pico has no Serial3 (boards/pico.json /uarts: Serial1, Serial2); use Serial2, the board\'s GPS UART',
    ]);
    // nRF52: any GPIO will do.
    expect(problemsOf("puckjs", (w) => (w.connections.moduleTxToBoardRx.boardPin = "D7"))).toEqual([]);
  });

  it("rejects a UART that cannot receive (ESP8266 Serial2)", () => {
    const problems = problemsOf("esp8266", (w) => {
      w.connections.uart = "Serial2";
      w.connections.moduleTxToBoardRx.boardPin = "D5";
    });
    expect(lines(problems)).toEqual([
      expect.stringContaining("Serial2 on esp8266 cannot receive: it has no RX pin"),
    ]);
  });

  it("rejects one pin used for two signals", () => {
    const problems = problemsOf("puckjs", (w) => (w.connections.moduleTxToBoardRx.boardPin = "D31"));
    expect(lines(problems)).toEqual([
      'wiring/test/case.json: /connections/moduleTxToBoardRx/boardPin = "D31": D31 is already wired at /connections/pps/boardPin; give each signal its own pin',
    ]);
  });

  it("rejects 5 V logic into pins that are not 5 V tolerant, naming each pin", () => {
    const problems = problemsOf(
      "esp32",
      (w) => {
        w.connections.power = { from: "external", volts: 5, description: "bench supply" };
        delete w.connections.boardTxToModuleRx;
      },
      FIVE_VOLT_MODULE,
    );
    expect(lines(problems)).toEqual([
      'wiring/test/case.json: /connections/pps/boardPin = "D4": 5 V test module drives 5 V logic into D4, and D4 is not 5 V tolerant (esp32 I/O 3.3 V, at most 3.6 V; boards/esp32.json /pins/fiveVoltTolerant); add a level shifter (or a resistor divider) between them, or run the module\'s I/O at 3.3 V',
      'wiring/test/case.json: /connections/moduleTxToBoardRx/boardPin = "D16": 5 V test module drives 5 V logic into D16, and D16 is not 5 V tolerant (esp32 I/O 3.3 V, at most 3.6 V; boards/esp32.json /pins/fiveVoltTolerant); add a level shifter (or a resistor divider) between them, or run the module\'s I/O at 3.3 V',
    ]);
  });

  it("accepts 5 V logic into 5 V-tolerant pins, but not a 3.3 V board TX into a 5 V module's RX", () => {
    const fiveVolt = (w: Wiring) =>
      (w.connections.power = { from: "external", volts: 5, description: "bench" });
    expect(lines(problemsOf("pico", fiveVolt, FIVE_VOLT_MODULE))).toEqual([
      expect.stringContaining(
        "/connections/boardTxToModuleRx/boardPin = \"A2\": pico's 3.3 V high level from A2 is below 5 V test module's input-high threshold of about 3.5 V",
      ),
    ]);
  });

  it("checks the supply against the module's range, with the data sheet", () => {
    const problems = problemsOf("pico", (w) => (w.connections.power.volts = 5));
    expect(lines(problems)).toEqual([
      expect.stringMatching(
        /^wiring\/test\/case\.json: \/connections\/power\/volts = 5: u-blox NEO-6M needs a 2\.7–3\.6 V supply \(NEO-6 Data Sheet.*\); power it from a pin or regulator between 2\.7 and 3\.6 V$/,
      ),
    ]);
  });

  it("rejects a falling-edge PPS in the module file, and too short a pulse on nRF52", () => {
    const falling: GpsModule = {
      ...NEO_6M,
      pps: { ...NEO_6M.pps, polarity: { value: "falling", source: "t" } },
    };
    expect(lines(problemsOf("pico", undefined, falling))).toEqual([
      expect.stringMatching(
        /^wiring\/modules\/test\.json: \/pps\/polarity\/value = "falling": the firmware timestamps the rising edge/,
      ),
    ]);
    const short: GpsModule = { ...NEO_6M, pps: { ...NEO_6M.pps, pulseWidthS: { value: 1e-5, source: "t" } } };
    expect(lines(problemsOf("puckjs", undefined, short))).toEqual([
      expect.stringContaining(
        "/pps/pulseWidthS/value = 0.00001: puckjs (nRF52) may miss pulses shorter than 25 µs",
      ),
    ]);
    expect(problemsOf("pico", undefined, short)).toEqual([]);
  });

  it("warns (without failing) where the board TX carries the host link or the GPS would grab the console", () => {
    const esp = problemsOf("esp8266", (w) => (w.connections.boardTxToModuleRx = { boardPin: "D1" }));
    expect(esp.map((p) => p.severity)).toEqual(["warning"]);
    expect(formatProblem(esp[0]!)).toMatch(/^warning: .*D1 sends the host link on esp8266/);
    const puck = problemsOf("puckjs", (w) => (w.connections.moduleTxToBoardRx.boardPin = "D29"));
    expect(puck.map((p) => p.severity)).toEqual(["warning"]);
    expect(formatProblem(puck[0]!)).toContain("makes Serial1 the console");
  });

  it("rejects a board without a PPS input, an unknown board and a module whose id is not its name", () => {
    expect(lines(problemsOf("pico", (w) => (w.board = "nosuch")))).toEqual([
      expect.stringMatching(
        /\/board = "nosuch": is not a board profile \(known boards: bangle2, .*\); use one of those ids/,
      ),
    ]);
    const bangle = problemsOf("pico", (w) => (w.board = "bangle2"));
    expect(lines(bangle)[0]).toContain('/board = "bangle2": board bangle2 has no pin a PPS can be wired to');
    const misnamed = validateWiringData(wiringFor("pico"), WIRING_FILE, lookups({ ...NEO_6M, id: "other" }));
    expect(lines(misnamed.problems)).toEqual([
      'wiring/modules/test.json: /id = "other": must equal the file name "neo-6m"; rename the id to "neo-6m"',
    ]);
  });

  it("reports schema problems with path, value, expectation and fix", () => {
    const problems = problemsOf("pico", (w) => {
      (w.connections.pps as { boardPin: unknown }).boardPin = "a8";
      (w as unknown as Record<string, unknown>)["colour"] = "red";
    });
    expect(lines(problems)).toEqual([
      'wiring/test/case.json: /colour = "red": is not allowed (known properties: $schema, board, module, baud, connections, notes); remove it or correct its spelling',
      'wiring/test/case.json: /connections/pps/boardPin = "a8": must be a pin name like A8 or D29; use a pin name like A8 or D29',
    ]);
    const badModule = validateWiringData(
      wiringFor("pico"),
      WIRING_FILE,
      lookups({ ...NEO_6M, logicVolts: { value: "high", source: "x" } }),
    );
    expect(lines(badModule.problems)).toEqual([
      'wiring/modules/test.json: /logicVolts/value = "high": must be "supply" or a number > 0 and <= 5.5; use "supply" or a number > 0 and <= 5.5',
    ]);
  });
});

describe("validateWiringData on arbitrary input", () => {
  const valid = wiringFor("pico");

  it("never throws on arbitrary JSON, for the wiring or the module", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (wiring, module) => {
        const result = validateWiringData(wiring, WIRING_FILE, lookups(module));
        for (const problem of result.problems) expect(typeof formatProblem(problem)).toBe("string");
      }),
      { numRuns: 300 },
    );
  });

  it("never throws when any one value of a valid wiring or module is replaced by arbitrary JSON", () => {
    const pathsOf = (value: unknown, prefix: string[] = []): string[][] =>
      value && typeof value === "object"
        ? Object.entries(value).flatMap(([key, child]) => [
            [...prefix, key],
            ...pathsOf(child, [...prefix, key]),
          ])
        : [];
    const replaceAt = (root: unknown, path: readonly string[], replacement: unknown): unknown => {
      const copy = structuredClone(root) as Record<string, unknown>;
      let node = copy;
      for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
      node[path[path.length - 1]!] = replacement;
      return copy;
    };
    const wiringPaths = pathsOf(valid);
    const modulePaths = pathsOf(NEO_6M);
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.jsonValue(), (inModule, index, replacement) => {
        const paths = inModule ? modulePaths : wiringPaths;
        const path = paths[index % paths.length]!;
        const wiring = inModule ? valid : replaceAt(valid, path, replacement);
        const module = inModule ? replaceAt(NEO_6M, path, replacement) : NEO_6M;
        const result = validateWiringData(wiring, WIRING_FILE, lookups(module));
        for (const problem of result.problems)
          expect(formatProblem(problem)).toMatch(/^(warning: )?wiring\//);
      }),
      { numRuns: 500 },
    );
  });
});
