import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../capture.ts";

describe("timenode lab and timenode report", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-lab-cli-"));
  const db = join(dir, "lab.db");
  const html = join(dir, "lab.html");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    "runs the lab into a fresh database and puts the truth beside each estimate",
    { timeout: 60_000 },
    async () => {
      const result = await runCli(
        "lab",
        "--boards",
        "esp32",
        "pico",
        "--duration",
        "0.25",
        "--db",
        db,
        "--html",
        html,
        "--json",
      );
      expect(result.code).toBe(0);
      const out = JSON.parse(result.stdout[0]!) as {
        db: string;
        html: string;
        nodes: {
          name: string;
          drift: { estimatePpm: { value: number; sigma: number }; truthPpm: number };
          clockBounds: unknown;
        }[];
      };
      expect(out.nodes.map((n) => n.name)).toEqual(["esp32-0", "pico-1"]);
      for (const node of out.nodes) {
        expect(Math.abs(node.drift.estimatePpm.value - node.drift.truthPpm)).toBeLessThan(
          4 * node.drift.estimatePpm.sigma + 0.01,
        );
        expect(node.clockBounds).toMatchObject({ insideHard: 1 });
      }
      expect(readFileSync(html, "utf8")).toContain("<svg");
      // A database of its own is never overwritten.
      const again = await runCli("lab", "--boards", "esp32", "--duration", "0.1", "--db", db, "--no-html");
      expect(again.code).toBe(1);
      expect(again.stderr.join("\n")).toContain("already exists; timenode lab writes a fresh database");
    },
  );

  it("reports from the database alone: a table, JSON, one node, HTML", async () => {
    const table = await runCli("report", "--db", db);
    expect(table.code).toBe(0);
    expect(table.stdout[0]).toMatch(/^NODE\s+BOARD\s+OSCILLATOR/);
    expect(table.stdout.join("\n")).toMatch(/esp32-0\s+esp32\s+at-cut/);
    const one = await runCli(
      "report",
      "--db",
      db,
      "--node",
      "pico-1",
      "--json",
      "--html",
      join(dir, "pico.html"),
    );
    const model = JSON.parse(one.stdout[0]!) as { nodes: { name: string; stability: unknown[] }[] };
    expect(model.nodes.map((n) => n.name)).toEqual(["pico-1"]);
    expect(model.nodes[0]!.stability).toHaveLength(3);
    expect(existsSync(join(dir, "pico.html"))).toBe(true);
    const unknown = await runCli("report", "--db", db, "--node", "nope");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.join("\n")).toContain("nodes: esp32-0, pico-1");
  });

  it("refuses unknown boards and scenarios (exit 2)", async () => {
    expect((await runCli("lab", "--boards", "nope", "--db", join(dir, "x.db"))).code).toBe(2);
    expect((await runCli("lab", "--scenario", "nope", "--db", join(dir, "x.db"))).code).toBe(2);
    expect((await runCli("lab", "--duration", "0.001", "--db", join(dir, "x.db"))).code).toBe(2);
  });
});
