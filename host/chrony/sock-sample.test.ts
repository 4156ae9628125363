import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeSockSample,
  encodeSockSample,
  LEAP_DELETE,
  LEAP_INSERT,
  LEAP_NORMAL,
  SOCK_MAGIC,
  SOCK_SAMPLE_BYTES,
  sockSampleFromNs,
  type LeapFlag,
} from "./sock-sample.ts";

const leapArb = fc.constantFrom<LeapFlag>(LEAP_NORMAL, LEAP_INSERT, LEAP_DELETE);
const sampleArb = fc.record({
  tvSec: fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }),
  tvUsec: fc.integer({ min: 0, max: 999_999 }),
  offsetS: fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  pulse: fc.boolean(),
  leap: leapArb,
});

describe("chrony SOCK sample", () => {
  it("lays out the 40-byte struct of 64-bit Linux: timeval, offset, pulse, leap, pad, magic", () => {
    const buf = encodeSockSample({
      tvSec: 1_782_820_851n,
      tvUsec: 123_456,
      offsetS: -0.25,
      pulse: false,
      leap: LEAP_INSERT,
    });
    expect(buf.length).toBe(SOCK_SAMPLE_BYTES);
    const le = new DataView(buf.buffer, buf.byteOffset, buf.length);
    // This machine is little-endian (x86-64, arm64): the magic reads "KCOS" in memory order.
    expect(buf.subarray(36, 40).toString("latin1")).toBe("KCOS");
    expect(le.getBigInt64(0, true)).toBe(1_782_820_851n);
    expect(le.getBigInt64(8, true)).toBe(123_456n);
    expect(le.getFloat64(16, true)).toBe(-0.25);
    expect(le.getInt32(24, true)).toBe(0);
    expect(le.getInt32(28, true)).toBe(1);
    expect(le.getInt32(32, true)).toBe(0);
    expect(le.getInt32(36, true)).toBe(SOCK_MAGIC);
  });

  it("decodes what it encodes", () => {
    fc.assert(
      fc.property(sampleArb, (sample) => {
        expect(decodeSockSample(encodeSockSample(sample))).toEqual(sample);
      }),
    );
  });

  it("never throws on arbitrary bytes, and names what is wrong", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (bytes) => {
        const result = decodeSockSample(bytes);
        if (bytes.length !== SOCK_SAMPLE_BYTES) expect(result).toBe("size");
        else if (typeof result === "string") expect(["magic", "usec", "leap", "offset"]).toContain(result);
      }),
    );
  });

  it("rejects a wrong magic and out-of-range fields", () => {
    const good = encodeSockSample({ tvSec: 1n, tvUsec: 0, offsetS: 0, pulse: true, leap: 0 });
    const badMagic = Buffer.from(good);
    badMagic.writeInt32LE(0x4e545030, 36);
    expect(decodeSockSample(badMagic)).toBe("magic");
    const badLeap = Buffer.from(good);
    badLeap.writeInt32LE(3, 28);
    expect(decodeSockSample(badLeap)).toBe("leap");
    const badUsec = Buffer.from(good);
    badUsec.writeBigInt64LE(1_000_000n, 8);
    expect(decodeSockSample(badUsec)).toBe("usec");
    const nan = Buffer.from(good);
    nan.writeDoubleLE(Number.NaN, 16);
    expect(decodeSockSample(nan)).toBe("offset");
    expect(decodeSockSample(good.subarray(0, 32))).toBe("size");
  });

  it("keeps system time + offset exact to the ns when the timeval drops the sub-µs part", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 4n * 10n ** 18n }),
        fc.integer({ min: -500_000_000, max: 500_000_000 }),
        (systemNs, offsetNs) => {
          const s = sockSampleFromNs(systemNs, offsetNs, LEAP_NORMAL);
          expect(s.tvUsec).toBeGreaterThanOrEqual(0);
          expect(s.tvUsec).toBeLessThan(1_000_000);
          const tvNs = s.tvSec * 1_000_000_000n + BigInt(s.tvUsec) * 1000n;
          expect(tvNs <= systemNs && systemNs - tvNs < 1000n).toBe(true);
          const trueNs = Number(tvNs - systemNs) + Math.round(s.offsetS * 1e9);
          expect(Math.abs(trueNs - offsetNs)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
