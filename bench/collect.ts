// Collection throughput on one core: record lines decoded, checked and stored into an SQLite file by the
// real pipeline, beside a plain bulk insert of the very rows it writes (the physical limit here).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { frameRecord, recordBody, type DecodedRecord } from "../firmware/src/protocol.ts";
import { Collector, type HostClock } from "../host/collect/collector.ts";
import { openStore } from "../host/store/open.ts";
import { createRegistry } from "../host/store/registry.ts";
import { typedRow } from "../host/store/writer.ts";
import type { Statement } from "better-sqlite3";
import { timedMs } from "./timing.ts";

const RECORDS = 300_000;
const CHUNK_BYTES = 4096;
const BOOT = "5EED0001";

/** A board's stream: per second a PPS edge, its servo record and an NMEA label; a UTC reading every 10 s. */
export function streamLines(count: number): string[] {
  const lines: string[] = [];
  const push = (type: string, fields: string) => {
    const body = recordBody(type, BOOT, lines.length, fields);
    lines.push(frameRecord(body, crc32(Buffer.from(body, "latin1"))));
  };
  push("H", "pico,0.1.0,2v29,954,5100,A8,Serial2,BENCH-SERIAL,1");
  for (let s = 0; lines.length < count; s++) {
    const us = 5_000_000 + s * 1_000_021;
    push("P", `${us},1000021,0`);
    push("R", `${us},${1_782_820_849 + s},2,21000000,4000,${(s * 37) % 900},350,0`);
    push("N", `${us + 230_000},RMC,20260630,${120000 + (s % 60)},0,1`);
    if (s % 10 === 0)
      push("U", `${us + 500_000},${1_782_820_849 + s},500000000,0,-5400,5400,-9000,9000,2,500`);
  }
  return lines.slice(0, count);
}

export function chunks(lines: string[]): string[] {
  const out: string[] = [];
  let current = "";
  for (const line of lines) {
    current += line;
    if (current.length >= CHUNK_BYTES) {
      out.push(current);
      current = "";
    }
  }
  if (current) out.push(current);
  return out;
}

const HOST_NS = 1_782_820_849_000_000_000n;

/** The real pipeline: chunks of bytes through a link session, the tracker and batched commits. */
function runPipeline(path: string, data: string[]): { seconds: number; stored: number } {
  const clock: HostClock = { monoNs: () => 0n, wallNs: () => HOST_NS };
  const store = openStore(path);
  const collector = new Collector({ db: store.db, clock, maxBatch: 5000 });
  const session = collector.attach({ label: "bench", send: () => {} });
  const seconds =
    timedMs(() => {
      for (const chunk of data) session.push(chunk);
      collector.flush();
    }) / 1000;
  const stored = collector.report().nodes[0]?.stored ?? 0;
  store.db.close();
  return { seconds, stored };
}

/**
 * The limit: the very rows the pipeline writes, values computed beforehand, inserted by prepared
 * statements in transactions of the same size.
 */
function runBulkInsert(path: string, lines: string[]): number {
  const store = openStore(path);
  const db = store.db;
  const registry = createRegistry(db);
  const { id } = registry.node("BENCH-SERIAL", "pico", "bench", 1n);
  const bootKey = registry.boot(id, BOOT, 1n);
  const insertRaw = db.prepare(
    "INSERT INTO records (boot_key, seq, host_ns, type, fields) VALUES (?, ?, ?, ?, ?)",
  );
  const statements = new Map<string, Statement>();
  const prepared = lines.map((line) => {
    const parts = line.slice(1, line.lastIndexOf("*")).split(",");
    const record: DecodedRecord = {
      version: 1,
      type: parts[1]!,
      bootId: parts[2]!,
      seq: Number(parts[3]),
      fields: parts.slice(4),
    };
    const typed = typedRow(record);
    if (!typed)
      return {
        statement: insertRaw,
        args: [bootKey, record.seq, HOST_NS, record.type, record.fields.join(",")],
      };
    let statement = statements.get(typed.table);
    if (!statement) {
      const columns = ["boot_key", "seq", "host_ns", ...typed.columns];
      statement = db.prepare(
        `INSERT INTO ${typed.table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
      );
      statements.set(typed.table, statement);
    }
    return { statement, args: [bootKey, record.seq, HOST_NS, ...typed.values] };
  });
  const insertBatch = db.transaction((batch: typeof prepared) => {
    for (const row of batch) row.statement.run(row.args);
  });
  const seconds =
    timedMs(() => {
      for (let i = 0; i < prepared.length; i += 5000) insertBatch(prepared.slice(i, i + 5000));
    }) / 1000;
  db.close();
  return seconds;
}

/** Disk timing on a shared machine varies by ±25 %: each figure is the best of a few alternating runs. */
const ROUNDS = 3;

export function benchCollect() {
  const dir = mkdtempSync(join(tmpdir(), "timenode-bench-"));
  try {
    const lines = streamLines(RECORDS);
    const data = chunks(lines);
    let pipelineS = Infinity;
    let limitS = Infinity;
    let stored = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const pipeline = runPipeline(join(dir, `pipeline-${round}.db`), data);
      pipelineS = Math.min(pipelineS, pipeline.seconds);
      stored = pipeline.stored;
      limitS = Math.min(limitS, runBulkInsert(join(dir, `limit-${round}.db`), lines));
    }
    const pipelinePerS = Math.round(stored / pipelineS);
    const limitPerS = Math.round(RECORDS / limitS);
    return {
      records: RECORDS,
      storedByPipeline: stored,
      pipelineRecordsPerS: pipelinePerS,
      bulkInsertRecordsPerS: limitPerS,
      shareOfLimit: Number((pipelinePerS / limitPerS).toFixed(3)),
      target: { recordsPerS: 200_000, shareOfLimit: 0.5 },
      meetsTarget: pipelinePerS >= 200_000 && pipelinePerS >= 0.5 * limitPerS,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
