import { describe, expect, it } from "vitest";
import { boardIds, getBoard, listBoards } from "../../../boards/index.ts";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../errors.ts";
import type { Output } from "../io.ts";
import { main } from "../main.ts";

interface Captured {
  lines: string[];
  json: unknown[];
  warnings: string[];
}

async function run(...argv: string[]): Promise<Captured & { code: number }> {
  const captured: Captured = { lines: [], json: [], warnings: [] };
  const out: Output = {
    line: (text) => void captured.lines.push(text),
    json: (value) => void captured.json.push(JSON.parse(JSON.stringify(value))),
    record: (value) => void captured.json.push(JSON.parse(JSON.stringify(value))),
    status: () => {},
    warn: (text) => void captured.warnings.push(text),
    progress: () => {},
    progressDone: () => {},
  };
  const code = await main(argv, { out, exitCode: EXIT_OK });
  return { ...captured, code };
}

function allSources(value: unknown): string[] {
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === "source" && typeof child === "string" ? [child] : allSources(child),
  );
}

describe("timenode boards", () => {
  it("prints an aligned table with one row per board", async () => {
    const result = await run("boards");
    expect(result.code).toBe(EXIT_OK);
    const [header, ...rows] = result.lines;
    expect(header).toMatch(/^ID\s+NAME\s+MCU\s+JSVARS\s+STORAGE\s+QUANTUM\s+OSCILLATOR\s+TEMP SENSOR$/);
    expect(rows.map((row) => row.split(" ")[0])).toEqual(boardIds());
    for (const heading of ["NAME", "MCU", "JSVARS", "STORAGE", "QUANTUM", "OSCILLATOR", "TEMP SENSOR"]) {
      const column = header!.indexOf(heading);
      for (const row of rows) expect(row[column - 1], `${heading} in ${row}`).toBe(" ");
    }
    const pico = rows.find((row) => row.startsWith("pico "))!;
    for (const cell of ["STM32F401CDU6 84 MHz", "5100", "48 KB", "0.954 µs", "RC ±10 %", "0.3 °C"]) {
      expect(pico).toContain(cell);
    }
    expect(rows.find((row) => row.startsWith("linux "))).toContain("resizable");
    expect(rows.find((row) => row.startsWith("esp8266 "))).toContain("none (NaN)");
  });

  it("prints every profile as JSON with --json", async () => {
    const result = await run("boards", "--json");
    expect(result.code).toBe(EXIT_OK);
    expect(result.lines).toEqual([]);
    expect(result.json).toEqual([listBoards()]);
  });
});

describe("timenode boards show", () => {
  it("prints one profile in sections, with the source of every figure", async () => {
    for (const id of boardIds()) {
      const result = await run("boards", "show", id);
      expect(result.code).toBe(EXIT_OK);
      const text = result.lines.join("\n");
      for (const section of ["MCU and memory", "Console and transports", "Timebase", "Oscillator:", "Pins"]) {
        expect(text).toContain(section);
      }
      for (const source of allSources(getBoard(id))) expect(text, `${id}: ${source}`).toContain(source);
    }
  });

  it("shows the honest Pico LSI tolerance and the nRF52 RC calibration", async () => {
    expect((await run("boards", "show", "pico")).lines).toContain("  tolerance: ±100000 ppm (±10 %)");
    expect((await run("boards", "show", "puckjs")).lines).toContain(
      "  RC calibration: every 4 s, steps up to 250 ppm",
    );
  });

  it("prints the profile as JSON with --json before or after the id", async () => {
    for (const argv of [
      ["boards", "show", "esp32", "--json"],
      ["boards", "show", "--json", "esp32"],
      ["boards", "--json", "show", "esp32"],
    ]) {
      const result = await run(...argv);
      expect(result.code, argv.join(" ")).toBe(EXIT_OK);
      expect(result.json).toEqual([getBoard("esp32")]);
      expect(result.lines).toEqual([]);
    }
  });

  it("fails with the list of known boards for an unknown id", async () => {
    const result = await run("boards", "show", "foo");
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.lines).toEqual([]);
    expect(result.warnings).toEqual([
      `timenode: unknown board "foo"; known boards: ${boardIds().join(", ")}`,
    ]);
  });

  it("is a usage error without an id", async () => {
    expect((await run("boards", "show")).code).toBe(EXIT_USAGE);
  });
});
