import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getBoard } from "../../boards/index.ts";
import { InvalidWiringError, listWiringFiles, loadWiring } from "./load.ts";
import { wiringPins } from "./pins.ts";

const dir = mkdtempSync(join(tmpdir(), "timenode-wiring-pins-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("wiringPins", () => {
  it("gives, for every shipped wiring, the board profile's default pins and the module's baud", () => {
    const files = listWiringFiles();
    expect(files.length).toBeGreaterThanOrEqual(35);
    for (const file of files) {
      const { board, module } = loadWiring(file);
      const { pins } = getBoard(board.id);
      expect(wiringPins(file), file).toEqual({
        ppsPin: pins.defaultPps,
        gpsUart: pins.defaultGpsUart,
        gpsRx: pins.defaultGpsRx,
        gpsTx: pins.defaultGpsTx,
        gpsBaud: module.defaultBaud.value,
      });
    }
  });

  it("keeps a fixed-pin UART's TX when nothing is wired to the module's RX (ESP8266: the host link)", () => {
    expect(wiringPins("wiring/esp8266/zed-f9t.json")).toEqual({
      ppsPin: "D4",
      gpsUart: "Serial1",
      gpsRx: "D3",
      gpsTx: "D1",
      gpsBaud: 38400,
    });
  });

  it("takes the wiring's own pins and baud, and no TX on an any-pin UART with nothing wired", () => {
    const file = join(dir, "puck.json");
    writeFileSync(
      file,
      JSON.stringify({
        board: "puckjs",
        module: "neo-m8n",
        baud: 115200,
        connections: {
          uart: "Serial1",
          pps: { boardPin: "D30" },
          moduleTxToBoardRx: { boardPin: "D7" },
          power: { from: "external", volts: 3.3, description: "a 3.3 V regulator" },
          ground: { boardPin: "GND" },
        },
      }),
    );
    expect(wiringPins(file)).toEqual({
      ppsPin: "D30",
      gpsUart: "Serial1",
      gpsRx: "D7",
      gpsTx: null,
      gpsBaud: 115200,
    });
  });

  it("throws InvalidWiringError naming the bad pin", () => {
    const file = join(dir, "bad.json");
    writeFileSync(
      file,
      JSON.stringify({
        board: "pico",
        module: "neo-6m",
        connections: {
          uart: "Serial2",
          pps: { boardPin: "C7" },
          moduleTxToBoardRx: { boardPin: "A3" },
          power: { from: "board", boardPin: "3.3V", volts: 3.3, source: "test" },
          ground: { boardPin: "GND" },
        },
      }),
    );
    expect(() => wiringPins(file)).toThrow(InvalidWiringError);
    expect(() => wiringPins(file)).toThrow(/\/connections\/pps\/boardPin = "C7": board pico has no pin C7/);
  });
});
