import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HostPps } from "../gpio/host-pps.ts";
import { createVirtualHost } from "../gpio/virtual-host.ts";
import { openStore } from "../store/open.ts";
import { EVT_TOD_STEP, HostNode } from "./host-node.ts";
import { TodTracker } from "./tod-tracker.ts";

describe("the host as a node in the store", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-host-node-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("stores its PPS edges, clock estimates and time-of-day steps like any node's, across runs", () => {
    const path = join(dir, "host.db");
    const identity = { serial: "host-labpi", bootId: "0badc0de" };
    let truthAtEndNs = 0;
    for (const run of [0, 1]) {
      const host = createVirtualHost({ seed: 11 + run, hostPpm: -7, initialTodOffsetS: -0.0005 });
      host.clock.step({ atS: 120.3, stepS: 0.5 });
      const store = openStore(path);
      const tracker = new TodTracker(host.reader, { onStep: (s) => node.step(s) });
      tracker.observe();
      const node = new HostNode(store.db, identity, 1n);
      const pps = new HostPps({
        line: host.gpio,
        reader: host.reader,
        tracker,
        nmeaLabels: false,
        onEdge: (e) =>
          node.edge(
            {
              ...e,
              estimate: e.fit && e.offsetNs !== null ? { ...e.fit, offsetNs: e.offsetNs } : null,
            },
            e.systemNs,
          ),
      });
      pps.start();
      const jitter = host.rng.fork("ticks");
      for (let t = 0.1; t <= 200; t += 0.1 + jitter.uniform() * 0.003) {
        host.scheduler.runUntil(t);
        tracker.observe();
      }
      pps.stop();
      const lastPulse = host.gpio.deliveries.at(-1)!;
      truthAtEndNs = host.trueOffsetNsAt(lastPulse.trueTimeS - lastPulse.latencyS);
      expect(host.gpio.unexported).toBe(true);
      store.db.close();
    }
    const { db } = openStore(path);
    const nodes = db.prepare("SELECT serial, name, board FROM nodes").all();
    expect(nodes).toEqual([{ serial: "host-labpi", name: "host-labpi", board: "host" }]);
    const edges = db.prepare("SELECT COUNT(*) AS n FROM pps_edges").get() as { n: number };
    expect(edges.n).toBeGreaterThan(2 * 190);
    const servo = db
      .prepare("SELECT freq_ppt, phase_offset_ns, state FROM servo_states ORDER BY seq DESC LIMIT 1")
      .get() as { freq_ppt: number; phase_offset_ns: number; state: number };
    expect(servo.state).toBe(2);
    expect(Math.abs(servo.freq_ppt / 1e6 + 7)).toBeLessThan(0.5);
    // −0.5 ms, +0.5 s from the step, −7 ppm over 200 s: the model's truth, plus the user-space latency.
    expect(truthAtEndNs).toBeGreaterThan(497e6);
    expect(Math.abs(servo.phase_offset_ns - truthAtEndNs)).toBeLessThan(200_000);
    const steps = db.prepare("SELECT code, value FROM events WHERE code = ?").all(EVT_TOD_STEP) as {
      value: string;
    }[];
    expect(steps).toHaveLength(2);
    for (const s of steps) expect(Math.abs(Number(s.value) - 0.5e9)).toBeLessThan(1.1e6);
    db.close();
  });
});
