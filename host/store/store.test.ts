import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import type { DecodedRecord } from "../../firmware/src/protocol.ts";
import { openStore } from "./open.ts";
import { createRegistry, subtractRanges } from "./registry.ts";
import { MIGRATIONS, SCHEMA_VERSION } from "./schema.ts";
import { createRecordWriter, parseFieldInteger } from "./writer.ts";

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), "timenode-store-"));
  dirs.push(dir);
  return join(dir, "lab.db");
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const record = (type: string, seq: number, fields: string[], bootId = "0A0B0C0D"): DecodedRecord => ({
  version: 1,
  type,
  bootId,
  seq,
  fields,
});

describe("openStore", () => {
  it("creates the current schema in WAL mode", () => {
    const path = tempDb();
    const { db, migratedFrom } = openStore(path);
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(migratedFrom).toBeNull();
    db.close();
  });

  it("refuses a database from a newer schema, naming both versions", () => {
    const path = tempDb();
    const { db } = openStore(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 3}`);
    db.close();
    expect(() => openStore(path)).toThrow(
      `has schema version ${SCHEMA_VERSION + 3}, newer than this timenode's ${SCHEMA_VERSION}; upgrade timenode`,
    );
  });

  it("migrates an older schema after keeping a backup copy", () => {
    const path = tempDb();
    const old = openStore(path);
    old.db
      .prepare(
        "INSERT INTO nodes (serial, name, board, first_seen_ns, last_seen_ns) VALUES ('s', 'n', 'pico', 1, 1)",
      )
      .run();
    old.db.close();
    const next = [
      ...MIGRATIONS,
      { version: SCHEMA_VERSION + 1, description: "test", sql: "ALTER TABLE nodes ADD COLUMN note TEXT;" },
    ];
    const opened = openStore(path, { migrations: next });
    expect(opened.migratedFrom).toBe(SCHEMA_VERSION);
    expect(opened.backupPath).toBe(`${path}.v${SCHEMA_VERSION}.bak`);
    expect(existsSync(opened.backupPath!)).toBe(true);
    expect(opened.db.prepare("SELECT name, note FROM nodes").get()).toEqual({ name: "n", note: null });
    opened.db.close();
    const backup = openStore(opened.backupPath!, { readonly: true });
    expect(backup.db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    backup.db.close();
  });

  it("says what is wrong with a file that is not a database, or a folder that does not exist", () => {
    const path = tempDb();
    writeFileSync(path, "this is not sqlite, just text that is long enough to have a header".repeat(20));
    expect(() => openStore(path)).toThrow(/is not an SQLite database; pick another --db path/);
    expect(() => openStore(join(path, "nope", "x.db"))).toThrow(/cannot open database .*folder must exist/);
    expect(() => openStore(join(tmpdir(), "absent-timenode.db"), { readonly: true })).toThrow(
      /does not exist; collect into it first/,
    );
  });
});

