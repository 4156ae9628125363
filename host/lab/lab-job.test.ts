import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLabJob, type LabJobResult } from "./lab-job.ts";

describe("the lab job: virtual boards → collector → SQLite → report, beside the truth", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-lab-job-"));
  let result: LabJobResult;
  beforeAll(() => {
    result = runLabJob({
      boards: ["esp32", "puckjs"],
      scenario: "temperature",
      seed: 3,
      durationS: 5400,
      dbPath: join(dir, "lab.db"),
      generatedAt: "2026-06-30T13:30:00.000Z",
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("collects every record (the ESP32 over the lab's UDP network, the Puck.js over serial)", () => {
    expect(result.collection.nodes.map((n) => [n.name, n.lost, n.owed.length])).toEqual([
      ["puckjs-1", 0, 0],
      ["esp32-0", 0, 0],
    ]);
    expect(result.collection.nodes.find((n) => n.name === "esp32-0")?.link).toMatch(/^lab-udp:/);
  });

  it("estimates each board's frequency offset within four standard uncertainties of the truth", () => {
    for (const node of result.report.nodes) {
      const truth = result.truth.find((t) => t.name === node.name)!;
      const drift = node.drift!;
      expect(drift.points).toBeGreaterThan(5000);
      expect(Math.abs(drift.offsetPpm.value - truth.driftPpm)).toBeLessThan(
        4 * drift.offsetPpm.sigma + 0.002,
      );
    }
  });

  it("gives stability rows with their confidence intervals, and clock readings with their true error", () => {
    for (const node of result.report.nodes) {
      const adev = node.stability.find((s) => s.stat === "adev")!;
      expect(adev.rows.map((r) => r.tau).slice(0, 4)).toEqual([1, 2, 4, 8]);
      for (const row of adev.rows) {
        expect(row.min).toBeLessThanOrEqual(row.dev);
        expect(row.max).toBeGreaterThanOrEqual(row.dev);
      }
      expect(node.clock.length).toBeGreaterThan(100);
      expect(node.clock.every((c) => c.errorNs !== null)).toBe(true);
      const truth = result.truth.find((t) => t.name === node.name)!;
      expect(truth.coverage?.insideHard).toBe(1);
      // Coverage is judged on every reading the board sent, not on the points the charts keep.
      const db = new Database(result.db, { readonly: true });
      const stored = db
        .prepare(
          "SELECT COUNT(*) AS n FROM clock_readings c JOIN boots b USING (boot_key) JOIN nodes n ON n.id = b.node_id WHERE n.name = ?",
        )
        .get(node.name) as { n: number };
      db.close();
      expect(truth.coverage?.readings).toBe(stored.n);
    }
  });

  it("fits the Puck.js's temperature coefficient across the ramp, the truth fitted the same way", () => {
    const puck = result.report.nodes.find((n) => n.board === "puckjs")!;
    const [low, high] = puck.tempco!.temperatureRangeC;
    expect(high - low).toBeGreaterThan(5);
    const truth = result.truth.find((t) => t.name === puck.name)!.tempco!;
    const estimate = puck.tempco!.coefficients[2]!;
    expect(Math.abs(estimate.value - truth.quadraticPpmPerC2)).toBeLessThan(4 * estimate.sigma + 0.002);
  });
});
