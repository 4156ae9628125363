// Nodes, boots, host-side events and lost sequence ranges: what the collector learns about boards
// besides their records.
import type { Db } from "./open.ts";

export interface BootInfo {
  firmwareVersion?: string;
  espruinoVersion?: string;
  quantumNs?: number;
  config?: Record<string, string | number>;
}

export interface SeqRange {
  first: number;
  last: number;
}

export interface BootSeqState {
  /** Highest sequence number stored, −1 for none. */
  maxSeq: number;
  /** Ranges below maxSeq neither stored nor declared lost. */
  holes: SeqRange[];
}

export interface Registry {
  /** The node's id, creating it on first sight; `preferredName` is used when free. */
  node(serial: string, board: string, preferredName: string, hostNs: bigint): { id: number; name: string };
  /** The boot's key, creating it on first sight. */
  boot(nodeId: number, bootId: string, hostNs: bigint): number;
  bootInfo(bootKey: number, info: BootInfo): void;
  hostEvent(nodeId: number, bootKey: number | null, hostNs: bigint, code: string, value: string): void;
  lost(bootKey: number, range: SeqRange, reason: string, hostNs: bigint): void;
  seqState(bootKey: number): BootSeqState;
  /** The boot seen last, if any: the one a new boot id replaces. */
  latestBoot(nodeId: number): { bootId: string; bootKey: number } | null;
}

export function createRegistry(db: Db): Registry {
  const findNode = db.prepare<[string], { id: number; name: string }>(
    "SELECT id, name FROM nodes WHERE serial = ?",
  );
  const nameTaken = db.prepare<[string], { id: number }>("SELECT id FROM nodes WHERE name = ?");
  const insertNode = db.prepare(
    "INSERT INTO nodes (serial, name, board, first_seen_ns, last_seen_ns) VALUES (?, ?, ?, ?, ?)",
  );
  const touchNode = db.prepare("UPDATE nodes SET last_seen_ns = ?, board = ? WHERE id = ?");
  const findBoot = db.prepare<[number, string], { boot_key: number }>(
    "SELECT boot_key FROM boots WHERE node_id = ? AND boot_id = ?",
  );
  const insertBoot = db.prepare("INSERT INTO boots (node_id, boot_id, first_seen_ns) VALUES (?, ?, ?)");
  const updateBoot = db.prepare(
    `UPDATE boots SET firmware_version = COALESCE(?, firmware_version), espruino_version = COALESCE(?, espruino_version),
       quantum_ns = COALESCE(?, quantum_ns), config_json = COALESCE(?, config_json) WHERE boot_key = ?`,
  );
  const insertEvent = db.prepare(
    "INSERT INTO events (node_id, boot_key, seq, source, host_ns, local_ns, code, value) VALUES (?, ?, NULL, 'host', ?, NULL, ?, ?)",
  );
  const insertLost = db.prepare(
    "INSERT OR IGNORE INTO lost_ranges (boot_key, first_seq, last_seq, reason, host_ns) VALUES (?, ?, ?, ?, ?)",
  );
  const seqBounds = db.prepare<[number], { lo: number | null; hi: number | null }>(
    "SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM all_records WHERE boot_key = ?",
  );
  // Each stored seq whose successor is not stored starts a hole that runs to the next stored seq.
  const holes = db.prepare<[number], { first: number; last: number }>(
    `SELECT seq + 1 AS first, next - 1 AS last FROM (
       SELECT seq, LEAD(seq) OVER (ORDER BY seq) AS next FROM all_records WHERE boot_key = ?
     ) WHERE next > seq + 1`,
  );
  const lostRanges = db.prepare<[number], { first: number; last: number }>(
    "SELECT first_seq AS first, last_seq AS last FROM lost_ranges WHERE boot_key = ? ORDER BY first_seq",
  );
  const latestBoot = db.prepare<[number], { bootId: string; bootKey: number }>(
    "SELECT boot_id AS bootId, boot_key AS bootKey FROM boots WHERE node_id = ? ORDER BY first_seen_ns DESC, boot_key DESC LIMIT 1",
  );

  return {
    latestBoot: (nodeId) => latestBoot.get(nodeId) ?? null,
    node(serial, board, preferredName, hostNs) {
      const found = findNode.get(serial);
      if (found) {
        touchNode.run(hostNs, board, found.id);
        return { id: found.id, name: found.name };
      }
      let name = preferredName;
      if (nameTaken.get(name)) name = `${preferredName}-${serial.replace(/[^A-Za-z0-9]/g, "").slice(-6)}`;
      const id = Number(insertNode.run(serial, name, board, hostNs, hostNs).lastInsertRowid);
      return { id, name };
    },
    boot(nodeId, bootId, hostNs) {
      const found = findBoot.get(nodeId, bootId);
      return found ? found.boot_key : Number(insertBoot.run(nodeId, bootId, hostNs).lastInsertRowid);
    },
    bootInfo(bootKey, info) {
      updateBoot.run(
        info.firmwareVersion ?? null,
        info.espruinoVersion ?? null,
        info.quantumNs ?? null,
        info.config ? JSON.stringify(info.config) : null,
        bootKey,
      );
    },
    hostEvent(nodeId, bootKey, hostNs, code, value) {
      insertEvent.run(nodeId, bootKey, hostNs, code, value);
    },
    lost(bootKey, range, reason, hostNs) {
      insertLost.run(bootKey, range.first, range.last, reason, hostNs);
    },
    seqState(bootKey) {
      const bounds = seqBounds.get(bootKey);
      const found: SeqRange[] = [];
      if (bounds?.lo != null && bounds.lo > 0) found.push({ first: 0, last: bounds.lo - 1 });
      found.push(...holes.all(bootKey));
      return { maxSeq: bounds?.hi ?? -1, holes: subtractRanges(found, lostRanges.all(bootKey)) };
    },
  };
}

/** `ranges` minus `removed`; both sorted by `first` and non-overlapping within themselves. */
export function subtractRanges(ranges: readonly SeqRange[], removed: readonly SeqRange[]): SeqRange[] {
  const out: SeqRange[] = [];
  for (const range of ranges) {
    let first = range.first;
    for (const cut of removed) {
      if (cut.last < first || cut.first > range.last) continue;
      if (cut.first > first) out.push({ first, last: cut.first - 1 });
      first = Math.max(first, cut.last + 1);
    }
    if (first <= range.last) out.push({ first, last: range.last });
  }
  return out;
}
