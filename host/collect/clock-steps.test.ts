import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLab } from "../../sim/lab.ts";
import { EVT_TOD_STEP } from "../host-clock/host-node.ts";
import { openStore } from "../store/open.ts";
import { attachLabNode } from "../transport/in-process.ts";
import { Collector, type HostClock } from "./collector.ts";
import type { CollectEvent } from "./events.ts";

describe("steps of the host's clock while collecting", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-clock-steps-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("are recorded as events of the host node, and move no duration", () => {
    const lab = createLab({ boards: ["esp32"], seed: 2 });
    // A laptop that sleeps: from 100 s on, its time of day is an hour ahead (suspend is invisible to
    // the monotonic clock); at 150 s an NTP step sets it back by 0.3 s. Collector ticks every 100 ms,
    // with a little timer jitter, as setInterval gives.
    const todOffsetNs = (t: number) => (t >= 100 ? 3_600_000_000_000n : 0n) - (t >= 150 ? 300_000_000n : 0n);
    const clock: HostClock = {
      monoNs: () => BigInt(Math.round(lab.scheduler.now * 1e9)),
      wallNs: () =>
        BigInt(lab.utc.utcStartMs) * 1_000_000n +
        BigInt(Math.round(lab.scheduler.now * 1e9)) +
        todOffsetNs(lab.scheduler.now),
    };
    const store = openStore(join(dir, "steps.db"));
    const events: CollectEvent[] = [];
    const collector = new Collector({ db: store.db, clock, emit: (e) => events.push(e) });
    attachLabNode(collector, lab.nodes[0]!);
    let t = 0;
    let step = 0;
    while (t < 200) {
      t += 0.1 + ((step++ * 7919) % 13) / 4000;
      lab.runUntil(t);
      collector.tick();
    }
    collector.flush();
    const steps = events.filter((e) => e.event === "clock-step");
    expect(steps.map((e) => Math.round(e.stepNs / 1e6))).toEqual([3_600_000, -300]);
    // Silence is measured on the monotonic clock: the jumps made no board suspect.
    expect(events.filter((e) => e.event === "state")).toEqual([]);
    const stored = store.db
      .prepare(
        "SELECT n.board, e.code, e.value FROM events e JOIN nodes n ON n.id = e.node_id WHERE e.code = ?",
      )
      .all(EVT_TOD_STEP) as { board: string; value: string }[];
    expect(stored).toHaveLength(2);
    expect(stored.every((r) => r.board === "host")).toBe(true);
    expect(Math.abs(Number(stored[1]!.value) + 300e6)).toBeLessThan(1.1e6);
    store.db.close();
  });
});
