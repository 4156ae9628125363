// `timenode gpio-pps` end to end on the virtual lab's host: the GPS receiver model drives a fake GPIO
// line (user-space latency modelled) and sends NMEA; the host's clocks are the sim's host-clock model.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HostPps } from "../../gpio/host-pps.ts";
import { createNmeaSeconds } from "../../gpio/nmea-seconds.ts";
import { createVirtualHost } from "../../gpio/virtual-host.ts";
import { openStore } from "../../store/open.ts";
import { capture } from "../capture.ts";
import { gpioPps, type GpioPpsDeps } from "./gpio-pps.ts";

function virtualDeps(seed: number) {
  const host = createVirtualHost({ seed, hostPpm: 9, initialTodOffsetS: 0.004 });
  const deps: GpioPpsDeps = {
    gpioProblem: () => null,
    reader: host.reader,
    identity: () => ({ serial: "host-virtual", bootId: "c0ffee00" }),
    start: async (source, reader, tracker, onEdge) => {
      const pps = new HostPps({
        line: host.gpio,
        reader,
        tracker,
        nmeaLabels: source.nmea !== undefined,
        onEdge,
      });
      const nmea = createNmeaSeconds((second) => pps.label(second, reader.monoNs()));
      if (source.nmea !== undefined) host.onNmea((data) => nmea.push(data));
      pps.start();
      return { pps, nmea, stop: async () => pps.stop() };
    },
    // setInterval's ticks, on the lab's clock, with a little timer jitter.
    loop: async (everyMs, step) => {
      const jitter = host.rng.fork("ticks");
      let t = host.scheduler.now;
      for (;;) {
        t += everyMs / 1000 + jitter.uniform() * 0.003;
        host.scheduler.runUntil(t);
        if (step() === true) return;
      }
    },
  };
  return { host, deps };
}

describe("timenode gpio-pps on a virtual host", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-gpio-pps-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reports the host clock against GPS and the latency, and stores the host as a node", async () => {
    const db = join(dir, "host.db");
    const { host, deps } = virtualDeps(3);
    const out = capture();
    const options = { pin: 17, edge: "rising" as const, nmea: "/dev/gps", nmeaBaud: 9600, db, duration: 300 };
    await gpioPps(options, out.ctx, deps);
    expect(out.ctx.exitCode).toBe(0);
    expect(out.stderr).toEqual([
      "host-virtual: watching GPIO 17 (rising edges), seconds from the NMEA on /dev/gps",
    ]);
    const [stored, offset, latency, kernel] = out.stdout;
    expect(stored).toMatch(/^host-virtual: 29\d edges on GPIO 17, stored in /);
    // 4 ms ahead at the start, 9 ppm fast: 6.7 ms at the end, plus tens of µs of latency.
    const truthMs = host.trueOffsetNsAt(host.scheduler.now) / 1e6;
    const shownMs = Number(/system clock − GPS \+(\d+\.\d+) ms/.exec(offset!)![1]);
    expect(Math.abs(shownMs - truthMs)).toBeLessThan(0.15);
    expect(offset).toMatch(/frequency 9\d\d\d ±\d+ ppb/);
    expect(latency).toMatch(/^interrupt latency above the fastest edge: median \d+\.\d µs, 95 % \d+\.\d µs/);
    expect(kernel).toMatch(/kernel PPS .* about ±1 µs instead/);

    const { db: check } = openStore(db);
    const counts = check
      .prepare(
        `SELECT (SELECT COUNT(*) FROM pps_edges) AS edges, (SELECT COUNT(*) FROM servo_states) AS estimates,
                (SELECT board FROM nodes) AS board`,
      )
      .get();
    check.close();
    expect(counts).toMatchObject({ board: "host" });
    expect((counts as { edges: number }).edges).toBeGreaterThan(280);
    expect((counts as { estimates: number }).estimates).toBeGreaterThan(270);
  });

  it("streams an event per edge with --json", async () => {
    const { deps } = virtualDeps(4);
    const out = capture();
    await gpioPps(
      { pin: 4, edge: "rising", nmeaBaud: 9600, db: join(dir, "json.db"), duration: 60, json: true },
      out.ctx,
      deps,
    );
    const events = out.stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
    const edges = events.filter((e) => e["event"] === "edge");
    expect(edges.length).toBeGreaterThan(50);
    expect(edges.at(-1)).toMatchObject({ labelFrom: "system-clock", node: "host-virtual" });
    expect(events.at(-1)).toMatchObject({ event: "summary", node: "host-virtual", pin: 4 });
  });
});
