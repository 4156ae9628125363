import { createSocket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { createLab, type Lab } from "../../sim/lab.ts";
import { openUdpBridge, type UdpBridge } from "./udp-bridge.ts";

// Firmware-side echo service, uploaded to RAM next to the timenode firmware.
const ECHO = `var s = require("dgram").createSocket("udp4");
s.bind(5005);
s.on("message", function (m, r) { s.send("echo:" + m, r.port, r.address); });`;

describe("UDP bridge into the lab network", () => {
  let bridge: UdpBridge | undefined;
  let timer: NodeJS.Timeout | undefined;

  afterEach(async () => {
    clearInterval(timer);
    await bridge?.close();
    bridge = undefined;
  });

  /** Advances virtual time with wall time (the bridge talks to real sockets). */
  function pace(lab: Lab): void {
    const start = process.hrtime.bigint();
    timer = setInterval(() => lab.runUntil(5 + Number(process.hrtime.bigint() - start) / 1e9), 5);
  }

  it("carries a real datagram to a virtual ESP32's dgram socket and its reply back", async () => {
    const lab = createLab({ boards: ["esp32"], seed: 3 });
    lab.runUntil(5);
    const node = lab.nodes[0]!;
    node.board.run(ECHO);
    lab.runUntil(5);
    expect(lab.boundPorts(node.address!)).toEqual([5005]);
    bridge = await openUdpBridge(lab, node, 0);
    pace(lab);
    const client = createSocket("udp4");
    const reply = new Promise<string>((resolve) =>
      client.once("message", (m) => resolve(m.toString("latin1"))),
    );
    client.send("ping", bridge.port, "127.0.0.1");
    expect(await reply).toBe("echo:ping");
    expect(bridge.counters).toEqual({ toBoard: 1, fromBoard: 1, noListener: 0 });
    client.close();
  });

  it("refuses a board without WiFi", async () => {
    const lab = createLab({ boards: ["puckjs"], seed: 3 });
    await expect(openUdpBridge(lab, lab.nodes[0]!, 0)).rejects.toThrow(/no WiFi/);
  });
});
