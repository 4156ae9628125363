// Reading a node's data back out of the store, for export and reports.
import type { Edge, NmeaLabel } from "../analysis/pps-labels.ts";
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
