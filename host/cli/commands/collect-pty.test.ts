// End to end over real pseudo-terminals: `timenode sim --pty --control` boards and `timenode collect`
// through serialport. A board is unplugged and plugged back, the collector is killed with SIGKILL and
// restarted, a board resets; afterwards every record the boards numbered is in the database once, or
// reported lost with its range.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

const CLI = join(import.meta.dirname, "..", "..", "..", "bin", "timenode.js");
const hasSocat = spawnSync("socat", ["-V"]).status === 0;

type Json = Record<string, unknown>;

/** A child process whose stdout is NDJSON, with a way to wait for a line that matches. */
class JsonChild {
  readonly lines: Json[] = [];
  private waiters: { match: (line: Json) => boolean; resolve: (line: Json) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on("line", (text) => {
      let line: Json;
      try {
        line = JSON.parse(text) as Json;
      } catch {
        return;
      }
      this.lines.push(line);
      if (process.env["DEBUG_E2E"]) console.error(JSON.stringify(line).slice(0, 200));
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(line)) return true;
        w.resolve(line);
        return false;
      });
    });
    if (process.env["DEBUG_E2E"])
      child.stderr.on("data", (d: Buffer) => process.stderr.write("ERR " + d.toString()));
    else child.stderr.resume();
    this.exited = new Promise((done) => child.once("exit", (code) => done(code)));
  }

  /** The first line (already seen or still to come) that matches. */
  next(match: (line: Json) => boolean, after = 0): Promise<Json> {
    const seen = this.lines.slice(after).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
}

function start(...args: string[]): JsonChild {
  return new JsonChild(spawn(process.execPath, [CLI, ...args]));
}

interface Tally {
  virtualS: number;
  nodes: { node: string; serial: string; boots: { bootId: string; sent: number }[] }[];
}

describe.skipIf(!hasSocat)("timenode collect over pseudo-terminals", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-collect-e2e-"));
  const dbPath = join(dir, "lab.db");
  const children: JsonChild[] = [];

  afterAll(async () => {
    for (const c of children)
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGKILL");
    await Promise.all(children.map((c) => c.exited));
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "loses nothing through an unplug, a collector crash and a board reset",
    { timeout: 90_000 },
    async () => {
      const sim = start(
        "sim",
        "--pty",
        dir,
        "--board",
        "pico",
        "esp32",
        "--speed",
        "10",
        "--control",
        "--json",
      );
      children.push(sim);
      await sim.next((l) => l["event"] === "ready");
      let control = 0;
      const command = async (line: string): Promise<Json> => {
        const before = sim.lines.length;
        sim.child.stdin.write(`${line}\n`);
        control++;
        return sim.next((l) => l["event"] === "control" || l["event"] === "tally", before);
      };
      const tally = async () => (await command("tally")) as unknown as Tally;
      /** Polls the lab's virtual clock (no wall-clock sleeps decide anything). */
      const untilVirtual = async (seconds: number) => {
        while ((await tally()).virtualS < seconds) await new Promise((r) => setTimeout(r, 50));
      };
      const collectArgs = [
        "collect",
        "--port",
        join(dir, "pico-0"),
        join(dir, "esp32-1"),
        "--db",
        dbPath,
        "--json",
      ];

      let collector = start(...collectArgs);
      children.push(collector);
      await collector.next((l) => l["event"] === "node" && String(l["link"]).endsWith("pico-0"));
      await collector.next((l) => l["event"] === "node" && String(l["link"]).endsWith("esp32-1"));
      // Past the receivers' cold start, so PPS records flow (about three records a second per board).
      await untilVirtual(60);

      // Unplug the pico for a few (virtual) seconds; the collector reopens the port when it comes back.
      expect(await command("unplug pico-0")).toMatchObject({ ok: true });
      await collector.next((l) => l["event"] === "link-closed" && String(l["link"]).endsWith("pico-0"));
      const unpluggedAt = (await tally()).virtualS;
      await untilVirtual(unpluggedAt + 6);
      const opensBefore = collector.lines.length;
      expect(await command("plug pico-0")).toMatchObject({ ok: true });
      await collector.next(
        (l) => l["event"] === "link-open" && String(l["link"]).endsWith("pico-0"),
        opensBefore,
      );
      await collector.next((l) => l["event"] === "resend" && l["node"] !== undefined, opensBefore);
      await untilVirtual(unpluggedAt + 15);

      // The collector dies without flushing; a new one takes over the same database.
      collector.child.kill("SIGKILL");
      await collector.exited;
      await untilVirtual((await tally()).virtualS + 3);
      collector = start(...collectArgs);
      children.push(collector);
      await collector.next((l) => l["event"] === "node" && String(l["link"]).endsWith("esp32-1"));

      // The ESP32 resets: a new boot id, sequence numbers from 0 again.
      expect(await command("reset esp32-1")).toMatchObject({ ok: true });
      const reset = await collector.next((l) => l["event"] === "reset" && l["fromBoot"] !== null);
      expect(String(reset["node"])).toMatch(/^esp32-/);
      await untilVirtual((await tally()).virtualS + 10);

      // Stop the boards, then wait until the database holds (or reports lost) all they numbered.
      await command("pause");
      const sent = await tally();
      const db = new Database(dbPath, { readonly: true });
      const storedSeqs = db.prepare<[string, string], { seq: number }>(
        "SELECT r.seq FROM all_records r JOIN boots b USING (boot_key) JOIN nodes n ON n.id = b.node_id WHERE n.serial = ? AND b.boot_id = ? ORDER BY r.seq",
      );
      const lostRanges = db.prepare<[string, string], { first_seq: number; last_seq: number }>(
        "SELECT l.first_seq, l.last_seq FROM lost_ranges l JOIN boots b USING (boot_key) JOIN nodes n ON n.id = b.node_id WHERE n.serial = ? AND b.boot_id = ?",
      );
      const unaccounted = () =>
        sent.nodes.flatMap((node) =>
          node.boots.flatMap(({ bootId, sent: count }) => {
            const stored = new Set(storedSeqs.all(node.serial, bootId).map((r) => r.seq));
            const lost = lostRanges.all(node.serial, bootId);
            const missing: string[] = [];
            for (let seq = 0; seq < count; seq++)
              if (!stored.has(seq) && !lost.some((r) => r.first_seq <= seq && seq <= r.last_seq))
                missing.push(`${node.node}/${bootId}/${seq}`);
            return missing;
          }),
        );
      for (let i = 0; i < 100 && unaccounted().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(unaccounted()).toEqual([]);
      expect(sent.nodes.find((n) => n.node === "esp32-1")?.boots).toHaveLength(2);

      // Every row once: the key forbids copies; the count equals the distinct count.
      const { rows, keys } = db
        .prepare("SELECT COUNT(*) AS rows, COUNT(DISTINCT boot_key || '/' || seq) AS keys FROM all_records")
        .get() as { rows: number; keys: number };
      expect(rows).toBe(keys);
      const hostEvents = db.prepare("SELECT DISTINCT code FROM events WHERE source = 'host'").all() as {
        code: string;
      }[];
      expect(hostEvents.map((e) => e.code)).toContain("boot");
      db.close();

      collector.child.kill("SIGINT");
      const summary = await collector.next((l) => l["event"] === "summary");
      expect(await collector.exited).toBe(0);
      expect((summary["nodes"] as { owed: unknown[] }[]).every((n) => n.owed.length === 0)).toBe(true);
      sim.child.kill("SIGINT");
      expect(await sim.exited).toBe(0);
      expect(control).toBeGreaterThan(5);
    },
  );
});
