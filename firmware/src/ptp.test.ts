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
  ptpMessageLength,
  type PtpMessage,
} from "./ptp.ts";

const bytesOf = (hex: string) => Buffer.from(hex.replace(/\s+/g, ""), "hex").toString("latin1");
const hexOf = (bytes: string) => Buffer.from(bytes, "latin1").toString("hex");

// Built by hand from the IEEE 1588-2008 layout: header fields in order, then the body.
const SYNC_HEX =
  "00 02 002c 00 00 0200 0000000000000000 00000000 001122fffe334455 0001 1234 00 00" + // header
  " 0000 5f5e1000 1dcd6500"; // originTimestamp 1600000000 s 500000000 ns
const FOLLOW_UP_HEX =
  "08 02 002c 07 00 0000 fffffffffffe8000 00000000 001122fffe334455 0001 1234 02 fe" +
  " 0001 00000002 3b9ac9ff"; // 4294967298 s 999999999 ns, correction -1.5 ns, log interval -2
const DELAY_RESP_HEX =
  "09 02 0036 00 00 0000 0000000100000000 00000000 001122fffe334455 0001 0042 03 00" +
  " 0000 00000010 00000020 aabbccfffeddeeff 0002"; // receive 16 s 32 ns for aabbcc…:2, correction 65536 ns
const ANNOUNCE_HEX =
  "0b 02 0040 00 00 0008 0000000000000000 00000000 001122fffe334455 0001 0005 05 01" +
  " 0000 00000000 00000000" + // originTimestamp 0
  " 0025 00 80 f8 fe ffff 80 001122fffe334455 0000 a0";

describe("PTPv2 fixed vectors", () => {
  it("decodes a Sync built from the spec layout", () => {
    const m = decodePtp(bytesOf(SYNC_HEX), 0) as PtpMessage;
    expect(m).toMatchObject({
      type: PTP_SYNC,
      domain: 0,
      flags: PTP_FLAG_TWO_STEP,
      correctionNs: 0,
      clockIdentity: "001122fffe334455",
      portNumber: 1,
      sequenceId: 0x1234,
      logInterval: 0,
      seconds: 1600000000,
      nanoseconds: 500000000,
    });
    expect(hexOf(encodePtp(m))).toBe(SYNC_HEX.replace(/\s+/g, ""));
  });

  it("decodes a Follow_Up with a negative fractional correction, 48-bit seconds and a negative interval", () => {
    const m = decodePtp(bytesOf(FOLLOW_UP_HEX), 7) as PtpMessage;
    expect(m).toMatchObject({
      type: PTP_FOLLOW_UP,
      domain: 7,
      correctionNs: -1.5,
      logInterval: -2,
      seconds: 4294967298,
      nanoseconds: 999999999,
    });
    expect(hexOf(encodePtp(m))).toBe(FOLLOW_UP_HEX.replace(/\s+/g, ""));
  });

  it("decodes a Delay_Resp with the requesting port and a correction in the high word", () => {
    const m = decodePtp(bytesOf(DELAY_RESP_HEX), 0) as PtpMessage;
    expect(m).toMatchObject({
      type: PTP_DELAY_RESP,
      correctionNs: 65536,
      sequenceId: 0x42,
      seconds: 16,
      nanoseconds: 32,
      requestingClockIdentity: "aabbccfffeddeeff",
      requestingPortNumber: 2,
    });
    expect(hexOf(encodePtp(m))).toBe(DELAY_RESP_HEX.replace(/\s+/g, ""));
  });

  it("decodes an Announce with ptp4l's default dataset", () => {
    const m = decodePtp(bytesOf(ANNOUNCE_HEX), 0) as PtpMessage;
    expect(m.announce).toEqual({
      currentUtcOffset: 37,
      priority1: 128,
      clockClass: 248,
      clockAccuracy: 0xfe,
      offsetScaledLogVariance: 0xffff,
      priority2: 128,
      grandmasterIdentity: "001122fffe334455",
      stepsRemoved: 0,
      timeSource: 0xa0,
    });
    expect(m.logInterval).toBe(1);
    expect(hexOf(encodePtp(m))).toBe(ANNOUNCE_HEX.replace(/\s+/g, ""));
  });
});

