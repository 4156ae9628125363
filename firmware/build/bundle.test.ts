import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getBoard, listBoards } from "../../boards/index.ts";
import { boardConstants, buildFirmware, hostDeviceFor } from "./bundle.ts";
import { checkScript } from "./checker/index.ts";

describe("firmware build", () => {
  for (const board of listBoards()) {
    it(`builds an Espruino-clean bundle within budget for ${board.id}`, () => {
      const result = buildFirmware({ board });
      expect(result.errors).toEqual([]);
      expect(result.violations).toEqual([]);
      expect(result.bytes).toBeGreaterThan(1000);
      expect(checkScript(result.code).violations).toEqual([]);
      if (result.budgetVars !== null)
        expect(result.estimate.storageVars).toBeLessThanOrEqual(result.budgetVars);
      // Board constants are folded into literals: no TN_BOARD object is left for the board to store.
      expect(result.code).not.toContain("TN_BOARD");
      expect(result.code).toContain(JSON.stringify(board.pins.defaultPps));
    });
  }

  it("maps a violation in the TypeScript source back to its file, line and column", () => {
    const dir = mkdtempSync(join(tmpdir(), "timenode-build-"));
    const entry = join(dir, "bad.ts");
    writeFileSync(
      entry,
      [
        "declare const sink: { write(s: string): void };",
        "const pair = { a: 1, b: 2 };",
        "const { a, b } = pair;",
        "sink.write(String(a + b));",
        "",
      ].join("\n"),
    );
    const result = buildFirmware({ board: getBoard("pico"), entry });
    expect(result.errors).toContain("1 Espruino-compatibility violation(s)");
    const violation = result.violations[0];
    expect(violation?.rule).toBe("syntax/destructuring");
    expect(violation?.original?.file).toMatch(/bad\.ts$/);
    expect(violation?.original?.line).toBe(3);
  });

  it("fails when the code's JsVar estimate exceeds the budget", () => {
    const result = buildFirmware({ board: getBoard("puckjs"), budgetVars: 50 });
    expect(result.errors.join("\n")).toMatch(/over the budget of 50/);
  });

  it("reports bundler errors with their location", () => {
    const dir = mkdtempSync(join(tmpdir(), "timenode-build-"));
    const entry = join(dir, "broken.ts");
    writeFileSync(entry, "import { nothing } from './missing';\nnothing();\n");
    const result = buildFirmware({ board: getBoard("pico"), entry });
    expect(result.errors[0]).toMatch(/broken\.ts:1:\d+: Could not resolve/);
  });

  it("leaves the time core out where it would not fit (few JsVars or a small Storage)", () => {
    expect(boardConstants(getBoard("esp8266"), false).timeCore).toBe(false);
    expect(boardConstants(getBoard("espruino-original"), false).timeCore).toBe(false);
    expect(boardConstants(getBoard("puckjs"), false).timeCore).toBe(true);
    const observer = buildFirmware({ board: getBoard("espruino-original") });
    const full = buildFirmware({ board: getBoard("pico") });
    expect(observer.bytes).toBeLessThan(full.bytes / 2);
    expect(full.bytes).toBeLessThanOrEqual(getBoard("pico").storageBytes.value);
  });

  it("chooses the host link each board really has", () => {
    expect(hostDeviceFor(getBoard("pico")).device).toBe("USB");
    expect(hostDeviceFor(getBoard("esp32")).device).toBe("Serial1");
    expect(hostDeviceFor(getBoard("puckjs")).device).toBe("Bluetooth");
    expect(hostDeviceFor(getBoard("esp8266"))).toEqual({
      device: "Serial1",
      baud: 9600,
      sharedWithGps: true,
    });
    expect(boardConstants(getBoard("esp8266"), false).hostSharedWithGps).toBe(true);
  });
});
