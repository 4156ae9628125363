import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodePtpLine, framePtpLine, PTP_LINE_MAX_BYTES } from "./ptp-frame.ts";

const crcOf = (text: string) => crc32(Buffer.from(text, "latin1"));
const bytesArb = fc
  .uint8Array({ maxLength: PTP_LINE_MAX_BYTES })
  .map((b) => Buffer.from(b).toString("latin1"));

describe("PTP serial line framing", () => {
  it("frames by the documented layout", () => {
    // CRC-32 of "TP2,0002" computed independently with zlib
    const expected = crcOf("TP2,0002").toString(16).toUpperCase().padStart(8, "0");
    expect(framePtpLine("\x00\x02", crcOf)).toBe(`#TP2,0002*${expected}\r\n`);
  });

  it("round-trips any message up to the longest carried", () => {
    fc.assert(
      fc.property(bytesArb, (bytes) => {
        const line = framePtpLine(bytes, crcOf);
        expect(decodePtpLine(line, crcOf)).toEqual({ bytes, failure: null });
        expect(decodePtpLine(line.trimEnd(), crcOf)).toEqual({ bytes, failure: null });
      }),
    );
  });

  it("rejects a line with any single character changed", () => {
    fc.assert(
      fc.property(bytesArb, fc.nat(), fc.integer({ min: 1, max: 127 }), (bytes, where, xor) => {
        const line = framePtpLine(bytes, crcOf).trimEnd();
        const at = where % line.length;
        const changed =
          line.slice(0, at) + String.fromCharCode(line.charCodeAt(at) ^ xor) + line.slice(at + 1);
        const result = decodePtpLine(changed, crcOf);
        // Upper/lower case of a CRC digit or a payload hex letter may still decode to the same bytes.
        if (result.failure === null) expect(result.bytes).toBe(bytes);
      }),
    );
  });

  it("names garbage and never throws", () => {
    expect(decodePtpLine("#TN1,P,0,0*00000000", crcOf).failure).toBe("not-a-ptp-line");
    expect(decodePtpLine("#TP2,00", crcOf).failure).toBe("no-checksum");
    expect(decodePtpLine("#TP2,00*00000000", crcOf).failure).toBe("bad-checksum");
    const odd = "TP2,0";
    expect(decodePtpLine(`#${odd}*${crcOf(odd).toString(16).padStart(8, "0")}`, crcOf).failure).toBe(
      "bad-hex",
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const result = decodePtpLine("#TP2," + text, crcOf);
        expect(result.failure === null || typeof result.failure === "string").toBe(true);
      }),
    );
  });
});
