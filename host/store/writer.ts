// Writes accepted board records, each once: readings into their typed table, events into `events`, the
// rest (and anything whose fields do not fit its table) into `records` as raw fields. Every table is
// keyed by (boot, seq): INSERT OR IGNORE makes a second copy of a record (a resend, a restart) a no-op.
import {
  REC_CLOCK,
  REC_EVENT,
  REC_NMEA,
  REC_PPS,
  REC_SERVO,
  REC_TEMPERATURE,
  type DecodedRecord,
} from "../../firmware/src/protocol.ts";
import type { Statement } from "better-sqlite3";
import type { Db } from "./open.ts";
import { RowBatcher, type Value } from "./row-batcher.ts";

export interface StoredRecord {
  nodeId: number;
  /** The boot's row in `boots` (Registry.boot). */
  bootKey: number;
  record: DecodedRecord;
  /** When the host received it, ns since the POSIX epoch. */
  hostNs: bigint;
}

export interface WriteResult {
  inserted: number;
  duplicates: number;
  /** Records whose fields did not fit their typed table, kept raw in `records`. */
  malformed: number;
}

const NS_PER_US = 1000n;
const MAX_SAFE_US = Number.MAX_SAFE_INTEGER / 1000;

/** Board µs (an integer field) as ns, exact at any size. */
function usToNs(us: number): number | bigint {
  return Math.abs(us) < MAX_SAFE_US ? us * 1000 : BigInt(us) * NS_PER_US;
}

/** How record fields become a column: µs → ns, an integer, a token, or POSIX seconds + ns → ns. */
type ColumnKind = "us" | "int" | "text" | "utc";

interface TypedSpec {
  table: string;
  columns: string[];
  kinds: ColumnKind[];
}

/** Per record type: its table and, field by field, its columns (docs/protocol.md has the fields). */
const TYPED: Record<string, TypedSpec> = {
  [REC_PPS]: {
    table: "pps_edges",
    columns: ["local_ns", "interval_ns", "flags"],
    kinds: ["us", "us", "int"],
  },
  [REC_NMEA]: {
    table: "nmea_labels",
    columns: ["local_ns", "kind", "ymd", "hms", "ms", "valid"],
    kinds: ["us", "text", "int", "int", "int", "int"],
  },
  [REC_TEMPERATURE]: { table: "temperatures", columns: ["local_ns", "milli_c"], kinds: ["us", "int"] },
  [REC_SERVO]: {
    table: "servo_states",
    columns: [
      "edge_local_ns",
      "gps_second",
      "state",
      "freq_ppt",
      "freq_sigma_ppt",
      "phase_offset_ns",
      "residual_rms_ns",
      "outliers",
    ],
    kinds: ["us", "int", "int", "int", "int", "int", "int", "int"],
  },
  [REC_CLOCK]: {
    table: "clock_readings",
    columns: [
      "local_ns",
      "utc_ns",
      "second60",
      "earliest95_ns",
      "latest95_ns",
      "earliest_hard_ns",
      "latest_hard_ns",
      "servo_state",
      "age_ms",
    ],
    kinds: ["us", "utc", "int", "int", "int", "int", "int", "int", "int"],
  },
};

/**
 * A field in the protocol's integer form (optional '-', decimal digits) as a safe integer, else NaN.
 * Stricter than Number(), which also takes " 1", "1e3" or "0x1f", and faster: it runs for every
 * field the collector stores.
 */
export function parseFieldInteger(text: string): number {
  const length = text.length;
  const negative = text.charCodeAt(0) === 45;
  let i = negative ? 1 : 0;
  if (i === length) return NaN;
  let value = 0;
  for (; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  if (value > Number.MAX_SAFE_INTEGER) return NaN;
  return negative ? -value : value;
}

/** Fields consumed by a column of each kind. */
const WIDTH: Record<ColumnKind, number> = { us: 1, int: 1, text: 1, utc: 2 };

/**
 * Fills `out` from index `at` with the column values of `fields`; false when a field does not fit
 * (the record is then kept raw instead).
 */
function fillColumns(
  kinds: readonly ColumnKind[],
  fields: readonly string[],
  out: Value[],
  at: number,
): boolean {
  let field = 0;
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i]!;
    const text = fields[field];
    if (text === undefined || text.length === 0) return false;
    if (kind === "text") out[at + i] = text;
    else {
      const value = parseFieldInteger(text);
      if (value !== value) return false;
      if (kind === "int") out[at + i] = value;
      else if (kind === "us") out[at + i] = usToNs(value);
      else {
        const ns = parseFieldInteger(fields[field + 1] ?? "");
        if (ns !== ns) return false;
        out[at + i] = BigInt(value) * 1_000_000_000n + BigInt(ns);
      }
    }
    field += WIDTH[kind];
  }
  return true;
}

