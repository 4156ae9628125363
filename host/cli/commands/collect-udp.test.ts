// End to end over real UDP on loopback: virtual WiFi boards (`timenode sim --udp-collector`) send their
// records as datagrams to `timenode collect --udp`; every record they numbered ends up in the database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { startCli, type JsonChild, type Tally, unaccountedRecords, stopAll } from "../json-child.ts";

describe("timenode collect over UDP", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-collect-udp-"));
  const children: JsonChild[] = [];
  afterAll(async () => {
    await stopAll(children);
    rmSync(dir, { recursive: true, force: true });
  });

  it("stores every record two WiFi boards send as datagrams", { timeout: 60_000 }, async () => {
    const dbPath = join(dir, "udp.db");
    const collector = startCli("collect", "--udp", "127.0.0.1:0", "--db", dbPath, "--json");
    children.push(collector);
    const listening = await collector.next((l) => l["event"] === "listening");
    const sim = startCli(
      "sim",
      "--board",
      "esp32",
      "esp8266",
      "--speed",
      "20",
      "--control",
      "--json",
      "--udp-collector",
      String(listening["udp"]),
    );
    children.push(sim);
    await sim.next((l) => l["event"] === "ready");
    const tally = async (): Promise<Tally> => {
      const before = sim.lines.length;
      sim.child.stdin.write("tally\n");
      return (await sim.next((l) => l["event"] === "tally", before)) as unknown as Tally;
    };
    while ((await tally()).virtualS < 90) await new Promise((r) => setTimeout(r, 50));
    sim.child.stdin.write("pause\n");
    await sim.next((l) => l["event"] === "control" && l["command"] === "pause");
    const sent = await tally();

    const db = new Database(dbPath, { readonly: true });
    for (let i = 0; i < 100 && unaccountedRecords(db, sent).length > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(unaccountedRecords(db, sent)).toEqual([]);
    expect(sent.nodes.every((n) => n.boots.length === 1 && n.boots[0]!.sent > 100)).toBe(true);
    const links = db.prepare("SELECT COUNT(*) AS n FROM nodes").get() as { n: number };
    expect(links.n).toBe(2);
    db.close();

    sim.child.kill("SIGINT");
    collector.child.kill("SIGINT");
    const summary = await collector.next((l) => l["event"] === "summary");
    expect((summary["nodes"] as { link: string | null; lost: number }[]).map((n) => n.lost)).toEqual([0, 0]);
    expect(await collector.exited).toBe(0);
    expect(await sim.exited).toBe(0);
  });
});
