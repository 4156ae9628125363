// `--ptp-master` in the build: over UDP with a UDP host, else over the serial host link; `--ptp-slave` on
// WiFi boards in place of the GPS time core. Refused with a reason where they cannot work or fit, and
// absent from bundles built without them.
import { describe, expect, it } from "vitest";
import { getBoard, listBoards } from "../../boards/index.ts";
import { buildFirmware } from "./bundle.ts";

const UDP_HOST = { address: "10.0.0.2", port: 5740 };

describe("building a PTP master", () => {
  it("puts the serial master on boards without a UDP host, and the UDP master with one", () => {
    const serial = buildFirmware({ board: getBoard("pico"), ptpMaster: true });
    expect(serial.errors).toEqual([]);
    expect(serial.code).toContain("#TP2,");
    expect(serial.code).not.toContain("dgram");
    const udp = buildFirmware({ board: getBoard("esp32"), ptpMaster: true, udpHost: UDP_HOST });
    expect(udp.errors).toEqual([]);
    expect(udp.code).toContain("dgram");
    expect(udp.code).not.toContain("#TP2,");
  });

  it("leaves every trace of PTP out of bundles built without it", () => {
    for (const board of listBoards()) {
      const plain = buildFirmware({ board });
      expect(plain.code).not.toContain("#TP2,");
      expect(plain.code).not.toContain("fffe");
    }
  });

  it("refuses boards without the time core, or whose host link cannot receive, or where it does not fit", () => {
    expect(buildFirmware({ board: getBoard("espruino-original"), ptpMaster: true }).errors).toEqual([
      "a PTP master needs the time core, and espruino-original is too small for it",
    ]);
    expect(
      buildFirmware({ board: getBoard("esp8266"), ptpMaster: true, udpHost: UDP_HOST }).errors[0],
    ).toMatch(/needs the time core/);
    const puck = buildFirmware({ board: getBoard("puckjs"), ptpMaster: true });
    expect(puck.errors).toHaveLength(1);
    expect(puck.errors[0]).toMatch(
      /^a PTP master does not fit on puckjs: .* over the budget of 1315 .*without --ptp-master$/,
    );
  });

  it("builds a PTP slave on WiFi boards in place of the time core, and refuses it elsewhere", () => {
    const slave = buildFirmware({ board: getBoard("esp32"), ptpSlave: true, udpHost: UDP_HOST });
    expect(slave.errors).toEqual([]);
    const plain = buildFirmware({ board: getBoard("esp32"), udpHost: UDP_HOST });
    expect(slave.estimate.storageVars).toBeLessThan(plain.estimate.storageVars);
    expect(buildFirmware({ board: getBoard("pico"), ptpSlave: true }).errors).toEqual([
      "a PTP slave needs WiFi: pico has no wifi-udp transport",
    ]);
    expect(buildFirmware({ board: getBoard("esp32"), ptpSlave: true, ptpMaster: true }).errors).toEqual([
      "a board is PTP master or PTP slave, not both",
    ]);
    expect(
      buildFirmware({ board: getBoard("esp8266"), ptpSlave: true, udpHost: UDP_HOST }).errors[0],
    ).toMatch(/^a PTP slave does not fit on esp8266: .*without --ptp-slave$/);
  });
});