/** The typed table a record goes to and its column values there; null when none or malformed. */
export function typedRow(
  record: DecodedRecord,
): { table: string; columns: string[]; values: Value[] } | null {
  const spec = TYPED[record.type];
  if (!spec) return null;
  const values = new Array<Value>(spec.kinds.length);
  return fillColumns(spec.kinds, record.fields, values, 0)
    ? { table: spec.table, columns: spec.columns, values }
    : null;
}

export interface RecordWriter {
  /** Takes a record into the batch; it is stored, in one transaction with the rest, by `commit`. */
  add(nodeId: number, bootKey: number, record: DecodedRecord, hostNs: bigint): void;
  /** Records added since the last commit. */
  readonly pending: number;
  /** Stores the batch in one transaction and says what it stored. */
  commit(): WriteResult;
  /** Stores the rows in one transaction. */
  write(rows: readonly StoredRecord[]): WriteResult;
}

export function createRecordWriter(db: Db): RecordWriter {
  const insertRaw = db.prepare(
    "INSERT OR IGNORE INTO records (boot_key, seq, host_ns, type, fields) VALUES (?, ?, ?, ?, ?)",
  );
  const typed = new Map(
    Object.entries(TYPED).map(([type, spec]) => {
      const columns = ["boot_key", "seq", "host_ns", ...spec.columns];
      const rows = new RowBatcher(
        db,
        `INSERT OR IGNORE INTO ${spec.table} (${columns.join(", ")}) VALUES`,
        columns.length,
      );
      return [type, { rows, kinds: spec.kinds }] as const;
    }),
  );
  const insertEvent = db.prepare(
    `INSERT OR IGNORE INTO events (node_id, boot_key, seq, source, host_ns, local_ns, code, value)
     VALUES (?, ?, ?, 'board', ?, ?, ?, ?)`,
  );
  /** Board events and raw records: few, so one statement each. `malformed`: kept raw for not fitting. */
  let others: { statement: Statement; args: Value[]; malformed: boolean }[] = [];
  let added = 0;

  const storeAll = db.transaction((): WriteResult => {
    let inserted = 0;
    let keptRaw = 0;
    for (const { rows } of typed.values()) inserted += rows.store();
    for (const { statement, args, malformed } of others) {
      const changes = statement.run(args).changes;
      inserted += changes;
      if (changes > 0 && malformed) keptRaw++;
    }
    return { inserted, duplicates: added - inserted, malformed: keptRaw };
  });

  const writer: RecordWriter = {
    add(nodeId, bootKey, record, hostNs) {
      added++;
      const { seq, fields } = record;
      const spec = typed.get(record.type);
      if (spec) {
        const args = spec.rows.args;
        const at = spec.rows.nextOffset;
        args[at] = bootKey;
        args[at + 1] = seq;
        args[at + 2] = hostNs;
        if (fillColumns(spec.kinds, fields, args, at + 3)) {
          spec.rows.commitRow();
          return;
        }
      } else if (record.type === REC_EVENT) {
        const local = parseFieldInteger(fields[0] ?? "");
        if (local === local && fields[1]) {
          const args = [nodeId, bootKey, seq, hostNs, usToNs(local), fields[1], fields[2] ?? ""];
          others.push({ statement: insertEvent, args, malformed: false });
          return;
        }
      }
      const args = [bootKey, seq, hostNs, record.type, fields.join(",")];
      others.push({ statement: insertRaw, args, malformed: spec !== undefined || record.type === REC_EVENT });
    },
    get pending() {
      return added;
    },
    commit() {
      try {
        return storeAll();
      } finally {
        // Stored, or rolled back with the transaction: either way this batch is done.
        for (const { rows } of typed.values()) rows.discard();
        others = [];
        added = 0;
      }
    },
    write(rows) {
      for (const row of rows) writer.add(row.nodeId, row.bootKey, row.record, row.hostNs);
      return writer.commit();
    },
  };
  return writer;
}
