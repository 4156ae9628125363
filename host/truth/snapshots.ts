// Each node's latest clock reading from the store, ready to be carried forward to "now": the reading
// with its hard interval, when the host got it (on the least-delayed floor of the node's recent
// records), and the node's measured holdover growth, from its own PPS phase in the same boot.
import { readingHostNs } from "../analysis/arrival-time.ts";
import { clockIntervals } from "../analysis/clock-interval.ts";
import type { GrowthPoint } from "../analysis/interval-growth.ts";
import { ppsToPhase } from "../analysis/stability/pps-phase.ts";
import type { NodeSnapshot } from "../analysis/true-time.ts";
import type { Db } from "../store/open.ts";
import { labelledEdges, listNodes } from "../store/read.ts";

/** Recent readings used to place the latest one on the host's clock (10 s apart: two minutes, short enough that an RC oscillator's wander stays near a line). */
const ARRIVAL_WINDOW = 12;
/** Ages (s) at which the holdover growth is measured. */
const GROWTH_HORIZONS_S = [1, 10, 100, 1000, 1800];

interface ReadingRow {
  bootKey: bigint;
  localNs: bigint;
  utcNs: bigint;
  hostNs: bigint;
  earliestHardNs: bigint;
  latestHardNs: bigint;
  servoState: bigint;
  ageMs: bigint;
}

/** No limit on host time: the whole database. */
const ALL = 2n ** 62n;

function latestReadings(db: Db, nodeId: number, asOfHostNs: bigint): ReadingRow[] {
  const latest = db
    .prepare<[number, bigint], { bootKey: bigint }>(
      `SELECT c.boot_key AS bootKey FROM clock_readings c JOIN boots b USING (boot_key)
       WHERE b.node_id = ? AND c.host_ns <= ? ORDER BY c.host_ns DESC, c.local_ns DESC LIMIT 1`,
    )
    .safeIntegers()
    .get(nodeId, asOfHostNs);
  if (!latest) return [];
  return db
    .prepare<[bigint, bigint, number], ReadingRow>(
      `SELECT boot_key AS bootKey, local_ns AS localNs, utc_ns AS utcNs, host_ns AS hostNs, earliest_hard_ns AS earliestHardNs,
         latest_hard_ns AS latestHardNs, servo_state AS servoState, age_ms AS ageMs
       FROM clock_readings WHERE boot_key = ? AND host_ns <= ? ORDER BY local_ns DESC LIMIT ?`,
    )
    .safeIntegers()
    .all(latest.bootKey, asOfHostNs, ARRIVAL_WINDOW);
}

/** The node's holdover half-width (hard) by age, measured from its PPS phase in `bootKey`. */
export function measuredGrowth(db: Db, bootKey: number): GrowthPoint[] {
  const edges = labelledEdges(db, bootKey);
  if (edges.length < 2) return [];
  const phase = ppsToPhase(
    edges.map((e) => e.second),
    edges.map((e) => e.localNs / 1e9),
  );
  return clockIntervals(phase, { horizonsS: GROWTH_HORIZONS_S }).map((i) => ({
    ageS: i.horizonS,
    halfWidthNs: i.halfWidthHardS * 1e9,
  }));
}

/**
 * Every node with a clock reading, as the database stood at host time `asOfHostNs` (default: now, all
 * of it; the lab's stories look back at earlier moments). The holdover growth is measured on the whole
 * boot and kept in `growthCache` per boot.
 */
export function nodeSnapshots(
  db: Db,
  growthCache = new Map<number, GrowthPoint[]>(),
  asOfHostNs = ALL,
): NodeSnapshot[] {
  const out: NodeSnapshot[] = [];
  for (const node of listNodes(db)) {
    const rows = latestReadings(db, node.id, asOfHostNs);
    const last = rows[0];
    if (!last) continue;
    const bootKey = Number(last.bootKey);
    let growth = growthCache.get(bootKey);
    if (growth === undefined) {
      growth = measuredGrowth(db, bootKey);
      // Too little PPS yet: measure again next time rather than remember "unmeasurable".
      if (growth.length > 0) growthCache.set(bootKey, growth);
    }
    const moment = readingHostNs(
      rows.map((r) => ({ localNs: Number(r.localNs), utcNs: r.utcNs, hostNs: r.hostNs })),
    );
    out.push({
      name: node.name,
      servoState: Number(last.servoState),
      utcNs: last.utcNs,
      earliestNs: Number(last.earliestHardNs),
      latestNs: Number(last.latestHardNs),
      ageS: Number(last.ageMs) / 1000,
      hostNs: moment.hostNs,
      latencyAllowanceNs: moment.latencyAllowanceNs,
      growth,
    });
  }
  return out;
}

/** The newest host moment any node read its clock at (null: no readings). */
export function newestReadingHostNs(snapshots: readonly NodeSnapshot[]): bigint | null {
  return snapshots.reduce<bigint | null>((m, s) => (m === null || s.hostNs > m ? s.hostNs : m), null);
}
