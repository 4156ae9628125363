// Sync exchanges in the store (table sync_exchanges, host/store/schema.ts): one row per completed
// exchange of a slave, grouped by session (one `timenode sync` run), and read back for reports.
import type { Db } from "../store/open.ts";
import type { SlaveExchange } from "./slave.ts";
import { sortedMedian } from "../analysis/quantile.ts";

export function exchangeWriter(
  db: Db,
  session: string,
  role: string,
): (x: SlaveExchange, hostNs: bigint) => void {
  const insert = db.prepare(
    `INSERT INTO sync_exchanges (node_id, role, host_ns, t1_ns, t2_ns, t3_ns, t4_ns, offset_ns, delay_ns, bound_ns,
       session, peer, sequence_id, uncertainty_ns, filtered_offset_ns, estimate_ns, state)
     VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (x, hostNs) => {
    insert.run(
      role,
      hostNs,
      x.t1Ns,
      x.t2Ns,
      x.t3Ns,
      x.t4Ns,
      Math.round(x.exchange.offsetNs),
      Math.round(x.exchange.meanPathDelayNs),
      Math.round(x.boundNs),
      session,
      x.master,
      x.sequenceId,
      Math.round(x.exchange.uncertaintyNs),
      Math.round(x.filteredOffsetNs),
      Math.round(x.estimateNs),
      x.state,
    );
  };
}

export interface SyncPoint {
  /** Seconds since the session's first exchange. */
  t: number;
  offsetNs: number;
  delayNs: number;
  boundNs: number;
  estimateNs: number | null;
  state: string | null;
}

export interface SyncSessionModel {
  session: string;
  role: string;
  peer: string | null;
  startHostNs: string;
  exchanges: number;
  /** Median of |estimate| (or |offset| before the estimate exists) and of the delay and bound, ns. */
  medianAbsOffsetNs: number;
  medianDelayNs: number;
  medianBoundNs: number;
  lastState: string | null;
  points: SyncPoint[];
}

const median = (values: number[]): number => sortedMedian([...values].sort((a, b) => a - b));

/** Every session's exchanges, oldest session first; at most `maxPoints` points each (evenly thinned). */
export function syncSessions(db: Db, maxPoints = 800): SyncSessionModel[] {
  const rows = db
    .prepare<
      [],
      {
        session: string | null;
        role: string;
        peer: string | null;
        hostNs: bigint;
        offsetNs: bigint;
        delayNs: bigint;
        boundNs: bigint;
        estimateNs: bigint | null;
        state: string | null;
      }
    >(
      `SELECT session, role, peer, host_ns AS hostNs, offset_ns AS offsetNs, delay_ns AS delayNs,
         bound_ns AS boundNs, estimate_ns AS estimateNs, state
       FROM sync_exchanges ORDER BY host_ns, id`,
    )
    .safeIntegers()
    .all();
  const bySession = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = row.session ?? "-";
    const list = bySession.get(key) ?? [];
    list.push(row);
    bySession.set(key, list);
  }
  return [...bySession.entries()].map(([session, list]) => {
    const first = list[0]!;
    const points = list.map((r) => ({
      t: Number(r.hostNs - first.hostNs) / 1e9,
      offsetNs: Number(r.offsetNs),
      delayNs: Number(r.delayNs),
      boundNs: Number(r.boundNs),
      estimateNs: r.estimateNs === null ? null : Number(r.estimateNs),
      state: r.state,
    }));
    const stride = Math.max(1, Math.ceil(points.length / maxPoints));
    return {
      session,
      role: first.role,
      peer: list.at(-1)!.peer,
      startHostNs: first.hostNs.toString(),
      exchanges: list.length,
      medianAbsOffsetNs: median(points.map((p) => Math.abs(p.estimateNs ?? p.offsetNs))),
      medianDelayNs: median(points.map((p) => p.delayNs)),
      medianBoundNs: median(points.map((p) => p.boundNs)),
      lastState: list.at(-1)!.state,
      points: points.filter((_, i) => i % stride === 0 || i === points.length - 1),
    };
  });
}
