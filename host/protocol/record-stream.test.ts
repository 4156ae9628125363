import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { frameRecord, recordBody } from "../../firmware/src/protocol.ts";
import { createRecordStream } from "./record-stream.ts";

const line = (type: string, seq: number, fields: string) => {
  const body = recordBody(type, "0A0B0C0D", seq, fields);
  return frameRecord(body, crc32(Buffer.from(body, "latin1")));
};

describe("record stream", () => {
  it("decodes framed records split across arbitrary chunks", () => {
    const text =
      line("P", 0, "1000000,0,0") + "REPL> junk\r\n" + line("N", 1, "1200000,RMC,20260630,120000,0,1");
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 40 }), (cuts) => {
        const seen: string[] = [];
        const stream = createRecordStream((r) => seen.push(`${r.type}${r.seq}:${r.fields.join("|")}`));
        let at = 0;
        for (const cut of cuts) {
          stream.push(text.slice(at, at + cut));
          at += cut;
        }
        stream.push(text.slice(at));
        expect(seen).toEqual(["P0:1000000|0|0", "N1:1200000|RMC|20260630|120000|0|1"]);
        expect(stream.counters.rejected["not-a-record"]).toBe(1);
        expect(stream.counters.firstRejected["not-a-record"]).toBe("REPL> junk");
      }),
    );
  });

  it("rejects a corrupted record by its checksum", () => {
    const stream = createRecordStream(() => {});
    stream.push(line("P", 0, "1000000,0,0").replace("1000000", "1000001"));
    expect(stream.counters.rejected["bad-checksum"]).toBe(1);
    expect(stream.counters.records).toBe(0);
  });

  it("never throws on garbage", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 2000 }), (garbage) => {
        const stream = createRecordStream(() => {});
        stream.push(garbage + "\n");
      }),
    );
  });
});
