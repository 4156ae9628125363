import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLab } from "../../sim/lab.ts";
import { Collector } from "../collect/collector.ts";
import { openStore } from "../store/open.ts";
import { labClock } from "../transport/in-process.ts";
import { nodeKey, RecordAuthenticator, signRecord } from "./record-auth.ts";

const SECRET = "collector test secret";

/** A board's lines, each signed with `key` as signing firmware would, pushed into a collector link. */
function run(options: {
  sign: boolean;
  inject?: (push: (line: string) => void, lines: string[], serial: string) => void;
}) {
  const dir = mkdtempSync(join(tmpdir(), "timenode-auth-"));
  const lab = createLab({ boards: ["pico"], scenario: "steady", seed: 3 });
  const node = lab.nodes[0]!;
  const serial = node.board.serialNumber;
  const store = openStore(join(dir, "auth.db"), { synchronous: "normal" });
  const authenticator = new RecordAuthenticator(new Map([[serial, nodeKey(SECRET, serial)]]));
  const collector = new Collector({
    db: store.db,
    clock: labClock(lab),
    authenticateLink: () => authenticator.forLink(),
  });
  const session = collector.attach({ label: "signed", send: (command) => node.sendToBoard(command) });
  const sent: string[] = [];
  let pending = "";
  node.onHostData((data) => {
    pending += data;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim().length === 0) continue;
      const out = options.sign ? signRecord(nodeKey(SECRET, serial), serial, line) : line + "\n";
      sent.push(out);
      session.push(out);
    }
  });
  for (let t = 1; t <= 90; t++) {
    lab.runUntil(t);
    collector.tick();
  }
  options.inject?.((line) => session.push(line), sent, serial);
  collector.flush();
  const stored = store.db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM all_records").get()!.n;
  const report = collector.report();
  store.db.close();
  rmSync(dir, { recursive: true, force: true });
  return { stored, report, sent, authenticator, serial };
}

describe("timenode collect with node keys", () => {
  it("stores a board's signed records and refuses a forgery, a replay and an unknown node, counting each", () => {
    const { stored, report, sent, authenticator } = run({
      sign: true,
      inject: (push, lines, serial) => {
        const genuine = lines.find((l) => l.startsWith("#TN1,U,"))!;
        push(genuine); // replayed
        push(
          genuine.replace(
            /~[^:]+:([0-9a-f]{16})/,
            (_, tag: string) => `~${serial}:${tag.startsWith("0") ? "1" : "0"}${tag.slice(1)}`,
          ),
        ); // forged
        push(signRecord(nodeKey("elsewhere", "FFFF"), "FFFF", genuine.split(" ~")[0]!)); // unknown key
      },
    });
    expect(sent.length).toBeGreaterThan(50);
    expect(stored).toBeGreaterThan(50);
    expect(report.rejected).toMatchObject({ replayed: 1, forged: 1, "unknown-node-key": 1 });
    expect(authenticator.counts.accepted).toBe(sent.length);
  });

  it("takes nothing unauthenticated when keys are required", () => {
    const { stored, report, sent } = run({ sign: false });
    expect(sent.length).toBeGreaterThan(0);
    expect(stored).toBe(0);
    expect(report.rejected["not-authenticated"]).toBe(sent.length);
  });
});
