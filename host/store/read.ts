// Reading a node's data back out of the store, for export and reports.
import {
  labelEdgesFromNmea,
  labelEdgesFromServo,
  type Edge,
  type LabelledEdge,
  type NmeaLabel,
} from "../analysis/pps-labels.ts";
import type { Db } from "./open.ts";

export interface NodeRow {
  id: number;
  serial: string;
  name: string;
  board: string;
}

export interface BootRow {
  bootId: string;
  bootKey: number;
  firstSeenNs: bigint;
  records: number;
}

export function listNodes(db: Db): NodeRow[] {
  return db.prepare<[], NodeRow>("SELECT id, serial, name, board FROM nodes ORDER BY name").all();
}

/** The node named `key` (its name or its serial number). */
export function findNode(db: Db, key: string): NodeRow | undefined {
  return db
    .prepare<[string, string], NodeRow>(
      "SELECT id, serial, name, board FROM nodes WHERE name = ? OR serial = ?",
    )
    .get(key, key);
}

export function nodeBoots(db: Db, nodeId: number): BootRow[] {
  return db
    .prepare<[number], { bootId: string; bootKey: bigint; firstSeenNs: bigint; records: bigint }>(
      `SELECT b.boot_id AS bootId, b.boot_key AS bootKey, b.first_seen_ns AS firstSeenNs,
         (SELECT COUNT(*) FROM all_records r WHERE r.boot_key = b.boot_key) AS records
       FROM boots b WHERE b.node_id = ? ORDER BY b.first_seen_ns, b.boot_key`,
    )
    .safeIntegers()
    .all(nodeId)
    .map((b) => ({ ...b, bootKey: Number(b.bootKey), records: Number(b.records) }));
}

export interface PpsRow extends Edge {
  seq: number;
  intervalNs: number;
  hostNs: bigint;
}

export function ppsEdges(db: Db, bootKey: number): PpsRow[] {
  return db
    .prepare<[number], { seq: bigint; localNs: bigint; intervalNs: bigint; flags: bigint; hostNs: bigint }>(
      `SELECT seq, local_ns AS localNs, interval_ns AS intervalNs, flags, host_ns AS hostNs
       FROM pps_edges WHERE boot_key = ? ORDER BY local_ns`,
    )
    .safeIntegers()
    .all(bootKey)
    .map((r) => ({
      seq: Number(r.seq),
      localNs: Number(r.localNs),
      intervalNs: Number(r.intervalNs),
      flags: Number(r.flags),
      hostNs: r.hostNs,
    }));
}

export function nmeaLabels(db: Db, bootKey: number): NmeaLabel[] {
  return db
    .prepare<[number], NmeaLabel>(
      "SELECT local_ns AS localNs, ymd, hms, valid FROM nmea_labels WHERE boot_key = ? ORDER BY local_ns",
    )
    .all(bootKey);
}

export function servoLabels(db: Db, bootKey: number): { edgeLocalNs: number; gpsSecond: number }[] {
  return db
    .prepare<[number], { edgeLocalNs: number; gpsSecond: number }>(
      "SELECT edge_local_ns AS edgeLocalNs, gps_second AS gpsSecond FROM servo_states WHERE boot_key = ? ORDER BY edge_local_ns",
    )
    .all(bootKey);
}

/**
 * A boot's PPS edges with their UTC seconds: from the board's own servo records when it has a time
 * core, else paired with its NMEA labels here (`offsetS` as in timenode build --label-offset).
 */
export function labelledEdges(db: Db, bootKey: number, offsetS = 0): LabelledEdge[] {
  const fromServo = labelEdgesFromServo(servoLabels(db, bootKey));
  if (fromServo.length > 0) return fromServo;
  return labelEdgesFromNmea(ppsEdges(db, bootKey), nmeaLabels(db, bootKey), offsetS);
}

export function temperatures(db: Db, bootKey: number): { localNs: number; milliC: number }[] {
  return db
    .prepare<[number], { localNs: number; milliC: number }>(
      "SELECT local_ns AS localNs, milli_c AS milliC FROM temperatures WHERE boot_key = ? ORDER BY local_ns",
    )
    .all(bootKey);
}

export interface ClockRow {
  localNs: number;
  utcNs: bigint;
  second60: number;
  earliest95Ns: number;
  latest95Ns: number;
  earliestHardNs: number;
  latestHardNs: number;
  servoState: number;
}

export function clockReadings(db: Db, bootKey: number): ClockRow[] {
  return db
    .prepare<[number], Record<keyof ClockRow, bigint>>(
      `SELECT local_ns AS localNs, utc_ns AS utcNs, second60, earliest95_ns AS earliest95Ns,
         latest95_ns AS latest95Ns, earliest_hard_ns AS earliestHardNs, latest_hard_ns AS latestHardNs,
         servo_state AS servoState
       FROM clock_readings WHERE boot_key = ? ORDER BY local_ns`,
    )
    .safeIntegers()
    .all(bootKey)
    .map((r) => ({
      localNs: Number(r.localNs),
      utcNs: r.utcNs,
      second60: Number(r.second60),
      earliest95Ns: Number(r.earliest95Ns),
      latest95Ns: Number(r.latest95Ns),
      earliestHardNs: Number(r.earliestHardNs),
      latestHardNs: Number(r.latestHardNs),
      servoState: Number(r.servoState),
    }));
}

export interface EventRow {
  source: "board" | "host";
  localNs: number | null;
  hostNs: bigint;
  code: string;
  value: string;
}

/** A node's events: the boot's board events and the host's events about the node. */
export function nodeEvents(db: Db, nodeId: number, bootKey: number): EventRow[] {
  return db
    .prepare<
      [number, number],
      { source: "board" | "host"; localNs: bigint | null; hostNs: bigint; code: string; value: string }
    >(
      `SELECT source, local_ns AS localNs, host_ns AS hostNs, code, value FROM events
       WHERE node_id = ? AND (boot_key = ? OR source = 'host') ORDER BY host_ns, id`,
    )
    .safeIntegers()
    .all(nodeId, bootKey)
    .map((e) => ({ ...e, localNs: e.localNs === null ? null : Number(e.localNs) }));
}

export function lostCount(db: Db, nodeId: number): number {
  const row = db
    .prepare<[number], { n: number | null }>(
      `SELECT SUM(l.last_seq - l.first_seq + 1) AS n FROM lost_ranges l JOIN boots b USING (boot_key) WHERE b.node_id = ?`,
    )
    .get(nodeId);
  return row?.n ?? 0;
}
