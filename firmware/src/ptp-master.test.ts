import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodePtp,
  encodePtp,
  PTP_ANNOUNCE,
  PTP_DELAY_REQ,
  PTP_DELAY_RESP,
  PTP_FLAG_TWO_STEP,
  PTP_FOLLOW_UP,
  PTP_SYNC,
  ptpMessage,
  type PtpMessage,
} from "./ptp.ts";
import {
  createPtpBoardMaster,
  PTP_CLOCK_HOLDOVER,
  PTP_CLOCK_LOCKED,
  ptpBoardMasterReceive,
  ptpBoardMasterTick,
  ptpIdentityFromSerial,
  type PtpClockTime,
} from "./ptp-master.ts";
import { crc32 } from "./crc32.ts";
import { decodePtpLine, framePtpLine } from "./ptp-frame.ts";

function clock(state: number, start = { s: 1_767_225_600, ns: 0 }) {
  const now = { ...start };
  return {
    advanceNs(ns: number) {
      now.ns += ns;
      now.s += Math.floor(now.ns / 1e9);
      now.ns %= 1e9;
    },
    read: (out: PtpClockTime) => {
      out.s = now.s;
      out.ns = now.ns;
      out.state = state;
      return state >= 0;
    },
  };
}

function collect() {
  const sent: { event: boolean; m: PtpMessage }[] = [];
  return {
    sent,
    send: (event: boolean, bytes: string) => void sent.push({ event, m: decodePtp(bytes, 0) as PtpMessage }),
  };
}

describe("board PTP master", () => {
  it("sends Announce, two-step Sync and a Follow_Up carrying the Sync's stamp", () => {
    const master = createPtpBoardMaster("0a0b0cfffe0d0e0f", 0);
    const c = clock(PTP_CLOCK_LOCKED);
    const out = collect();
    ptpBoardMasterTick(master, c.read, out.send);
    expect(out.sent.map((x) => [x.event, x.m.type])).toEqual([
      [false, PTP_ANNOUNCE],
      [true, PTP_SYNC],
      [false, PTP_FOLLOW_UP],
    ]);
    expect(out.sent[0]!.m.announce).toMatchObject({
      clockClass: 6,
      timeSource: 0x20,
      grandmasterIdentity: "0a0b0cfffe0d0e0f",
    });
    expect(out.sent[1]!.m.flags & PTP_FLAG_TWO_STEP).toBe(PTP_FLAG_TWO_STEP);
    expect(out.sent[2]!.m).toMatchObject({
      sequenceId: out.sent[1]!.m.sequenceId,
      seconds: 1_767_225_600,
      nanoseconds: 0,
    });
    c.advanceNs(1e9);
    ptpBoardMasterTick(master, c.read, out.send);
    expect(out.sent.slice(3).map((x) => x.m.type)).toEqual([PTP_SYNC, PTP_FOLLOW_UP]);
  });

  it("says holdover in the Announce, and sends nothing before the clock is set", () => {
    const out = collect();
    ptpBoardMasterTick(createPtpBoardMaster("0a0b0cfffe0d0e0f", 0), clock(PTP_CLOCK_HOLDOVER).read, out.send);
    expect(out.sent[0]!.m.announce!.clockClass).toBe(7);
    const none = collect();
    ptpBoardMasterTick(createPtpBoardMaster("0a0b0cfffe0d0e0f", 0), clock(-1).read, none.send);
    expect(none.sent).toEqual([]);
  });

  it("answers a Delay_Req with its receive time and the requester, and at most 16 a second", () => {
    const master = createPtpBoardMaster("0a0b0cfffe0d0e0f", 0);
    const c = clock(PTP_CLOCK_LOCKED, { s: 100, ns: 5 });
    const out = collect();
    for (let i = 0; i < 40; i++) {
      const req = ptpMessage(PTP_DELAY_REQ, 0, "1111111111111111", 3);
      req.sequenceId = i;
      ptpBoardMasterReceive(master, encodePtp(req), c.read, out.send);
    }
    expect(out.sent).toHaveLength(16);
    expect(out.sent[0]!.m).toMatchObject({
      type: PTP_DELAY_RESP,
      sequenceId: 0,
      seconds: 100,
      nanoseconds: 5,
      requestingClockIdentity: "1111111111111111",
      requestingPortNumber: 3,
    });
    expect(master.dropped).toBe(24);
    ptpBoardMasterTick(master, c.read, out.send);
    const req = ptpMessage(PTP_DELAY_REQ, 0, "1111111111111111", 3);
    ptpBoardMasterReceive(master, encodePtp(req), c.read, out.send);
    expect(out.sent.at(-1)!.m.type).toBe(PTP_DELAY_RESP);
  });

  it("drops garbage and other messages without throwing", () => {
    const master = createPtpBoardMaster("0a0b0cfffe0d0e0f", 0);
    const c = clock(PTP_CLOCK_LOCKED);
    const out = collect();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (raw) => {
        ptpBoardMasterReceive(master, Buffer.from(raw).toString("latin1"), c.read, out.send);
      }),
    );
    ptpBoardMasterReceive(
      master,
      encodePtp(ptpMessage(PTP_SYNC, 0, "1111111111111111", 1)),
      c.read,
      out.send,
    );
    expect(out.sent.filter((x) => x.m.type === PTP_DELAY_RESP).length).toBeLessThanOrEqual(16);
    expect(master.dropped).toBeGreaterThan(0);
  });

  it("frames every message, and frames the Sync before reading its send time", () => {
    const master = createPtpBoardMaster("0a0b0cfffe0d0e0f", 0);
    const c = clock(PTP_CLOCK_LOCKED);
    const calls: string[] = [];
    master.frame = (bytes) => {
      calls.push("frame");
      return framePtpLine(bytes, crc32);
    };
    const lines: string[] = [];
    const read = (out: PtpClockTime) => {
      calls.push("read");
      return c.read(out);
    };
    ptpBoardMasterTick(master, read, (_event, line) => {
      calls.push("send");
      lines.push(line);
    });
    // Announce: read, frame, send; then the Sync: frame, read (its send time), send; then its Follow_Up.
    expect(calls).toEqual(["read", "frame", "send", "frame", "read", "send", "frame", "send"]);
    const types = lines.map((line) => (decodePtp(decodePtpLine(line, crc32).bytes!, 0) as PtpMessage).type);
    expect(types).toEqual([PTP_ANNOUNCE, PTP_SYNC, PTP_FOLLOW_UP]);
  });

  it("derives an EUI-64 identity from a MAC-like chip serial", () => {
    expect(ptpIdentityFromSerial("24:0a:C4:12:34:56")).toBe("240ac4fffe123456");
    expect(ptpIdentityFromSerial("33ffd6054e4b")).toBe("33ffd6fffe054e4b");
    expect(ptpIdentityFromSerial("")).toBe("000000fffe000000");
    fc.assert(
      fc.property(fc.string(), (serial) => {
        expect(ptpIdentityFromSerial(serial)).toMatch(/^[0-9a-f]{6}fffe[0-9a-f]{6}$/);
      }),
    );
  });
});