describe("PTPv2 bad input", () => {
  const sync = bytesOf(SYNC_HEX);
  it("names truncated, wrong-version, wrong-domain, unsupported and malformed messages", () => {
    expect(decodePtp(sync.slice(0, 20), 0)).toBe("truncated");
    expect(decodePtp(sync.slice(0, 40), 0)).toBe("truncated");
    expect(decodePtp(sync.slice(0, 1) + "\x01" + sync.slice(2), 0)).toBe("wrong-version");
    expect(decodePtp(sync, 1)).toBe("wrong-domain");
    expect(decodePtp("\x0d" + sync.slice(1), 0)).toBe("unsupported-type");
    // messageLength shorter than a Sync's body
    expect(decodePtp(sync.slice(0, 2) + "\x00\x22" + sync.slice(4), 0)).toBe("malformed");
    // messageLength longer than the datagram
    expect(decodePtp(sync.slice(0, 2) + "\x00\x40" + sync.slice(4), 0)).toBe("truncated");
    // nanoseconds ≥ 10^9
    expect(decodePtp(sync.slice(0, 40) + "\x3b\x9a\xca\x00", 0)).toBe("malformed");
  });

  it("ignores bytes after messageLength (suffix TLVs)", () => {
    expect(decodePtp(sync + "\x00\x08\x00\x02\x00\x00", 0)).toMatchObject({ sequenceId: 0x1234 });
  });

  it("never throws on garbage and returns a message or a known reason", () => {
    const reasons = ["truncated", "malformed", "wrong-version", "wrong-domain", "unsupported-type"];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat({ max: 255 }), (raw, domain) => {
        const result = decodePtp(Buffer.from(raw).toString("latin1"), domain);
        if (typeof result === "string") expect(reasons).toContain(result);
        else expect(result.domain).toBe(domain);
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws when one byte of a valid message is flipped", () => {
    fc.assert(
      fc.property(fc.nat({ max: 43 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const flipped =
          sync.slice(0, at) + String.fromCharCode(sync.charCodeAt(at) ^ xor) + sync.slice(at + 1);
        decodePtp(flipped, 0);
      }),
    );
  });
});

const identityArb = fc.uint8Array({ minLength: 8, maxLength: 8 }).map((b) => Buffer.from(b).toString("hex"));
const messageArb = fc.record({
  type: fc.constantFrom(PTP_SYNC, PTP_DELAY_REQ, PTP_FOLLOW_UP, PTP_DELAY_RESP, PTP_ANNOUNCE),
  domain: fc.nat({ max: 255 }),
  flags: fc.nat({ max: 0xffff }),
  // whole multiples of 2^-16 ns that a double holds exactly
  correctionNs: fc.integer({ min: -(2 ** 52), max: 2 ** 52 }).map((units) => units / 65536),
  clockIdentity: identityArb,
  portNumber: fc.nat({ max: 0xffff }),
  sequenceId: fc.nat({ max: 0xffff }),
  logInterval: fc.integer({ min: -128, max: 127 }),
  seconds: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
  nanoseconds: fc.nat({ max: 999999999 }),
  requesting: identityArb,
  requestingPortNumber: fc.nat({ max: 0xffff }),
  announce: fc.record({
    currentUtcOffset: fc.integer({ min: -32768, max: 32767 }),
    priority1: fc.nat({ max: 255 }),
    clockClass: fc.nat({ max: 255 }),
    clockAccuracy: fc.nat({ max: 255 }),
    offsetScaledLogVariance: fc.nat({ max: 0xffff }),
    priority2: fc.nat({ max: 255 }),
    grandmasterIdentity: identityArb,
    stepsRemoved: fc.nat({ max: 0xffff }),
    timeSource: fc.nat({ max: 255 }),
  }),
});

describe("PTPv2 round trip", () => {
  it("decode(encode(m)) gives m back for every field of every type", () => {
    fc.assert(
      fc.property(messageArb, (r) => {
        const m: PtpMessage = {
          ...ptpMessage(r.type, r.domain, r.clockIdentity, r.portNumber),
          flags: r.flags,
          correctionNs: r.correctionNs,
          sequenceId: r.sequenceId,
          logInterval: r.logInterval,
          seconds: r.seconds,
          nanoseconds: r.nanoseconds,
          requestingClockIdentity: r.type === PTP_DELAY_RESP ? r.requesting : "",
          requestingPortNumber: r.type === PTP_DELAY_RESP ? r.requestingPortNumber : 0,
          announce: r.type === PTP_ANNOUNCE ? r.announce : null,
        };
        const bytes = encodePtp(m);
        expect(bytes.length).toBe(ptpMessageLength(r.type));
        expect(decodePtp(bytes, r.domain)).toEqual(m);
      }),
      { numRuns: 1000 },
    );
  });

  it("rounds a correction to the field's 2^-16 ns and keeps its sign", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (ns) => {
        const m = { ...ptpMessage(PTP_FOLLOW_UP, 0, "0000000000000001", 1), correctionNs: ns };
        const back = (decodePtp(encodePtp(m), 0) as PtpMessage).correctionNs;
        expect(Math.abs(back - ns)).toBeLessThanOrEqual(2 ** -17 + 1e-9 * Math.abs(ns) * 2 ** -40);
      }),
    );
  });
});
