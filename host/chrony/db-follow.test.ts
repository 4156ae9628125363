import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLab } from "../../sim/lab.ts";
import { Collector } from "../collect/collector.ts";
import { openStore } from "../store/open.ts";
import { attachLabNode, labClock } from "../transport/in-process.ts";
import type { HostSample } from "./board-exchange.ts";
import { DbFollow } from "./db-follow.ts";
import type { GateVerdict } from "./feed-gate.ts";

describe("chrony samples from a collector's database", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-db-follow-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("feeds each UTC reading as it was stored, short by its way to the host", () => {
    const lab = createLab({ boards: ["esp32"], seed: 4 });
    // The lab host's system clock is true UTC, so a sample's offset is minus the reading's delay.
    const clock = labClock(lab);
    const store = openStore(join(dir, "collect.db"));
    const collector = new Collector({ db: store.db, clock, nameFor: (_, link) => link.label.slice(4) });
    attachLabNode(collector, lab.nodes[0]!);
    const samples: HostSample[] = [];
    const verdicts: (GateVerdict & { atS: number })[] = [];
    const follow = new DbFollow({
      db: store.db,
      node: "esp32-0",
      limits: { maxBoundNs: 100_000, maxSilenceNs: 25_000_000_000n },
      monoNs: clock.monoNs,
      leap: () => null,
      onSample: (s) => samples.push(s),
      onVerdict: (v) => verdicts.push({ ...v, atS: lab.scheduler.now }),
    });
    for (let t = 0.5; t <= 300; t += 0.5) {
      lab.runUntil(t);
      collector.tick();
      follow.poll();
    }
    expect(verdicts[0]).toMatchObject({
      feed: false,
      reason: "no report from the node yet",
    });
    expect(verdicts.at(-1)).toEqual({ feed: true, atS: expect.any(Number) });
    expect(samples.length).toBeGreaterThanOrEqual(23);
    // A U line is about 100 bytes: 8.7 ms at 115200 baud, and a little more on the board's side.
    for (const s of samples) {
      expect(s.offsetNs).toBeLessThan(100_000);
      expect(s.offsetNs).toBeGreaterThan(-15_000_000);
    }
    expect(follow.stats.withheld).toBe(0);
    const missing: GateVerdict[] = [];
    const other = new DbFollow({
      db: store.db,
      node: "pico-9",
      limits: { maxBoundNs: 100_000, maxSilenceNs: 25_000_000_000n },
      monoNs: clock.monoNs,
      leap: () => null,
      onSample: () => {},
      onVerdict: (v) => missing.push(v),
    });
    other.poll();
    other.poll();
    expect(missing).toEqual([
      { feed: false, reason: "not in the database yet: is timenode collect storing pico-9?" },
    ]);
    store.db.close();
  });
});
