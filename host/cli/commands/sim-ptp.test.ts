import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../capture.ts";

describe("timenode sim --ptp-master", () => {
  it("is a usage error without --pty, or with a speed other than real time", async () => {
    const noPty = await runCli("sim", "--board", "pico", "--ptp-master");
    expect(noPty.code).toBe(2);
    expect(noPty.stderr.join("\n")).toMatch(/--ptp-master needs --pty/);
    const fast = await runCli("sim", "--board", "pico", "--pty", "--speed", "10", "--ptp-master");
    expect(fast.code).toBe(2);
  });

  it("names a board whose firmware cannot be a PTP master, before opening any pty", async () => {
    const dir = mkdtempSync(join(tmpdir(), "timenode-sim-ptp-"));
    try {
      const r = await runCli("sim", "--board", "pico", "puckjs", "--pty", dir, "--ptp-master");
      expect(r.code).toBe(1);
      expect(r.stderr.join("\n")).toMatch(/puckjs.*does not fit.*leave that board out \(--board\)/);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
