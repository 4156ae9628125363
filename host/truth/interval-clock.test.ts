import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLabJob } from "../lab/lab-job.ts";
import { openStore } from "../store/open.ts";
import { intervalClock, openIntervalClock, storeIntervalClock } from "./interval-clock.ts";

const START_NS = BigInt(Date.UTC(2026, 5, 30, 12)) * 1_000_000n;

describe("the interval clock over a store", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-iclock-"));
  const db = join(dir, "lab.db");
  beforeAll(() => {
    runLabJob({
      boards: ["esp32", "esp32", "puckjs"],
      scenario: "steady",
      seed: 5,
      durationS: 900,
      dbPath: db,
    });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is certain only outside [earliest, latest], which holds the lab's true time", () => {
    const clock = openIntervalClock(db);
    try {
      const now = clock.now();
      expect(now.status).toBe("synchronized");
      const earliest = now.earliestNs!;
      const latest = now.latestNs!;
      // The lab's host clock is true time: the moment asked about is the truth.
      expect(earliest <= now.atHostNs && now.atHostNs <= latest).toBe(true);
      expect(clock.after(earliest - 1n)).toBe(true);
      expect(clock.after(earliest)).toBe(false);
      expect(clock.before(latest + 1n)).toBe(true);
      expect(clock.before(latest)).toBe(false);
      expect(clock.after((earliest + latest) / 2n) || clock.before((earliest + latest) / 2n)).toBe(false);
    } finally {
      clock.close();
    }
  });

  it("asked about a later moment, widens at the nodes' measured rates and says holdover", () => {
    const { db: handle } = openStore(db, { readonly: true });
    try {
      const at = (s: number) => () => START_NS + BigInt(s) * 1_000_000_000n;
      const soon = storeIntervalClock(handle, { hostNs: at(900) }).now();
      const later = storeIntervalClock(handle, { hostNs: at(900 + 3600) }).now();
      expect(soon.status).toBe("synchronized");
      expect(later.status).toBe("holdover");
      expect(later.latestNs! - later.earliestNs!).toBeGreaterThan(soon.latestNs! - soon.earliestNs!);
      for (const n of later.nodes) expect(n.growthPpb).toBeGreaterThan(0);
    } finally {
      handle.close();
    }
  });

  it("claims nothing when the time is unknown", () => {
    const unknown = intervalClock(() => ({
      status: "unknown",
      atHostNs: 0n,
      earliestNs: null,
      latestNs: null,
      majority: null,
      nodes: [],
      reason: "no node has a clock reading",
    }));
    expect(unknown.after(0n)).toBe(false);
    expect(unknown.before(2n ** 62n)).toBe(false);
  });
});
