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
  boot(nodeId: number, bootId: string, hostNs: bigint): void;
  bootInfo(nodeId: number, bootId: string, info: BootInfo): void;
  hostEvent(nodeId: number | null, bootId: string | null, hostNs: bigint, code: string, value: string): void;
  lost(nodeId: number, bootId: string, range: SeqRange, reason: string, hostNs: bigint): void;
  seqState(nodeId: number, bootId: string): BootSeqState;
  /** The boot seen last, if any: the one a new boot id replaces. */
  latestBoot(nodeId: number): string | null;
}

export function createRegistry(db: Db): Registry {
  const findNode = db.prepare<[string], { id: number; name: string; board: string }>(
    "SELECT id, name, board FROM nodes WHERE serial = ?",
  );
  const nameTaken = db.prepare<[string], { id: number }>("SELECT id FROM nodes WHERE name = ?");
  const insertNode = db.prepare(
    "INSERT INTO nodes (serial, name, board, first_seen_ns, last_seen_ns) VALUES (?, ?, ?, ?, ?)",
  );
  const touchNode = db.prepare("UPDATE nodes SET last_seen_ns = ?, board = ? WHERE id = ?");
  const insertBoot = db.prepare(
    "INSERT OR IGNORE INTO boots (node_id, boot_id, first_seen_ns) VALUES (?, ?, ?)",
  );
  const updateBoot = db.prepare(
    `UPDATE boots SET firmware_version = COALESCE(?, firmware_version), espruino_version = COALESCE(?, espruino_version),
       quantum_ns = COALESCE(?, quantum_ns), config_json = COALESCE(?, config_json) WHERE node_id = ? AND boot_id = ?`,
  );
  const insertEvent = db.prepare(
    "INSERT INTO events (node_id, boot_id, seq, source, host_ns, local_ns, code, value) VALUES (?, ?, NULL, 'host', ?, NULL, ?, ?)",
  );
  const insertLost = db.prepare(
    "INSERT OR IGNORE INTO lost_ranges (node_id, boot_id, first_seq, last_seq, reason, host_ns) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const maxSeq = db.prepare<[number, string], { m: number | null }>(
    "SELECT MAX(seq) AS m FROM records WHERE node_id = ? AND boot_id = ?",
  );
  // Each stored seq whose successor is not stored starts a hole that runs to the next stored seq.
  const holes = db.prepare<[number, string], { first: number; last: number }>(
    `SELECT seq + 1 AS first, next - 1 AS last FROM (
       SELECT seq, LEAD(seq) OVER (ORDER BY seq) AS next FROM records WHERE node_id = ? AND boot_id = ?
     ) WHERE next > seq + 1`,
  );
  const leadingHole = db.prepare<[number, string], { m: number | null }>(
    "SELECT MIN(seq) AS m FROM records WHERE node_id = ? AND boot_id = ?",
  );
  const lostRanges = db.prepare<[number, string], { first: number; last: number }>(
    "SELECT first_seq AS first, last_seq AS last FROM lost_ranges WHERE node_id = ? AND boot_id = ? ORDER BY first_seq",
  );

  const latestBoot = db.prepare<[number], { boot_id: string }>(
    "SELECT boot_id FROM boots WHERE node_id = ? ORDER BY first_seen_ns DESC LIMIT 1",
  );

  return {
    latestBoot: (nodeId) => latestBoot.get(nodeId)?.boot_id ?? null,
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
      insertBoot.run(nodeId, bootId, hostNs);
    },
    bootInfo(nodeId, bootId, info) {
      updateBoot.run(
        info.firmwareVersion ?? null,
        info.espruinoVersion ?? null,
        info.quantumNs ?? null,
        info.config ? JSON.stringify(info.config) : null,
        nodeId,
        bootId,
      );
    },
    hostEvent(nodeId, bootId, hostNs, code, value) {
      insertEvent.run(nodeId, bootId, hostNs, code, value);
    },
    lost(nodeId, bootId, range, reason, hostNs) {
      insertLost.run(nodeId, bootId, range.first, range.last, reason, hostNs);
    },
    seqState(nodeId, bootId) {
      const max = maxSeq.get(nodeId, bootId)?.m ?? -1;
      const min = leadingHole.get(nodeId, bootId)?.m ?? null;
      const found: SeqRange[] = [];
      if (min !== null && min > 0) found.push({ first: 0, last: min - 1 });
      found.push(...holes.all(nodeId, bootId));
      return { maxSeq: max, holes: subtractRanges(found, lostRanges.all(nodeId, bootId)) };
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
