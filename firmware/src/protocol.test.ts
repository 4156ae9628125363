import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32Range } from "./crc32.ts";
import {
  decodeRecord,
  decodeRecordAt,
  frameRecord,
  hex32,
  PROTOCOL_VERSION,
  recordBody,
  type DecodedRecord,
} from "./protocol.ts";

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

/** What a record line means, written the plain way: a pattern for the header, split for the fields. */
function oracle(line: string): DecodedRecord | null {
  const match = /^#TN(\d+),([^,]),([^,]+),(0|[1-9]\d*)((?:,.*)?)\*([0-9A-Fa-f]{8})\r?\n?$/s.exec(line);
  if (!match) return null;
  const [, version, type, bootId, seqText, rest, hex] = match as unknown as string[];
  const seq = Number(seqText);
  const body = line.slice(1, line.lastIndexOf("*"));
  if (Number(version) !== PROTOCOL_VERSION || !Number.isSafeInteger(seq)) return null;
  if (parseInt(hex!, 16) !== crcOf(body)) return null;
  return {
    version: PROTOCOL_VERSION,
    type: type!,
    bootId: bootId!,
    seq,
    fields: rest ? rest!.slice(1).split(",") : [],
  };
}

/** Framed lines with a few characters changed, checksums made good again half the time. */
const mangledLineArb = fc
  .tuple(
    typeArb,
    bootIdArb,
    fc.oneof(fc.nat({ max: 120 }), seqArb),
    fc.array(fieldArb, { maxLength: 8 }),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom(",", "*", "#", "0", "1", "9", "T", "N", "x", "\r", "")), {
      maxLength: 3,
    }),
    fc.boolean(),
  )
  .map(([type, bootId, seq, fields, edits, fixCrc]) => {
    let body = recordBody(type, bootId, seq, fields.join(","));
    for (const [at, replacement] of edits) {
      const index = at % (body.length + 1);
      body = body.slice(0, index) + replacement + body.slice(index + 1);
    }
    const line = frameRecord(body, crcOf(body));
    return fixCrc
      ? line
      : line.replace(/\*[0-9A-F]{8}/, (tail) => (tail === "*00000000" ? "*00000001" : "*00000000"));
  });

describe("decoding in place", () => {
  it("agrees with the plain reading of any line, mangled or not", () => {
    fc.assert(
      fc.property(mangledLineArb, (line) => {
        const decoded = decodeRecordAt(line, 0, line.length, crc32Range);
        const expected = oracle(line);
        if (expected === null) expect(typeof decoded).toBe("string");
        else expect(decoded).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("reads a line inside a longer text exactly as the line alone", () => {
    fc.assert(
      fc.property(mangledLineArb, fc.string(), fc.string(), (line, before, after) => {
        const text = before + line + after;
        expect(decodeRecordAt(text, before.length, before.length + line.length, crc32Range)).toEqual(
          decodeRecord(line, crcOf),
        );
      }),
    );
  });

  it("never throws on garbage, and names why it refused", () => {
    const reasons = new Set(["not-a-record", "no-checksum", "bad-checksum", "bad-version", "bad-header"]);
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), fc.nat(), fc.nat(), (text, a, b) => {
        const start = Math.min(a, b) % (text.length + 1);
        const end = Math.max(a, b) % (text.length + 1);
        const decoded = decodeRecordAt(text, Math.min(start, end), Math.max(start, end), crc32Range);
        if (typeof decoded === "string") expect(reasons.has(decoded)).toBe(true);
      }),
    );
  });
});