describe("record writer", () => {
  it("stores each record once, typed rows included, however often it arrives", () => {
    const { db } = openStore(":memory:");
    const registry = createRegistry(db);
    const { id } = registry.node("serial-1", "pico", "pico-0", 1n);
    const bootKey = registry.boot(id, "0A0B0C0D", 1n);
    const writer = createRecordWriter(db);
    const rows = [
      record("P", 0, ["1000000", "0", "0"]),
      record("P", 1, ["2000010", "1000010", "0"]),
      record("U", 2, [
        "2500000",
        "1782820849",
        "123456789",
        "0",
        "-5000",
        "5000",
        "-9000",
        "9000",
        "2",
        "500",
      ]),
      record("E", 3, ["2600000", "gps_lost", "2"]),
      record("T", 4, ["2700000", "23500"]),
      record("P", 5, ["x", "y", "z"]),
    ].map((r) => ({ nodeId: id, bootKey, record: r, hostNs: 1_782_820_849_000_000_000n }));
    expect(writer.write(rows)).toEqual({ inserted: 6, duplicates: 0, malformed: 1 });
    expect(writer.write(rows)).toEqual({ inserted: 0, duplicates: 6, malformed: 0 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM all_records").get()).toEqual({ n: 6 });
    // The malformed PPS record is kept raw, not lost.
    expect(db.prepare("SELECT type, fields FROM records").all()).toEqual([{ type: "P", fields: "x,y,z" }]);
    expect(db.prepare("SELECT local_ns, interval_ns FROM pps_edges ORDER BY seq").all()).toEqual([
      { local_ns: 1_000_000_000, interval_ns: 0 },
      { local_ns: 2_000_010_000, interval_ns: 1_000_010_000 },
    ]);
    const clock = db.prepare("SELECT utc_ns FROM clock_readings").safeIntegers().get() as { utc_ns: bigint };
    expect(clock.utc_ns).toBe(1_782_820_849_123_456_789n);
    expect(db.prepare("SELECT code, value, source FROM events").all()).toEqual([
      { code: "gps_lost", value: "2", source: "board" },
    ]);
  });

  it("keeps exactly one row per (node, boot, seq) for any arrival order with repeats, one by one or in one batch", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 150 }), fc.boolean()), { maxLength: 300 }),
        fc.boolean(),
        (arrivals, inOneBatch) => {
          const { db } = openStore(":memory:");
          const registry = createRegistry(db);
          const { id } = registry.node("s", "pico", "p", 1n);
          const keys = [registry.boot(id, "A", 1n), registry.boot(id, "B", 1n)];
          const writer = createRecordWriter(db);
          const rows = arrivals.map(([seq, secondBoot]) => ({
            nodeId: id,
            bootKey: keys[secondBoot ? 1 : 0]!,
            record: record("P", seq, [String(seq * 1000), "0", "0"], secondBoot ? "B" : "A"),
            hostNs: 1n,
          }));
          const distinct = new Set(arrivals.map(([seq, b]) => `${b}/${seq}`)).size;
          if (inOneBatch)
            expect(writer.write(rows)).toEqual({
              inserted: distinct,
              duplicates: arrivals.length - distinct,
              malformed: 0,
            });
          else for (const row of rows) writer.write([row]);
          expect(db.prepare("SELECT COUNT(*) AS n FROM all_records").get()).toEqual({ n: distinct });
          const stored = db.prepare("SELECT seq, local_ns FROM pps_edges").all() as {
            seq: number;
            local_ns: number;
          }[];
          expect(stored.length).toBe(distinct);
          for (const row of stored) expect(row.local_ns).toBe(row.seq * 1_000_000);
          db.close();
        },
      ),
      { numRuns: 60 },
    );
  });
  it("leaves nothing of a batch SQLite refused, and stores the next one whole", () => {
    const { db } = openStore(":memory:");
    const registry = createRegistry(db);
    const { id } = registry.node("s", "pico", "p", 1n);
    const bootKey = registry.boot(id, "A", 1n);
    const writer = createRecordWriter(db);
    const pps = (seq: number, key: number) => ({
      nodeId: id,
      bootKey: key,
      record: record("P", seq, [String(seq), "0", "0"], "A"),
      hostNs: 1n,
    });
    // A boot that does not exist breaks the foreign key: the whole batch goes back.
    const bad = [...Array.from({ length: 100 }, (_, i) => pps(i, bootKey)), pps(100, bootKey + 99)];
    expect(() => writer.write(bad)).toThrow(/FOREIGN KEY/);
    expect(writer.pending).toBe(0);
    expect(db.inTransaction).toBe(false);
    expect(db.prepare("SELECT COUNT(*) AS n FROM pps_edges").get()).toEqual({ n: 0 });
    const good = Array.from({ length: 70 }, (_, i) => pps(200 + i, bootKey));
    expect(writer.write(good)).toEqual({ inserted: 70, duplicates: 0, malformed: 0 });
    expect(db.prepare("SELECT MIN(seq) AS lo, COUNT(*) AS n FROM pps_edges").get()).toEqual({
      lo: 200,
      n: 70,
    });
  });

  it("reads a field's integer as the protocol writes it, and nothing else", () => {
    const plain = (text: string) =>
      /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : NaN;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.maxSafeInteger().map(String),
          fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }).map(String),
          fc.string({ unit: fc.constantFrom(..."-+0123456789 .ex"), maxLength: 20 }),
        ),
        (text) => {
          expect(parseFieldInteger(text)).toBe(plain(text));
        },
      ),
    );
  });
});

describe("registry", () => {
  it("finds the holes of a boot, minus ranges already reported lost", () => {
    const { db } = openStore(":memory:");
    const registry = createRegistry(db);
    const { id } = registry.node("s", "pico", "pico-0", 1n);
    const bootKey = registry.boot(id, "0A0B0C0D", 1n);
    expect(registry.boot(id, "0A0B0C0D", 2n)).toBe(bootKey);
    const writer = createRecordWriter(db);
    writer.write(
      [2, 3, 7, 8, 12].map((seq) => ({
        nodeId: id,
        bootKey,
        record: record("T", seq, ["1", "2"]),
        hostNs: 1n,
      })),
    );
    registry.lost(bootKey, { first: 9, last: 10 }, "board-dropped", 1n);
    expect(registry.seqState(bootKey)).toEqual({
      maxSeq: 12,
      holes: [
        { first: 0, last: 1 },
        { first: 4, last: 6 },
        { first: 11, last: 11 },
      ],
    });
    expect(registry.seqState(registry.boot(id, "FFFFFFFF", 3n))).toEqual({ maxSeq: -1, holes: [] });
    expect(registry.latestBoot(id)).toEqual({ bootId: "FFFFFFFF", bootKey: bootKey + 1 });
  });

  it("gives a second board with a taken name a name of its own", () => {
    const registry = createRegistry(openStore(":memory:").db);
    expect(registry.node("AAAA-1111", "pico", "pico-0", 1n).name).toBe("pico-0");
    expect(registry.node("BBBB-2222", "pico", "pico-0", 1n).name).toBe("pico-0-BB2222");
    expect(registry.node("AAAA-1111", "pico", "other", 2n).name).toBe("pico-0");
  });

  it("subtracts ranges like the set difference it is", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }),
        (a, b) => {
          const toRanges = (values: number[]) =>
            [...new Set(values)].sort((x, y) => x - y).map((v) => ({ first: v, last: v }));
          const result = subtractRanges(toRanges(a), toRanges(b)).flatMap((r) =>
            Array.from({ length: r.last - r.first + 1 }, (_, i) => r.first + i),
          );
          expect(result).toEqual([...new Set(a)].filter((v) => !b.includes(v)).sort((x, y) => x - y));
        },
      ),
    );
  });
});
