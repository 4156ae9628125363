// The firmware's PTP master over a board's serial host link: a virtual Pico (the real bundle built with
// --ptp-master on the emulated Espruino runtime, GPS-disciplined) sends #TP2 lines on its USB host device
// beside its records, and the host's slave answers with Delay_Req lines on the same link. The host's
// clock here is true UTC, so the slave's estimate is the board clock's error as PTP sees it.
import { describe, expect, it } from "vitest";
import { crc32 } from "../../firmware/src/crc32.ts";
import { framePtpLine } from "../../firmware/src/ptp-frame.ts";
import { decodeRecord } from "../../firmware/src/protocol.ts";
import { createLab } from "../../sim/lab.ts";
import { kindOf, PtpLineReader } from "./serial.ts";
import { PtpSlave, type SlaveExchange } from "./slave.ts";

/** Host → board bytes take as long on the wire as the board's own: 10 bits at a UART's baud, else USB's ~1 µs. */
function byteTimeS(setup: { baud: number } | null): number {
  return setup !== null ? 10 / setup.baud : 1e-6;
}

function run(seed: number, durationS: number, masterGoneAtS = Infinity, boardId = "pico") {
  const lab = createLab({ boards: [boardId], ptpMaster: true, seed });
  const board = lab.nodes[0]!;
  const hostPort = board.board.serial(board.hostDevice);
  const trueUtcNs = (s = lab.scheduler.now) =>
    BigInt(lab.utc.utcStartMs) * 1_000_000n + BigInt(Math.round(s * 1e9));
  const exchanges: (SlaveExchange & { trueTimeS: number })[] = [];
  const states: string[] = [];
  let records = 0;
  let rxNs = 0n;
  const slave = new PtpSlave(
    { clockIdentity: "00000000000000aa", quantumNs: 1000 },
    (_kind, bytes) => {
      const line = framePtpLine(bytes, crc32);
      const sentNs = trueUtcNs();
      const arrivesS = lab.scheduler.now + line.length * byteTimeS(hostPort.setup);
      lab.scheduler.at(arrivesS, () => board.sendToBoard(line));
      return sentNs;
    },
    (e) => {
      if (e.kind === "exchange") exchanges.push({ ...e.exchange, trueTimeS: lab.scheduler.now });
      if (e.kind === "state") states.push(e.to);
    },
  );
  const reader = new PtpLineReader((bytes) => {
    if (lab.scheduler.now < masterGoneAtS) slave.receive(kindOf(bytes), bytes, rxNs);
  });
  board.onHostData((data, trueTimeS) => {
    rxNs = trueUtcNs(trueTimeS);
    for (const line of data.split("\n")) if (typeof decodeRecord(line, crc32) !== "string") records++;
    reader.push(data);
  });
  const tick = () => {
    slave.tick(trueUtcNs());
    lab.scheduler.after(1, tick);
  };
  lab.scheduler.at(1, tick);
  lab.runUntil(durationS);
  return { exchanges, states, slave, board, reader, records, trueUtcNs };
}

describe("the firmware PTP master over a virtual Pico's serial host link", () => {
  const r = run(3, 900);

  it("is selected by the host slave, which locks and holds the board's UTC inside its bound", () => {
    expect(r.slave.master).toMatch(/^[0-9a-f]{6}fffe[0-9a-f]{6}-1$/);
    expect(r.states).toContain("locked");
    const settled = r.exchanges.filter((e) => e.servoState === "locked" && e.trueTimeS > 300);
    expect(settled.length).toBeGreaterThan(500);
    // The truth (the board's UTC error, µs once locked) is inside every settled exchange's bound.
    for (const e of settled) expect(Math.abs(e.estimateNs)).toBeLessThanOrEqual(e.boundNs);
    const rms = Math.sqrt(settled.reduce((s, e) => s + e.estimateNs ** 2, 0) / settled.length);
    // Measured 1.2 µs rms (docs/sync.md); the emulated runtime runs handlers without the ms-scale
    // latencies of a real board, so this holds the maths and the wiring, not a hardware figure.
    expect(rms).toBeLessThan(100_000);
  });

  it("works over a UART host link too (ESP32's Serial1), where each line spends ~9 ms on the wire", () => {
    const uart = run(5, 600, Infinity, "esp32");
    const settled = uart.exchanges.filter((e) => e.servoState === "locked" && e.trueTimeS > 300);
    expect(settled.length).toBeGreaterThan(250);
    for (const e of settled) {
      expect(e.exchange.meanPathDelayNs).toBeGreaterThan(8_000_000);
      expect(Math.abs(e.estimateNs)).toBeLessThanOrEqual(e.boundNs);
    }
  });

  it("leaves the record stream intact beside the PTP lines, and the board takes every Delay_Req", () => {
    expect(r.records).toBeGreaterThan(900);
    expect(r.reader.rejected["bad-checksum"] ?? 0).toBe(0);
    expect(r.board.board.uncaughtErrors).toEqual([]);
  });

  it("goes to holdover with a growing bound when the board's lines stop", () => {
    const gone = run(4, 400, 300);
    expect(gone.states.at(-1)).toBe("holdover");
    const early = gone.slave.estimate(gone.trueUtcNs(310))!;
    const late = gone.slave.estimate(gone.trueUtcNs(400))!;
    expect(late.boundNs).toBeGreaterThan(early.boundNs);
    expect(Math.abs(late.offsetNs)).toBeLessThanOrEqual(late.boundNs);
  });
});
