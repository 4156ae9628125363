// Fencing tokens in the store: a lease on a named resource (the sync master role, the right to write a
// lab's database) is granted with the next token, and every write through here carries one. The store
// accepts a write only with a token at least as high as any it has accepted and no higher than any
// granted; refusals are kept with their reason. Grant and check each run in one transaction, so two
// writers cannot slip past the same check. Expiry is judged on interval clocks (analysis/fencing.ts).
import {
  checkFencedWrite,
  grantLease,
  type FenceVerdict,
  type GrantResult,
  type LeaseTable,
} from "../analysis/fencing.ts";
import type { TimeInterval } from "../analysis/time-interval.ts";
import type { Db } from "../store/open.ts";

interface FenceRow {
  highestGranted: bigint;
  highestSeen: bigint;
  holder: string | null;
  expiresNs: bigint | null;
}

export interface FenceStore {
  /** Grants `resource` to `requester` for `durationNs` if the current lease has certainly expired at `now`. */
  grant(resource: string, requester: string, now: TimeInterval, durationNs: number): GrantResult;
  /** Stores `value` if `token` passes the fence; a refusal is recorded and returned. */
  write(resource: string, writer: string, token: number, hostNs: bigint, value: string): FenceVerdict;
  rejections(resource: string): { token: number; writer: string; reason: string; detail: string }[];
  writes(resource: string): { token: number; writer: string; value: string }[];
}

/** Interval clocks here are ns since the epoch as doubles: coarse (256 ns) but far finer than a lease. */
export function createFenceStore(db: Db): FenceStore {
  const read = db.prepare<[string], FenceRow>(
    `SELECT highest_granted AS highestGranted, highest_seen AS highestSeen, holder, expires_ns AS expiresNs
     FROM fencing WHERE resource = ?`,
  );
  read.safeIntegers();
  const upsertGrant = db.prepare(
    `INSERT INTO fencing (resource, highest_granted, highest_seen, holder, expires_ns) VALUES (?, ?, 0, ?, ?)
     ON CONFLICT (resource) DO UPDATE SET highest_granted = excluded.highest_granted, holder = excluded.holder,
       expires_ns = excluded.expires_ns`,
  );
  const setSeen = db.prepare("UPDATE fencing SET highest_seen = ? WHERE resource = ?");
  const insertWrite = db.prepare(
    "INSERT INTO fenced_writes (resource, token, writer, host_ns, value) VALUES (?, ?, ?, ?, ?)",
  );
  const insertRejection = db.prepare(
    "INSERT INTO fencing_rejections (resource, token, writer, host_ns, reason, detail) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const table = (row: FenceRow | undefined): LeaseTable => ({
    highestToken: row ? Number(row.highestGranted) : 0,
    current:
      row && row.holder !== null && row.expiresNs !== null
        ? { holder: row.holder, token: Number(row.highestGranted), expiresNs: Number(row.expiresNs) }
        : null,
  });
  const grant = db.transaction(
    (resource: string, requester: string, now: TimeInterval, durationNs: number) => {
      const result = grantLease(table(read.get(resource)), requester, now, durationNs);
      if (result.granted)
        upsertGrant.run(
          resource,
          result.lease.token,
          result.lease.holder,
          BigInt(Math.round(result.lease.expiresNs)),
        );
      return result;
    },
  );
  const write = db.transaction(
    (resource: string, writer: string, token: number, hostNs: bigint, value: string): FenceVerdict => {
      const row = read.get(resource);
      const verdict = checkFencedWrite(
        { highestSeen: row ? Number(row.highestSeen) : 0 },
        token,
        row ? Number(row.highestGranted) : 0,
      );
      if (verdict.accepted) {
        setSeen.run(verdict.state.highestSeen, resource);
        insertWrite.run(resource, token, writer, hostNs, value);
      } else
        insertRejection.run(
          resource,
          Number.isSafeInteger(token) ? token : -1,
          writer,
          hostNs,
          verdict.reason,
          verdict.detail,
        );
      return verdict;
    },
  );
  return {
    grant: (resource, requester, now, durationNs) => grant(resource, requester, now, durationNs),
    write: (resource, writer, token, hostNs, value) => write(resource, writer, token, hostNs, value),
    rejections: (resource) =>
      db
        .prepare<[string], { token: number; writer: string; reason: string; detail: string }>(
          "SELECT token, writer, reason, detail FROM fencing_rejections WHERE resource = ? ORDER BY id",
        )
        .all(resource),
    writes: (resource) =>
      db
        .prepare<[string], { token: number; writer: string; value: string }>(
          "SELECT token, writer, value FROM fenced_writes WHERE resource = ? ORDER BY id",
        )
        .all(resource),
  };
}
