// The interval clock for programs: `now()` is [earliest, latest] true time with a status; `after(t)`
// and `before(t)` are true only when certain, so code that must not act too early (a lease running
// out) waits while t is inside the interval. A clock over a store reads the collector's database:
// `live` asks about this host's present moment (the database must be written by a collector on this
// host, whose record arrival times are this host's clock); otherwise about the moment of the newest
// reading in it, which suits a finished run.
import { trueTime, type TrueTime } from "../analysis/true-time.ts";
import type { GrowthPoint } from "../analysis/interval-growth.ts";
import { openStore, type Db } from "../store/open.ts";
import { newestReadingHostNs, nodeSnapshots } from "./snapshots.ts";

export interface IntervalClock {
  now(): TrueTime;
  /** True time is certainly after `tNs` (ns since the POSIX epoch). */
  after(tNs: bigint): boolean;
  /** True time is certainly before `tNs`. */
  before(tNs: bigint): boolean;
}

export function intervalClock(read: () => TrueTime): IntervalClock {
  return {
    now: read,
    after: (tNs) => {
      const t = read();
      return t.earliestNs !== null && t.earliestNs > tNs;
    },
    before: (tNs) => {
      const t = read();
      return t.latestNs !== null && t.latestNs < tNs;
    },
  };
}

export const systemHostNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

export interface StoreClockOptions {
  /** Ask about this moment of the host's clock (default: the newest reading's). */
  hostNs?: () => bigint;
  /** Claim a result only if it holds with this many nodes wrong (default: the fewest consistent). */
  faults?: number;
}

/** The true time according to the nodes in `db`, at the moment `options.hostNs` gives. */
export function storeTrueTime(
  db: Db,
  options: StoreClockOptions = {},
  cache = new Map<number, GrowthPoint[]>(),
): TrueTime {
  const snapshots = nodeSnapshots(db, cache);
  const at = options.hostNs?.() ?? newestReadingHostNs(snapshots) ?? 0n;
  return trueTime(snapshots, at, options.faults !== undefined ? { faults: options.faults } : {});
}

/** An interval clock over a store: re-reads the database on every call (it may be growing). */
export function storeIntervalClock(db: Db, options: StoreClockOptions = {}): IntervalClock {
  const cache = new Map<number, GrowthPoint[]>();
  return intervalClock(() => storeTrueTime(db, options, cache));
}

/** Opens `path` read-only; `live` asks about this host's present (see the module comment). */
export function openIntervalClock(
  path: string,
  options: { live?: boolean; faults?: number } = {},
): IntervalClock & { close(): void } {
  const { db } = openStore(path, { readonly: true });
  const clock = storeIntervalClock(db, {
    ...(options.live ? { hostNs: systemHostNs } : {}),
    ...(options.faults !== undefined ? { faults: options.faults } : {}),
  });
  return { ...clock, close: () => db.close() };
}
