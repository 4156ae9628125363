import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32 } from "../../firmware/src/crc32.ts";
import { frameRecord, recordBody } from "../../firmware/src/protocol.ts";
import { nodeKey, RecordAuthenticator, signRecord } from "./record-auth.ts";

const line = (boot: string, seq: number, fields = "1000,1782820800,0,0,-5,5,-9,9,2,100") => {
  const body = recordBody("U", boot, seq, fields);
  return frameRecord(body, crc32(body));
};

const keys = new Map([
  ["A1", nodeKey("lab secret", "A1")],
  ["B2", nodeKey("lab secret", "B2")],
]);

describe("authenticated records", () => {
  it("accepts a node's signed records once, and refuses forgeries, replays, old boots and unknown keys", () => {
    const auth = new RecordAuthenticator(keys);
    const first = signRecord(keys.get("A1")!, "A1", line("0001", 1));
    expect(auth.check(first)).toMatchObject({ ok: true, serial: "A1", record: { seq: 1, bootId: "0001" } });
    expect(auth.check(first)).toMatchObject({ ok: false, reason: "replayed" });
    // B2 signs a record and claims it is A1's: the tag does not match A1's key.
    const claimed = signRecord(keys.get("B2")!, "B2", line("0001", 2)).replace("~B2:", "~A1:");
    expect(auth.check(claimed)).toMatchObject({ ok: false, reason: "forged", serial: "A1" });
    // A record changed in flight, its CRC recomputed: the tag no longer matches.
    const altered = signRecord(keys.get("A1")!, "A1", line("0001", 3)).replace(
      line("0001", 3).trim(),
      line("0001", 3, "1000,1782820801,0,0,-5,5,-9,9,2,100").trim(),
    );
    expect(auth.check(altered)).toMatchObject({ ok: false, reason: "forged" });
    expect(auth.check(signRecord(nodeKey("other secret", "C3"), "C3", line("0009", 1)))).toMatchObject({
      ok: false,
      reason: "unknown-node-key",
    });
    expect(auth.check(line("0001", 4))).toMatchObject({ ok: false, reason: "not-authenticated" });
    // A1 reboots: its new boot is accepted; a record of the old boot is a replay, even a new sequence.
    expect(auth.check(signRecord(keys.get("A1")!, "A1", line("0002", 1))).ok).toBe(true);
    expect(auth.check(signRecord(keys.get("A1")!, "A1", line("0001", 50)))).toMatchObject({
      ok: false,
      reason: "replayed",
    });
    expect(auth.counts).toEqual({
      accepted: 2,
      "not-authenticated": 1,
      "bad-record": 0,
      "unknown-node-key": 1,
      forged: 2,
      replayed: 2,
    });
  });

  it("on one link, takes one signer only, and a hello must name the serial that signed it", () => {
    const auth = new RecordAuthenticator(keys);
    const link = auth.forLink();
    const a = (seq: number) => signRecord(keys.get("A1")!, "A1", line("0001", seq));
    const stripped = link(a(1));
    expect(stripped).toEqual({ ok: true, line: line("0001", 1).trim() });
    // B2's genuine record arriving on A1's link: refused, and not spent (B2's own link still takes it).
    const b = signRecord(keys.get("B2")!, "B2", line("0002", 1));
    expect(link(b)).toEqual({ ok: false, reason: "forged" });
    expect(auth.forLink()(b).ok).toBe(true);
    // A hello signed by B2 claiming to be A1.
    const helloBody = recordBody("H", "0003", 0, "pico,1.0,2v25,1000,5000,B15,A2,A1");
    const hello = signRecord(keys.get("B2")!, "B2", frameRecord(helloBody, crc32(helloBody)));
    expect(auth.forLink()(hello)).toEqual({ ok: false, reason: "forged" });
    // A signed line that is not a record goes on to the decoder, which names the fault.
    expect(link(signRecord(keys.get("A1")!, "A1", "#TN1,U,0001,9*00000000"))).toEqual({
      ok: true,
      line: "#TN1,U,0001,9*00000000",
    });
  });

  it("never throws on garbage and never accepts a line it did not see signed", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const auth = new RecordAuthenticator(keys);
        const result = auth.check(text);
        expect(result.ok).toBe(false);
      }),
    );
  });

  it("accepts each signed record exactly once, in any order, duplicates refused as replays", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 60 }), (seqs) => {
        const auth = new RecordAuthenticator(keys);
        const accepted = seqs.filter(
          (seq) => auth.check(signRecord(keys.get("B2")!, "B2", line("00FF", seq))).ok,
        );
        expect(accepted).toEqual([...new Set(seqs)]);
        expect(auth.counts.replayed).toBe(seqs.length - accepted.length);
      }),
    );
  });
});
