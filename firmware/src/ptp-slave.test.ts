import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodePtp,
  encodePtp,
  PTP_ANNOUNCE,
  PTP_DELAY_RESP,
  PTP_FLAG_PTP_TIMESCALE,
  PTP_FLAG_UTC_OFFSET_VALID,
  PTP_FOLLOW_UP,
  PTP_SYNC,
  ptpMessage,
  type PtpMessage,
} from "./ptp.ts";
import {
  createPtpBoardSlave,
  PTP_SLAVE_HOLDOVER,
  PTP_SLAVE_LOCKED,
  ptpBoardSlaveReceive,
  ptpBoardSlaveTick,
  ptpSlaveBound,
  ptpSlaveDelayReq,
  ptpSlaveUtc,
} from "./ptp-slave.ts";

const MASTER = "0a0b0cfffe0d0e0f";

/** mulberry32: a seeded uniform [0, 1). */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const START_S = 1_767_225_600;

/**
 * A master on true time and a board whose µs clock runs `freqPpm` fast, joined by a path with a fixed
 * delay plus exponential jitter each way. Returns the board clock's true error (reading − truth) and
 * bound after each second.
 */
function simulate(
  seed: number,
  seconds: number,
  freqPpm: number,
  jitterUs: number,
  goneAtS = Infinity,
  taiS = 0,
) {
  const random = seeded(seed);
  const slave = createPtpBoardSlave("1111111111111111", 0, {
    quantumNs: 1000,
    tolerancePpb: 100_000,
    wanderPpb: 1000,
  });
  const boardUs = (trueS: number) => 5e6 + trueS * 1e6 * (1 + freqPpm * 1e-6);
  const oneWayS = () => 0.002 + -Math.log(1 - random()) * jitterUs * 1e-6;
  const stamp = (m: PtpMessage, trueS: number) => {
    const whole = Math.floor(trueS);
    m.seconds = START_S + taiS + whole;
    m.nanoseconds = Math.round((trueS - whole) * 1e9);
  };
  const out: { t: number; errorNs: number; boundNs: number; state: number }[] = [];
  const reading = { s: 0, ns: 0 };
  for (let t = 0; t < seconds; t++) {
    if (t < goneAtS) {
      const announce = ptpMessage(PTP_ANNOUNCE, 0, MASTER, 1);
      if (taiS !== 0) announce.flags = PTP_FLAG_PTP_TIMESCALE | PTP_FLAG_UTC_OFFSET_VALID;
      announce.announce = {
        currentUtcOffset: taiS === 0 ? 37 : taiS,
        priority1: 128,
        clockClass: 6,
        clockAccuracy: 0x31,
        offsetScaledLogVariance: 0xffff,
        priority2: 128,
        grandmasterIdentity: MASTER,
        stepsRemoved: 0,
        timeSource: 0x20,
      };
      ptpBoardSlaveReceive(slave, encodePtp(announce), boardUs(t + 0.1), "10.0.0.1");
      const sync = ptpMessage(PTP_SYNC, 0, MASTER, 1);
      sync.sequenceId = t;
      const t2 = t + 0.2 + oneWayS();
      const followUp = ptpMessage(PTP_FOLLOW_UP, 0, MASTER, 1);
      followUp.sequenceId = t;
      stamp(followUp, t + 0.2);
      // Every third Follow_Up overtakes its Sync (they travel on different ports).
      const overtakes = t % 3 === 0;
      const first = overtakes ? followUp : sync;
      const second = overtakes ? sync : followUp;
      const dueFirst = ptpBoardSlaveReceive(
        slave,
        encodePtp(first),
        boardUs(overtakes ? t2 - 0.0005 : t2),
        "10.0.0.1",
      );
      expect(dueFirst).toBe(false);
      if (ptpBoardSlaveReceive(slave, encodePtp(second), boardUs(overtakes ? t2 : t2 + 0.001), "10.0.0.1")) {
        const req = decodePtp(ptpSlaveDelayReq(slave), 0) as PtpMessage;
        const t3 = t2 + 0.002;
        slave.t3Us = boardUs(t3);
        const resp = ptpMessage(PTP_DELAY_RESP, 0, MASTER, 1);
        resp.sequenceId = req.sequenceId;
        resp.requestingClockIdentity = req.clockIdentity;
        resp.requestingPortNumber = req.portNumber;
        stamp(resp, t3 + oneWayS());
        ptpBoardSlaveReceive(slave, encodePtp(resp), boardUs(t3 + 0.02), "10.0.0.1");
      }
    }
    const at = t + 0.9;
    ptpBoardSlaveTick(slave, boardUs(at));
    if (!slave.set) continue;
    ptpSlaveUtc(slave, boardUs(at), reading);
    const whole = Math.floor(at);
    const errorNs = (reading.s - START_S - whole) * 1e9 + (reading.ns - (at - whole) * 1e9);
    out.push({ t, errorNs, boundNs: ptpSlaveBound(slave, boardUs(at)), state: slave.state });
  }
  return { slave, out };
}

