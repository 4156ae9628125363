import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Db } from "../store/open.ts";
import { MIGRATIONS } from "../store/schema.ts";
import { createFenceStore } from "./fence-store.ts";
import { eventsByHlc } from "./hlc-events.ts";

const S = 1_000_000_000;
const at = (trueNs: number, errorNs = 1000) => ({ earliestNs: trueNs - errorNs, latestNs: trueNs + errorNs });

describe("fencing tokens in the store (a real SQLite file)", () => {
  let dir: string;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "timenode-fence-"));
    db = openStore(join(dir, "lab.db")).db;
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a paused holder's stale token and a token never granted, and keeps why", () => {
    const fence = createFenceStore(db);
    const t0 = 1.7e18;
    const first = fence.grant("lab-db", "a", at(t0), 10 * S);
    expect(first).toMatchObject({ granted: true, lease: { token: 1 } });
    expect(fence.grant("lab-db", "b", at(t0 + 5 * S), 10 * S).granted).toBe(false);
    const second = fence.grant("lab-db", "b", at(t0 + 11 * S), 10 * S);
    expect(second).toMatchObject({ granted: true, lease: { token: 2 } });
    expect(fence.write("lab-db", "b", 2, 1n, "b's row").accepted).toBe(true);
    expect(fence.write("lab-db", "a", 1, 2n, "a's late row")).toMatchObject({
      accepted: false,
      reason: "stale-token",
    });
    expect(fence.write("lab-db", "x", 9, 3n, "forged")).toMatchObject({
      accepted: false,
      reason: "token-from-the-future",
    });
    expect(fence.writes("lab-db").map((w) => w.writer)).toEqual(["b"]);
    expect(fence.rejections("lab-db").map((r) => [r.writer, r.reason])).toEqual([
      ["a", "stale-token"],
      ["x", "token-from-the-future"],
    ]);
    // The state survives reopening: the fence is in the file, not in memory.
    const reopened = createFenceStore(db);
    expect(reopened.write("lab-db", "a", 1, 4n, "again").accepted).toBe(false);
  });

  it("stamps every event with an HLC that never goes backwards, even when host time does", () => {
    db.prepare(
      "INSERT INTO nodes (id, serial, name, board, first_seen_ns, last_seen_ns) VALUES (1, 's', 'n', 'pico', 0, 0)",
    ).run();
    const insert = db.prepare(
      "INSERT INTO events (node_id, source, host_ns, code, value) VALUES (1, 'host', ?, ?, '')",
    );
    const ms = 1_782_820_800_000n;
    insert.run((ms + 5n) * 1_000_000n, "a");
    insert.run((ms + 5n) * 1_000_000n + 1n, "b");
    insert.run((ms + 3n) * 1_000_000n, "c"); // the host clock stepped back
    insert.run((ms + 9n) * 1_000_000n, "d");
    const events = eventsByHlc(db);
    expect(events.map((e) => e.code)).toEqual(["a", "b", "c", "d"]);
    expect(events.map((e) => [Number(BigInt(e.hlc.physicalMs) - ms), e.hlc.counter])).toEqual([
      [5, 0],
      [5, 1],
      [5, 2],
      [9, 0],
    ]);
  });

  it("gives the events already stored an HLC when an older database is migrated", () => {
    const path = join(dir, "old.db");
    const version = MIGRATIONS.findIndex((m) => m.sql.includes("ADD COLUMN hlc"));
    const old = openStore(path, { migrations: MIGRATIONS.slice(0, version) }).db;
    old
      .prepare(
        "INSERT INTO nodes (id, serial, name, board, first_seen_ns, last_seen_ns) VALUES (1, 's', 'n', 'pico', 0, 0)",
      )
      .run();
    const insert = old.prepare(
      "INSERT INTO events (node_id, source, host_ns, code, value) VALUES (1, 'host', ?, ?, '')",
    );
    const ms = 1_782_820_800_000n;
    for (const [offsetMs, code] of [
      [2n, "a"],
      [2n, "b"],
      [1n, "c"],
    ] as const)
      insert.run((ms + offsetMs) * 1_000_000n, code);
    old.close();
    const migrated = openStore(path).db;
    try {
      migrated
        .prepare("INSERT INTO events (node_id, source, host_ns, code, value) VALUES (1, 'host', ?, 'd', '')")
        .run((ms + 2n) * 1_000_000n);
      expect(
        eventsByHlc(migrated).map((e) => [e.code, Number(BigInt(e.hlc.physicalMs) - ms), e.hlc.counter]),
      ).toEqual([
        ["c", 1, 0],
        ["a", 2, 0],
        ["b", 2, 1],
        ["d", 2, 2],
      ]);
    } finally {
      migrated.close();
    }
  });
});
