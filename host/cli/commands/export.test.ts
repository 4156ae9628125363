import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLab, type Lab } from "../../../sim/lab.ts";
import { Collector } from "../../collect/collector.ts";
import { openStore } from "../../store/open.ts";
import { attachLabNode, labClock } from "../../transport/in-process.ts";
import { runCli } from "../capture.ts";

describe("timenode export", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-export-"));
  const db = join(dir, "lab.db");
  let lab: Lab;

  beforeAll(() => {
    lab = createLab({ boards: ["pico", "esp8266"], seed: 5 });
    const store = openStore(db);
    const collector = new Collector({
      db: store.db,
      clock: labClock(lab),
      nameFor: (_, link) => link.label.slice(4),
    });
    for (const node of lab.nodes) attachLabNode(collector, node);
    for (let t = 1; t <= 240; t++) {
      lab.runUntil(t);
      collector.tick();
    }
    collector.flush();
    store.db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The oscillator's mean frequency error over the part of the run with GPS, ppm. */
  function truthPpm(index: number): number {
    const osc = lab.nodes[index]!.oscillator;
    return ((osc.truePhaseS(235) - osc.truePhaseS(60)) / 175) * 1e6;
  }

  /** Phase values of an export, and the slope of a straight line through them (the frequency error). */
  function slopeOf(values: number[]): number {
    const points = values.map((v, i) => [i, v] as const).filter(([, v]) => Number.isFinite(v));
    const n = points.length;
    const mx = points.reduce((s, [x]) => s + x, 0) / n;
    const my = points.reduce((s, [, y]) => s + y, 0) / n;
    const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
    const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
    return sxy / sxx;
  }

  it.each(["pico-0", "esp8266-1"])(
    "writes %s's phase against GPS, whose slope is the oscillator's error",
    async (name) => {
      const out = join(dir, `${name}.phase`);
      const result = await runCli("export", "--db", db, "--node", name, "--format", "phase", "--out", out);
      expect(result.code).toBe(0);
      const lines = readFileSync(out, "utf8").trim().split("\n");
      expect(lines[0]).toMatch(/^# timenode phase/);
      const values = lines.filter((l) => !l.startsWith("#")).map(Number);
      expect(values.length).toBeGreaterThan(150);
      const truth = truthPpm(lab.nodes.findIndex((n) => n.name === name));
      expect(Math.abs(slopeOf(values) * 1e6 - truth)).toBeLessThan(0.2);
    },
  );

  it("writes frequency data and CSV rows of every edge", async () => {
    const freq = await runCli("export", "--db", db, "--node", "pico-0", "--format", "freq");
    const values = freq.stdout.filter((l) => !l.startsWith("#")).map(Number);
    const finite = values.filter(Number.isFinite);
    expect(Math.abs((finite.reduce((a, b) => a + b, 0) / finite.length) * 1e6 - truthPpm(0))).toBeLessThan(
      0.2,
    );
    const csv = await runCli("export", "--db", db, "--node", "pico-0");
    expect(csv.stdout[0]).toBe("boot_id,seq,host_ns,local_ns,interval_ns,flags,utc_second");
    expect(csv.stdout[5]).toMatch(/^[0-9A-F]{8},\d+,\d{19},\d+,\d+,\d+,\d{10}$/);
  });

  it("names the nodes it has when asked for one it has not, and refuses a bad format", async () => {
    const missing = await runCli("export", "--db", db, "--node", "nope");
    expect(missing.code).toBe(1);
    expect(missing.stderr.join("\n")).toContain('no node "nope"');
    expect(missing.stderr.join("\n")).toContain("nodes: esp8266-1, pico-0");
    const bad = await runCli("export", "--db", db, "--node", "pico-0", "--format", "xml");
    expect(bad.code).toBe(2);
    const noDb = await runCli("export", "--db", join(dir, "absent.db"), "--node", "x");
    expect(noDb.code).toBe(1);
    expect(noDb.stderr.join("\n")).toContain("does not exist; collect into it first");
  });
});