describe("board PTP slave", () => {
  it("locks a 40 ppm fast clock to the master and keeps the truth inside its bound", () => {
    for (const seed of [1, 2, 3, 4]) {
      const { slave, out } = simulate(seed, 300, 40, 200);
      expect(slave.state).toBe(PTP_SLAVE_LOCKED);
      for (const r of out) expect(Math.abs(r.errorNs)).toBeLessThanOrEqual(r.boundNs);
      const settled = out.filter((r) => r.t > 100);
      const rms = Math.sqrt(settled.reduce((a, r) => a + r.errorNs ** 2, 0) / settled.length);
      expect(rms).toBeLessThan(100_000);
      // The board's µs run 40 ppm fast: the clock must run 40/(1 + 40e-6) ppm slow; 200 µs of jitter leaves ppm of noise.
      expect(Math.abs(slave.freqPpb + 40_000 / 1.00004)).toBeLessThan(5000);
    }
  });

  it("goes to holdover when the master disappears, with a growing bound that still holds the truth", () => {
    const { slave, out } = simulate(2, 400, -25, 100, 200);
    expect(slave.exchanges).toBe(200);
    expect(slave.state).toBe(PTP_SLAVE_HOLDOVER);
    expect(slave.master).toBe("");
    const after = out.filter((r) => r.t >= 210);
    expect(after[after.length - 1]!.boundNs).toBeGreaterThan(after[0]!.boundNs);
    for (const r of out) expect(Math.abs(r.errorNs)).toBeLessThanOrEqual(r.boundNs);
  });

  it("takes UTC from a master on the PTP timescale (TAI, as ptp4l sends) with its UTC offset", () => {
    const { slave, out } = simulate(3, 120, 10, 100, Infinity, 37);
    expect(slave.utcOffsetS).toBe(37);
    for (const r of out) expect(Math.abs(r.errorNs)).toBeLessThanOrEqual(r.boundNs);
  });

  it("drops garbage, other domains and strangers' messages without throwing, in fixed memory", () => {
    const slave = createPtpBoardSlave("1111111111111111", 0, {
      quantumNs: 1000,
      tolerancePpb: 1e5,
      wanderPpb: 1000,
    });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (raw) => {
        expect(ptpBoardSlaveReceive(slave, Buffer.from(raw).toString("latin1"), 1, "10.0.0.9")).toBe(false);
      }),
    );
    const followUp = ptpMessage(PTP_FOLLOW_UP, 0, "2222222222222222", 1);
    expect(ptpBoardSlaveReceive(slave, encodePtp(followUp), 2, "10.0.0.9")).toBe(false);
    expect(ptpBoardSlaveReceive(slave, encodePtp(ptpMessage(PTP_SYNC, 3, MASTER, 1)), 2, "10.0.0.9")).toBe(
      false,
    );
    expect(slave.dropped).toBeGreaterThan(2);
    expect(slave.set).toBe(false);
    expect(slave.winOffsetNs).toHaveLength(4);
  });
});
