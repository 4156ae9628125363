// The firmware's PTP slave on a virtual ESP32 (the real bundle built with --ptp-slave on the emulated
// Espruino runtime, its GPS unused): the host's PTP master, on true UTC, sits on the lab's modelled
// network, and the board's U records are judged against ground truth as the lab judges GPS boards.
import { describe, expect, it } from "vitest";
import { crc32 } from "../../firmware/src/crc32.ts";
import { decodeRecord, REC_CLOCK } from "../../firmware/src/protocol.ts";
import { PTP_EVENT_PORT, PTP_GENERAL_PORT } from "../../firmware/src/ptp.ts";
import { createLab, LAB_HOST_ADDRESS } from "../../sim/lab.ts";
import { trueClockErrorNs } from "../lab/run.ts";
import { PtpMaster } from "./master.ts";
import type { PortKind } from "./slave.ts";

interface Reading {
  trueTimeS: number;
  errorNs: number;
  boundNs: number;
  state: number;
}

function run(seed: number, durationS: number, masterGoneAtS = Infinity) {
  const lab = createLab({ boards: ["esp32"], udpHostPort: 5740, ptpSlave: true, seed });
  const node = lab.nodes[0]!;
  const trueUtcNs = () =>
    BigInt(lab.utc.utcStartMs) * 1_000_000n + BigInt(Math.round(lab.scheduler.now * 1e9));
  const portOf = (kind: PortKind) => (kind === "event" ? PTP_EVENT_PORT : PTP_GENERAL_PORT);
  const master = new PtpMaster({ clockIdentity: "00000afffe0000b1", clockClass: 6 }, (kind, bytes) => {
    const port = portOf(kind);
    lab.network.send(
      { address: LAB_HOST_ADDRESS, port },
      { address: node.address!, port },
      bytes,
      lab.scheduler.now,
    );
    return trueUtcNs();
  });
  for (const kind of ["event", "general"] as const)
    lab.network.bind({
      address: LAB_HOST_ADDRESS,
      port: portOf(kind),
      receive: (message) => master.receive(kind, message, trueUtcNs()),
    });
  const readings: Reading[] = [];
  node.onHostBound((data) => {
    for (const line of data.split("\n")) {
      const record = decodeRecord(line, crc32);
      if (typeof record === "string" || record.type !== REC_CLOCK) continue;
      const f = record.fields.map(Number);
      readings.push({
        trueTimeS: lab.scheduler.now,
        errorNs: trueClockErrorNs(lab, node, f[0]!, f[1]!, f[2]!, f[3] === 1),
        boundNs: f[7]!,
        state: f[8]!,
      });
    }
  });
  const tick = () => {
    if (lab.scheduler.now < masterGoneAtS) master.tick(trueUtcNs());
    lab.scheduler.after(0.25, tick);
  };
  lab.scheduler.at(1, tick);
  lab.runUntil(durationS);
  return { readings, master, node };
}

describe("the firmware PTP slave on a virtual ESP32", () => {
  it("takes UTC from the host's master over the lab network, the truth inside every reading's bound", () => {
    const r = run(11, 900);
    expect(r.master.counters.delayResponses).toBeGreaterThan(700);
    expect(r.readings.length).toBeGreaterThan(80);
    for (const x of r.readings) expect(Math.abs(x.errorNs)).toBeLessThanOrEqual(x.boundNs);
    const settled = r.readings.filter((x) => x.trueTimeS > 300);
    expect(settled.every((x) => x.state === 2)).toBe(true);
    const rms = Math.sqrt(settled.reduce((s, x) => s + x.errorNs ** 2, 0) / settled.length);
    expect(rms).toBeLessThan(1_000_000);
    expect(r.node.board.uncaughtErrors).toEqual([]);
  });

  it("goes to holdover when the master disappears, its bound growing and still holding the truth", () => {
    const r = run(12, 900, 600);
    const after = r.readings.filter((x) => x.trueTimeS > 620);
    expect(after.length).toBeGreaterThan(20);
    expect(after.every((x) => x.state === 3)).toBe(true);
    expect(after[after.length - 1]!.boundNs).toBeGreaterThan(after[0]!.boundNs);
    for (const x of r.readings) expect(Math.abs(x.errorNs)).toBeLessThanOrEqual(x.boundNs);
  });
});
