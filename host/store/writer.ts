// Writes accepted board records: each one into `records` (the complete log, keyed by node, boot and
// sequence) and, for the readings the analysis uses, into its typed table in the same transaction.
// INSERT OR IGNORE on the key makes a second copy of a record (a resend, a restart) a no-op.
import {
  REC_CLOCK,
  REC_EVENT,
  REC_NMEA,
  REC_PPS,
  REC_SERVO,
  REC_TEMPERATURE,
  type DecodedRecord,
} from "../../firmware/src/protocol.ts";
import type { Db } from "./open.ts";

export interface StoredRecord {
  nodeId: number;
  record: DecodedRecord;
  /** When the host received it, ns since the POSIX epoch. */
  hostNs: bigint;
}

export interface WriteResult {
  inserted: number;
  duplicates: number;
  /** Records stored in the log whose fields did not fit their typed table. */
  malformed: number;
}

type Value = number | bigint | string;

const NS_PER_US = 1000n;
const MAX_SAFE_US = Number.MAX_SAFE_INTEGER / 1000;

/** Board µs (an integer field) as ns, exact at any size. */
function usToNs(us: number): number | bigint {
  return Math.abs(us) < MAX_SAFE_US ? us * 1000 : BigInt(us) * NS_PER_US;
}

/** Fields parsed as integers; null when any is not one (the record still goes into the log). */
function integers(fields: readonly string[], count: number, from = 0): number[] | null {
  if (fields.length < from + count) return null;
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const value = Number(fields[from + i]);
    if (!Number.isSafeInteger(value)) return null;
    out[i] = value;
  }
  return out;
}

type TypedRow = (fields: readonly string[]) => Value[] | null;

/** Per record type: its table, columns after the key, and how fields become column values. */
const TYPED: Record<string, { table: string; columns: string[]; row: TypedRow }> = {
  [REC_PPS]: {
    table: "pps_edges",
    columns: ["local_ns", "interval_ns", "flags"],
    row: (f) => {
      const v = integers(f, 3);
      return v && [usToNs(v[0]!), usToNs(v[1]!), v[2]!];
    },
  },
  [REC_NMEA]: {
    table: "nmea_labels",
    columns: ["local_ns", "kind", "ymd", "hms", "ms", "valid"],
    row: (f) => {
      const local = integers(f, 1);
      const rest = integers(f, 4, 2);
      return local && rest && f[1] ? [usToNs(local[0]!), f[1], ...rest] : null;
    },
  },
  [REC_TEMPERATURE]: {
    table: "temperatures",
    columns: ["local_ns", "milli_c"],
    row: (f) => {
      const v = integers(f, 2);
      return v && [usToNs(v[0]!), v[1]!];
    },
  },
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
    row: (f) => {
      const v = integers(f, 8);
      return v && [usToNs(v[0]!), ...v.slice(1)];
    },
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
    row: (f) => {
      const v = integers(f, 10);
      return v && [usToNs(v[0]!), BigInt(v[1]!) * 1_000_000_000n + BigInt(v[2]!), ...v.slice(3)];
    },
  },
};

export interface RecordWriter {
  /** Stores the rows in one transaction. */
  write(rows: readonly StoredRecord[]): WriteResult;
}

export function createRecordWriter(db: Db): RecordWriter {
  const insertLog = db.prepare(
    "INSERT OR IGNORE INTO records (node_id, boot_id, seq, type, host_ns, fields) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const typed = new Map(
    Object.entries(TYPED).map(([type, spec]) => {
      const columns = ["node_id", "boot_id", "seq", ...spec.columns];
      const statement = db.prepare(
        `INSERT OR IGNORE INTO ${spec.table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
      );
      return [type, { statement, row: spec.row }] as const;
    }),
  );
  const insertEvent = db.prepare(
    `INSERT OR IGNORE INTO events (node_id, boot_id, seq, source, host_ns, local_ns, code, value)
     VALUES (?, ?, ?, 'board', ?, ?, ?, ?)`,
  );

  const writeAll = db.transaction((rows: readonly StoredRecord[]): WriteResult => {
    const result: WriteResult = { inserted: 0, duplicates: 0, malformed: 0 };
    for (const { nodeId, record, hostNs } of rows) {
      const { bootId, seq, fields } = record;
      if (insertLog.run(nodeId, bootId, seq, record.type, hostNs, fields.join(",")).changes === 0) {
        result.duplicates++;
        continue;
      }
      result.inserted++;
      if (record.type === REC_EVENT) {
        const local = integers(fields, 1);
        if (local && fields[1])
          insertEvent.run(nodeId, bootId, seq, hostNs, usToNs(local[0]!), fields[1], fields[2] ?? "");
        else result.malformed++;
        continue;
      }
      const spec = typed.get(record.type);
      if (!spec) continue;
      const values = spec.row(fields);
      if (values) spec.statement.run(nodeId, bootId, seq, ...values);
      else result.malformed++;
    }
    return result;
  });

  return { write: (rows) => writeAll(rows) };
}
