import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeRecord, frameRecord, hex32, PROTOCOL_VERSION, recordBody } from "./protocol.ts";

const crcOf = (text: string) => crc32(Buffer.from(text, "latin1"));

function frame(type: string, bootId: string, seq: number, fields: string[]): string {
  const body = recordBody(type, bootId, seq, fields.join(","));
  return frameRecord(body, crcOf(body));
}

const SAFE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/+ #$";
const tokenArb = fc.string({ unit: fc.constantFrom(...SAFE), minLength: 1, maxLength: 24 });
const fieldArb = fc.oneof(
  tokenArb,
  fc.maxSafeInteger().map(String),
  fc.integer({ min: -2147483648, max: 2147483647 }).map(String),
);
const typeArb = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ");
const bootIdArb = fc.nat({ max: 0xffffffff }).map(hex32);
const seqArb = fc.nat({ max: Number.MAX_SAFE_INTEGER });

describe("wire protocol round trip", () => {
  it("decodeRecord(frameRecord(recordBody(...))) returns every field for any safe values", () => {
    fc.assert(
      fc.property(
        typeArb,
        bootIdArb,
        seqArb,
        fc.array(fieldArb, { maxLength: 14 }),
        (type, bootId, seq, fields) => {
          const line = frame(type, bootId, seq, fields);
          expect(line.endsWith("\r\n")).toBe(true);
          expect(decodeRecord(line, crcOf)).toEqual({ version: PROTOCOL_VERSION, type, bootId, seq, fields });
          expect(decodeRecord(line.slice(0, -2), crcOf)).toEqual(decodeRecord(line, crcOf));
        },
      ),
    );
  });

  it("any single changed character after #TN fails the checksum", () => {
    fc.assert(
      fc.property(
        typeArb,
        bootIdArb,
        seqArb,
        fc.array(fieldArb, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.constantFrom(...SAFE),
        (type, bootId, seq, fields, at, replacement) => {
          const line = frame(type, bootId, seq, fields);
          const star = line.lastIndexOf("*");
          const index = 3 + (at % (star - 3)); // after "#TN", which marks a record at all
          fc.pre(line.charAt(index) !== replacement && replacement !== "*");
          const corrupted = line.slice(0, index) + replacement + line.slice(index + 1);
          expect(decodeRecord(corrupted, crcOf)).toBe("bad-checksum");
        },
      ),
    );
  });

  it("a fixed vector", () => {
    const line = frame("Q", "0BADCAFE", 12, ["123456", "q1"]);
    expect(line).toBe(`#TN1,Q,0BADCAFE,12,123456,q1*${hex32(crcOf("TN1,Q,0BADCAFE,12,123456,q1"))}\r\n`);
  });
});
