// End to end over real pseudo-terminals: `timenode sim --blank --pty --control` boards waiting at their
// REPL, flashed by `timenode flash` through serialport: a board of the wrong kind is refused and left
// alone, an upload cut off halfway (the pty pulled out) is reported and a retry succeeds, and the
// firmware then runs and says hello.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getBoard } from "../../../boards/index.ts";
import { buildFirmware } from "../../../firmware/build/bundle.ts";
import { CLI, startCli, stopAll, type Json, type JsonChild } from "../json-child.ts";

const hasSocat = spawnSync("socat", ["-V"]).status === 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function flash(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "flash", ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!hasSocat)("timenode flash over pseudo-terminals", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-flash-e2e-"));
  const children: JsonChild[] = [];

  afterAll(async () => {
    await stopAll(children);
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "refuses the wrong board, survives an upload cut off halfway, and flashes on retry",
    { timeout: 120_000 },
    async () => {
      const sim = startCli(
        "sim",
        "--blank",
        "--pty",
        dir,
        "--board",
        "pico",
        "puckjs",
        "--control",
        "--json",
      );
      children.push(sim);
      const ready = await sim.next((l) => l["event"] === "ready");
      const endpoints = ready["endpoints"] as { node: string; serial: string }[];
      const command = async (line: string): Promise<Json> => {
        const before = sim.lines.length;
        sim.child.stdin.write(`${line}\n`);
        return sim.next((l) => l["event"] === "control", before);
      };
      const pico = join(dir, "pico-0");
      const puck = join(dir, "puckjs-1");

      const wrong = await flash("--board", "pico", "--port", puck);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr.trim().split("\n")).toHaveLength(1);
      expect(wrong.stderr).toMatch(/has a PUCKJS board .*pass --board puckjs/);

      const bundleBytes = buildFirmware({ board: getBoard("pico") }).code.length;
      expect((await command(`unplug-after pico-0 ${Math.floor(bundleBytes / 2)}`))["ok"]).toBe(true);
      const cut = await flash("--board", "pico", "--port", pico);
      expect(cut.code).toBe(1);
      const acknowledged = Number(/stopped with (\d+) of \d+ bytes acknowledged/.exec(cut.stderr)?.[1]);
      expect(acknowledged).toBeGreaterThan(0);
      expect(acknowledged).toBeLessThanOrEqual(bundleBytes / 2);
      expect(cut.stderr).toMatch(/timenode flash --erase --port/);

      expect((await command("plug pico-0"))["ok"]).toBe(true);
      const retry = await flash("--board", "pico", "--port", pico, "--json");
      expect(retry.stderr).toBe("");
      expect(retry.code).toBe(0);
      const result = JSON.parse(retry.stdout) as {
        method: string;
        verified: boolean;
        bytes: number;
        hello: { serial: string } | null;
      };
      expect(result.method).toBe("packets");
      expect(result.verified).toBe(true);
      expect(result.bytes).toBe(bundleBytes);
      expect(result.hello?.serial).toBe(endpoints.find((e) => e.node === "pico-0")?.serial);
    },
  );

  it("says which port does not exist", async () => {
    const missing = await flash("--board", "pico", "--port", join(dir, "nothing-here"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/serial port .*nothing-here does not exist/);
  });

  it("needs a board and a port", async () => {
    expect((await flash("--port", join(dir, "pico-0"))).code).toBe(2);
    expect((await flash("--board", "pico")).code).toBe(2);
  });
});
