// End to end over a real pseudo-terminal: `timenode sim --pty --ptp-master` runs a virtual Pico whose
// firmware is PTP master on its USB host link, and `timenode sync --role slave --port <pty>` takes its
// time, storing each exchange. Both are child processes; the test waits on their JSON lines. The lab
// runs in real time against this machine's clock, advanced in steps of 20 ms, so a line can wait up to
// a step on either side of the pty: the offsets are stated within that, not within the board's µs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { startCli, stopAll, type Json, type JsonChild } from "../cli/json-child.ts";

/** What pacing the lab in 20 ms steps can cost an exchange, with room for a loaded machine. */
const PACING_BOUND_NS = 50e6;

describe("a virtual board as PTP master over its serial link, slave `timenode sync --port`", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-ptp-pty-"));
  const children: JsonChild[] = [];

  afterAll(async () => {
    await stopAll(children);
    rmSync(dir, { recursive: true, force: true });
  });

  it("selects the board, locks, and stores exchanges whose offsets stay within the pacing bound", async () => {
    const sim = startCli("sim", "--pty", dir, "--board", "pico", "--ptp-master", "--json");
    children.push(sim);
    const ready = await sim.next((l) => l["event"] === "ready");
    const pty = (ready["endpoints"] as { pty: string }[])[0]!.pty;
    const db = join(dir, "sync.db");
    const slave = startCli("sync", "--role", "slave", "--port", pty, "--db", db, "--json");
    children.push(slave);
    const master = await slave.next((l) => l["event"] === "master");
    expect(master["clockClass"]).toBe(6);
    const locked: Json[] = [];
    await slave.next((l) => {
      if (l["event"] === "exchange" && l["state"] === "locked") locked.push(l);
      return locked.length >= 10;
    });
    for (const e of locked) {
      expect(Math.abs(Number(e["offsetNs"]))).toBeLessThan(PACING_BOUND_NS);
      expect(Math.abs(Number(e["estimateNs"]))).toBeLessThan(PACING_BOUND_NS);
      expect(Number(e["delayNs"])).toBeLessThan(PACING_BOUND_NS);
    }
    slave.child.kill("SIGINT");
    expect(await slave.exited).toBe(0);
    const store = new Database(db, { readonly: true });
    const stored = store.prepare("SELECT COUNT(*) AS n FROM sync_exchanges").get() as { n: number };
    store.close();
    expect(stored.n).toBeGreaterThanOrEqual(10);
  }, 300_000);
});
