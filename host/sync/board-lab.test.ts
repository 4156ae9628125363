// The firmware's PTP master on a virtual ESP32 in the lab (the real bundle on the emulated Espruino
// runtime, GPS-disciplined), with the host's slave on the lab's modelled network. The host's clock here
// is true UTC, so the estimate is the board clock's error as PTP sees it through the board's
// JavaScript-handler timestamps and the network.
import { describe, expect, it } from "vitest";
import { PTP_EVENT_PORT, PTP_GENERAL_PORT } from "../../firmware/src/ptp.ts";
import { createLab, LAB_HOST_ADDRESS } from "../../sim/lab.ts";
import { PtpSlave, type PortKind, type SlaveExchange } from "./slave.ts";

function run(seed: number, durationS: number) {
  const lab = createLab({ boards: ["esp32"], udpHostPort: 5740, ptpMaster: true, seed });
  const board = lab.nodes[0]!;
  const trueUtcNs = () =>
    BigInt(lab.utc.utcStartMs) * 1_000_000n + BigInt(Math.round(lab.scheduler.now * 1e9));
  const portOf = (kind: PortKind) => (kind === "event" ? PTP_EVENT_PORT : PTP_GENERAL_PORT);
  const exchanges: (SlaveExchange & { trueTimeS: number })[] = [];
  const slave = new PtpSlave(
    { clockIdentity: "00000000000000aa", quantumNs: 1000 },
    (kind, bytes) => {
      const port = portOf(kind);
      lab.network.send(
        { address: LAB_HOST_ADDRESS, port },
        { address: board.address!, port },
        bytes,
        lab.scheduler.now,
      );
      return trueUtcNs();
    },
    (e) => {
      if (e.kind === "exchange") exchanges.push({ ...e.exchange, trueTimeS: lab.scheduler.now });
    },
  );
  for (const kind of ["event", "general"] as const)
    lab.network.bind({
      address: LAB_HOST_ADDRESS,
      port: portOf(kind),
      receive: (message) => slave.receive(kind, message, trueUtcNs()),
    });
  const tick = () => {
    slave.tick(trueUtcNs());
    lab.scheduler.after(1, tick);
  };
  lab.scheduler.at(1, tick);
  lab.runUntil(durationS);
  return { exchanges, slave, board };
}

describe("the firmware PTP master on a virtual ESP32", () => {
  it("is selected by the host slave, which locks and holds the board's clock inside its bound", () => {
    const r = run(5, 900);
    expect(r.slave.master).toMatch(/^[0-9a-f]{6}fffe[0-9a-f]{6}-1$/);
    const settled = r.exchanges.filter((e) => e.servoState === "locked" && e.trueTimeS > 300);
    expect(settled.length).toBeGreaterThan(100);
    // The board's own UTC error is microseconds once locked; PTP through JS handlers costs far more, and
    // the bound must cover it.
    for (const e of settled) expect(Math.abs(e.estimateNs)).toBeLessThanOrEqual(e.boundNs);
    const rms = Math.sqrt(settled.reduce((s, e) => s + e.estimateNs ** 2, 0) / settled.length);
    expect(rms).toBeLessThan(5_000_000);
  });
});
