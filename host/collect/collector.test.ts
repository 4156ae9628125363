import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeRecord } from "../../firmware/src/protocol.ts";
import { createLab, type Lab } from "../../sim/lab.ts";
import { openStore, type Db } from "../store/open.ts";
import { attachLabNode, attachLabUdp, labClock, type InProcessLink } from "../transport/in-process.ts";
import { Collector } from "./collector.ts";
import type { CollectEvent } from "./events.ts";

/** Every record each board put on its host link (first sends and resends), from a tap on the wire. */
function tapEmitted(lab: Lab): Map<string, Set<number>> {
  const emitted = new Map<string, Set<number>>();
  for (const node of lab.nodes) {
    let pending = "";
    node.onHostData((data) => {
      pending += data;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const record = decodeRecord(line, (text) => crc32(Buffer.from(text, "latin1")));
        if (typeof record === "string") continue;
        const key = `${node.board.serialNumber}/${record.bootId}`;
        if (!emitted.has(key)) emitted.set(key, new Set());
        emitted.get(key)!.add(record.seq);
      }
    });
  }
  return emitted;
}

interface Accounted {
  stored: Map<string, number[]>;
  lost: Map<string, [number, number][]>;
}

function accounted(db: Db): Accounted {
  const stored = new Map<string, number[]>();
  for (const row of db
    .prepare<[], { serial: string; boot_id: string; seq: number }>(
      "SELECT n.serial, b.boot_id, r.seq FROM all_records r JOIN boots b USING (boot_key) JOIN nodes n ON n.id = b.node_id ORDER BY r.seq",
    )
    .all()) {
    const key = `${row.serial}/${row.boot_id}`;
    if (!stored.has(key)) stored.set(key, []);
    stored.get(key)!.push(row.seq);
  }
  const lost = new Map<string, [number, number][]>();
  for (const row of db
    .prepare<[], { serial: string; boot_id: string; first_seq: number; last_seq: number }>(
      "SELECT n.serial, b.boot_id, l.first_seq, l.last_seq FROM lost_ranges l JOIN boots b USING (boot_key) JOIN nodes n ON n.id = b.node_id",
    )
    .all()) {
    const key = `${row.serial}/${row.boot_id}`;
    if (!lost.has(key)) lost.set(key, []);
    lost.get(key)!.push([row.first_seq, row.last_seq]);
  }
  return { stored, lost };
}

function expectEverythingAccounted(emitted: Map<string, Set<number>>, db: Db): void {
  const { stored, lost } = accounted(db);
  for (const [key, seqs] of emitted) {
    const have = stored.get(key) ?? [];
    expect(new Set(have).size, `${key}: stored once each`).toBe(have.length);
    const haveSet = new Set(have);
    const ranges = lost.get(key) ?? [];
    const unaccounted = [...seqs].filter(
      (s) => !haveSet.has(s) && !ranges.some(([a, b]) => a <= s && s <= b),
    );
    expect(unaccounted, `${key}: emitted but neither stored nor reported lost`).toEqual([]);
  }
}

/** Runs the lab second by second, ticking the collector unless it is dead (null). */
function run(lab: Lab, collector: () => Collector | null, untilS: number): void {
  for (let t = Math.floor(lab.scheduler.now) + 1; t <= untilS; t++) {
    lab.runUntil(t);
    collector()?.tick();
  }
}

describe("collector over the virtual lab", () => {
  it("stores every record once through an unplug, a board reset and a collector crash", () => {
    const lab = createLab({ boards: ["pico", "esp8266"], seed: 11 });
    const emitted = tapEmitted(lab);
    const { db } = openStore(":memory:");
    const events: CollectEvent[] = [];
    const make = () =>
      new Collector({
        db,
        clock: labClock(lab),
        emit: (e) => events.push(e),
        flushEveryNs: 2_000_000_000n,
        nameFor: (identity, link) => link.label.replace(/^lab:/, ""),
      });
    let collector = make();
    let links: InProcessLink[] = lab.nodes.map((node) => attachLabNode(collector, node));
    run(lab, () => collector, 30);
    links[0]!.unplug();
    run(lab, () => collector, 36);
    links[0]!.plug();
    run(lab, () => collector, 60);
    lab.nodes[1]!.board.reboot();
    run(lab, () => collector, 80);
    // The collector dies with an unflushed batch: its records were never acknowledged.
    for (const link of links) link.abandon();
    run(lab, () => null, 85);
    collector = make();
    links = lab.nodes.map((node) => attachLabNode(collector, node));
    run(lab, () => collector, 100);
    const beforeLongUnplug = collector.report().nodes.find((n) => n.name === "pico-0")!;
    // Longer than the pico's resend ring can hold: the oldest unacknowledged records are dropped.
    links[0]!.unplug();
    run(lab, () => collector, 115);
    links[0]!.plug();
    run(lab, () => collector, 140);
    collector.flush();

    expectEverythingAccounted(emitted, db);
    const report = collector.report();
    expect(report.nodes.map((n) => n.name).sort()).toEqual(["esp8266-1", "pico-0"]);
    // The pico takes commands: what it sent while briefly unplugged or while no collector ran came back.
    expect(beforeLongUnplug.recovered).toBeGreaterThan(10);
    expect(beforeLongUnplug.lost).toBe(0);
    const pico = report.nodes.find((n) => n.name === "pico-0")!;
    expect(pico.lost).toBeGreaterThan(0);
    expect(pico.owed).toEqual([]);
    const lost = db
      .prepare(
        "SELECT n.name, l.reason FROM lost_ranges l JOIN boots b USING (boot_key) JOIN nodes n ON n.id = b.node_id ORDER BY n.name",
      )
      .all() as { name: string; reason: string }[];
    // The ESP8266's only UART is shared with the GPS: it cannot resend, so the crash's batch is reported lost.
    expect(lost).toEqual([
      { name: "esp8266-1", reason: "no-return-link" },
      { name: "pico-0", reason: "board-dropped" },
    ]);
    expect(events.some((e) => e.event === "reset" && e.node === "esp8266-1" && e.fromBoot !== null)).toBe(
      true,
    );
    expect(
      events
        .filter((e) => e.event === "state" && e.node === "pico-0")
        .map((e) => e.event === "state" && e.to),
    ).toEqual(["suspect", "up", "suspect", "down", "up"]);
    const hostEvents = db.prepare("SELECT code FROM events WHERE source = 'host'").all() as {
      code: string;
    }[];
    expect(hostEvents.map((e) => e.code)).toEqual(expect.arrayContaining(["suspect", "down", "up", "boot"]));
  });

  it("takes a WiFi board's records over the lab's UDP network, acknowledging them", () => {
    const lab = createLab({ boards: ["esp32"], seed: 4, udpHostPort: 5740 });
    const serialBytes: string[] = [];
    lab.nodes[0]!.onHostData((data) => serialBytes.push(data));
    const { db } = openStore(":memory:");
    const events: CollectEvent[] = [];
    const collector = new Collector({ db, clock: labClock(lab), emit: (e) => events.push(e) });
    attachLabUdp(collector, lab, 5740);
    run(lab, () => collector, 240);
    collector.flush();
    const [node] = collector.report().nodes;
    expect(node?.link).toMatch(/^lab-udp:127\.0\.100\.\d+:5740$/);
    expect(node?.stored).toBeGreaterThan(500);
    expect(node?.lost).toBe(0);
    expect(events.filter((e) => e.event === "board-event" && e.code === "ring_overflow")).toEqual([]);
    // Nothing but the console banner went out on the serial port.
    expect(serialBytes.join("")).not.toContain("#TN1");
  });
});
