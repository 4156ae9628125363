// When, on the host's clock, a node read its clock: records arrive some unknown time after they are
// made, and resent ones much later. Over a node's recent readings the host-minus-board offset (board
// time: its monotonic clock, which no leap second or UTC step moves) is a line (the two clocks' rate
// difference) plus each record's delay; the least-delayed record marks the line's floor. A step of the
// host's clock or of the board's UTC (a leap second, a correction) breaks the line: only readings on the
// newest one's side of it are used, which also leaves out records resent long after they were made. The latest reading is placed on that floor. A delay every record shares (the line's time on the
// wire, the network's base latency) cannot be told from one direction alone from an offset between the
// host's clock and UTC. So the allowance on the late side (the reading can only be older than its
// placement, never newer) is the spread of the delays above the floor plus the floor's own host − UTC
// offset when positive: all of it could be latency. A host clock running behind UTC by more than the
// link's latency hides that latency; a two-way exchange would measure it instead.

export interface Arrival {
  /** When the board read its clock, on its own monotonic clock (ns since boot). */
  localNs: number;
  /** The reading's UTC, ns since the epoch. */
  utcNs: bigint;
  /** When its record reached the host, host ns. */
  hostNs: bigint;
}

/** Offsets further than this from the latest readings' belong to another side of a clock step. */
const STEP_NS = 500_000_000;

export interface ReadingMoment {
  /** The host moment of the reading, on the least-delayed floor. */
  hostNs: bigint;
  /** How much older than `hostNs` the reading may be, ns (see the module comment). */
  latencyAllowanceNs: number;
}

/** The host moment of `readings`' last entry (by board time), on the least-delayed floor of all of them. */
export function readingHostNs(readings: readonly Arrival[]): ReadingMoment {
  const all = [...readings].sort((a, b) => a.localNs - b.localNs);
  const newest = all[all.length - 1]!;
  // Host − board offsets relative to the newest reading's, by board monotonic time and by board UTC.
  const byLocal = (r: Arrival) => Number(r.hostNs - newest.hostNs) - (r.localNs - newest.localNs);
  const byUtc = (r: Arrival) => Number(r.hostNs - newest.hostNs) - Number(r.utcNs - newest.utcNs);
  const sameSide = (offset: (r: Arrival) => number) => all.filter((r) => Math.abs(offset(r)) < STEP_NS);
  const localSide = sameSide(byLocal);
  const utcSide = sameSide(byUtc);
  // Board time is the better axis: the board's UTC carries its own error (ms after an hour of holdover)
  // and its corrections. But a host clock that steps with UTC (POSIX at a leap) breaks host − board
  // time and keeps host − UTC whole: then, and only then, UTC keeps more readings together.
  const useUtc = utcSide.length > localSide.length;
  const sorted = useUtc ? utcSide : localSide;
  const offset = useUtc ? byUtc : byLocal;
  const last = newest;
  if (sorted.length < 3) return { hostNs: last.hostNs, latencyAllowanceNs: NaN };
  const x = sorted.map((r) => (r.localNs - last.localNs) / 1e9);
  const y = sorted.map(offset);
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i]! - mx) ** 2;
    sxy += (x[i]! - mx) * (y[i]! - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  const residuals = y.map((v, i) => v - (intercept + slope * x[i]!));
  const floor = Math.min(...residuals);
  const hostNs = last.hostNs + BigInt(Math.round(intercept + floor));
  // The floor's host − UTC offset: latency, or the host clock's own error; taken as latency.
  const floorOffsetNs = Number(hostNs - last.utcNs);
  return {
    hostNs,
    latencyAllowanceNs: Math.max(...residuals) - floor + Math.max(0, floorOffsetNs),
  };
}
