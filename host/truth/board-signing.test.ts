// Boards built with a node key sign their own records (firmware/src/auth.ts, with the emulated
// require("crypto")): every line they send is accepted by the host's authenticator under their key, and
// none under another board's.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createLab } from "../../sim/lab.ts";
import { RecordAuthenticator } from "./record-auth.ts";

const keyOf = (serial: string) => createHash("sha256").update(`test key ${serial}`).digest("hex");
const authenticator = (serial: string, keyHex: string) =>
  new RecordAuthenticator(new Map([[serial, Buffer.from(keyHex, "hex")]]));
const seqOf = (line: string) => Number(line.split(",")[3]);

describe("records signed on the board", () => {
  it("are accepted under each board's own key, lines and resends alike", () => {
    const lab = createLab({ boards: ["esp32", "pico"], nodeKey: keyOf, seed: 3 });
    const sent = new Map<string, string>();
    for (const node of lab.nodes) {
      sent.set(node.name, "");
      node.onHostBound((data) => sent.set(node.name, sent.get(node.name) + data));
    }
    const linesOf = (name: string) =>
      sent
        .get(name)!
        .split("\r\n")
        .filter((l) => l.startsWith("#TN"));
    lab.runUntil(60);
    // Ask a board to send its recent records again: resent lines carry the same tags.
    const again = seqOf(linesOf("pico-1").at(-1)!) - 3;
    lab.nodes[1]!.sendToBoard(`resend ${again}\n`);
    lab.runUntil(61);
    for (const node of lab.nodes) {
      const serial = node.board.serialNumber;
      const lines = linesOf(node.name);
      expect(lines.length).toBeGreaterThan(20);
      const own = authenticator(serial, keyOf(serial));
      const refused = lines.map((l) => own.check(l)).filter((r) => !r.ok && r.reason !== "replayed");
      expect(refused).toEqual([]);
      const other = lab.nodes.find((n) => n !== node)!.board.serialNumber;
      expect(authenticator(serial, keyOf(other)).check(lines[0]!)).toMatchObject({
        ok: false,
        reason: "forged",
      });
    }
    const copies = linesOf("pico-1").filter((l) => seqOf(l) === again);
    expect(copies.length).toBe(2);
    expect(copies[0]).toBe(copies[1]);
  });
});
