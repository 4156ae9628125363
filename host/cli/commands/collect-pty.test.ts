// End to end over real pseudo-terminals: `timenode sim --pty --control` boards and `timenode collect`
// through serialport. A board is unplugged and plugged back, the collector is killed with SIGKILL and
// restarted, a board resets; afterwards every record the boards numbered is in the database once, or
// reported lost with its range.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { JsonChild, startCli, type Json, type Tally, unaccountedRecords, stopAll } from "../json-child.ts";

const hasSocat = spawnSync("socat", ["-V"]).status === 0;

describe.skipIf(!hasSocat)("timenode collect over pseudo-terminals", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-collect-e2e-"));
  const dbPath = join(dir, "lab.db");
  const children: JsonChild[] = [];

  afterAll(async () => {
    await stopAll(children);
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "loses nothing through an unplug, a collector crash and a board reset",
    { timeout: 90_000 },
    async () => {
      const sim = startCli(
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
      const command = async (line: string): Promise<Json> => {
        const before = sim.lines.length;
        sim.child.stdin.write(`${line}\n`);
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

      let collector = startCli(...collectArgs);
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
      collector = startCli(...collectArgs);
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
      const unaccounted = () => unaccountedRecords(db, sent);
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
    },
  );
});
