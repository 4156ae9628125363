import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RecordAuthenticator } from "../../host/truth/record-auth.ts";
import { createRecordSigner, signRecordLine } from "./auth.ts";
import { crc32 } from "./crc32.ts";
import { frameRecord, recordBody } from "./protocol.ts";

const sha256 = (data: string) =>
  createHash("sha256").update(Buffer.from(data, "latin1")).digest().toString("latin1");
const KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const SERIAL = "1fd2c4da-cf7108a7-0704b12e";

function line(seq: number, fields: string): string {
  const body = recordBody("P", "5EED0001", seq, fields);
  return frameRecord(body, crc32(body));
}

describe("record signing on the board", () => {
  it("tags a line with HMAC-SHA256 cut to 64 bits, as the host computes it", () => {
    const signer = createRecordSigner(KEY, SERIAL, sha256);
    const framed = line(7, "5000000,1000021,0");
    const signed = signRecordLine(signer, framed);
    const record = framed.slice(0, -2);
    const expected = createHmac("sha256", Buffer.from(KEY, "hex"))
      .update(`${SERIAL}\n${record}`)
      .digest("hex")
      .slice(0, 16);
    expect(signed).toBe(`${record} ~${SERIAL}:${expected}\r\n`);
  });

  it("is accepted by the host's authenticator for any key and record, and refused under another key", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 80 }),
        fc.nat(1_000_000),
        fc.string({ unit: "grapheme-ascii", maxLength: 40 }).filter((s) => !/[,*\r\n~]/.test(s)),
        (keyBytes, seq, field) => {
          const keyHex = Buffer.from(keyBytes).toString("hex");
          const signed = signRecordLine(createRecordSigner(keyHex, SERIAL, sha256), line(seq, field));
          const right = new RecordAuthenticator(new Map([[SERIAL, Buffer.from(keyBytes)]]));
          const wrongKey = Buffer.from(keyBytes.map((b) => b ^ 1));
          const wrong = new RecordAuthenticator(new Map([[SERIAL, wrongKey]]));
          return right.check(signed).ok && !wrong.check(signed).ok;
        },
      ),
    );
  });
});
