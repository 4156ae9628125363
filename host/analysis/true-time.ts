// The current time as an interval, from each node's latest clock reading: carried forward from when it
// was read to the moment asked about, widened by that node's measured holdover growth over the extra
// age, then combined across nodes: the span of points at least n − f nodes' intervals contain
// (agreementSpan), falsetickers named, no majority → unknown. With a fault count given, the span holds
// the truth while at most that many nodes are wrong, whatever they say; without one, f is the fewest
// faults consistent with the intervals, and with every node in agreement the answer is where all overlap.
// Absolute instants are bigint ns since the POSIX epoch (a double near 1.8e18 ns resolves only 256 ns).
import { agreementSpan } from "./intersection.ts";
import { growthAt, growthRatePpb, type GrowthPoint } from "./interval-growth.ts";
import type { SourceInterval } from "./source-intervals.ts";

export type NodeClockStatus = "synchronized" | "holdover" | "free-running" | "unknown";
export type TrueTimeStatus = NodeClockStatus;

export interface NodeSnapshot {
  name: string;
  /** The board servo's state at the reading (SERVO_* of firmware/src/servo.ts). */
  servoState: number;
  /** The reading: UTC and its hard interval as offsets (ns) around it. */
  utcNs: bigint;
  earliestNs: number;
  latestNs: number;
  /** Seconds since the board's last good PPS when it read its clock. */
  ageS: number;
  /** When the reading was taken, on the host's clock (ns). */
  hostNs: bigint;
  /** How much older than `hostNs` the reading may be (link latency the host cannot see), ns. */
  latencyAllowanceNs: number;
  /** The node's measured holdover half-widths by age; empty when too little was recorded to measure. */
  growth: readonly GrowthPoint[];
}

export interface NodeNow {
  name: string;
  status: NodeClockStatus;
  /** null when the node cannot be used (reason says why). */
  earliestNs: bigint | null;
  latestNs: bigint | null;
  /** Seconds since the node's last good PPS at the moment asked about. */
  ageS: number;
  /** The measured growth rate used, ns/s (ppb); NaN when unmeasured. */
  growthPpb: number;
  role: "truechimer" | "falseticker" | "excluded";
  reason: string | null;
}

export interface TrueTime {
  status: TrueTimeStatus;
  atHostNs: bigint;
  earliestNs: bigint | null;
  latestNs: bigint | null;
  /** The agreement span, the answer above (true under at most `faultsAllowed` wrong nodes). */
  majority: { earliestNs: bigint; latestNs: bigint; faultsAllowed: number } | null;
  nodes: NodeNow[];
  reason: string | null;
}

// Servo states (firmware/src/servo.ts): NOGPS 0, ACQUIRING 1, LOCKED 2, HOLDOVER 3.
const LOCKED = 2;
const HOLDOVER = 3;
/** A locked node whose reading came this long after its last pulse is in holdover in all but name. */
const SYNC_MAX_AGE_S = 2.5;
/** Readings come every 10 s: one this old means the node has gone quiet. */
const SYNC_MAX_SILENCE_S = 30;

function nodeStatus(servoState: number, readingAgeS: number, silenceS: number): NodeClockStatus {
  if (servoState === LOCKED && readingAgeS <= SYNC_MAX_AGE_S && silenceS <= SYNC_MAX_SILENCE_S)
    return "synchronized";
  if (servoState === LOCKED || servoState === HOLDOVER) return "holdover";
  return "free-running";
}

export interface TrueTimeOptions {
  /** Claim a result only if it holds with this many nodes wrong (default: the fewest consistent). */
  faults?: number;
}

/** One node's interval at host moment `atHostNs`. */
export function nodeNow(s: NodeSnapshot, atHostNs: bigint): NodeNow {
  const elapsedNs = Number(atHostNs - s.hostNs);
  const ageS = s.ageS + Math.max(0, elapsedNs) / 1e9;
  const base = { name: s.name, ageS, growthPpb: growthRatePpb(s.growth), role: "excluded" as const };
  if (elapsedNs < 0)
    return {
      ...base,
      status: "unknown",
      earliestNs: null,
      latestNs: null,
      reason: "reading is newer than the moment asked about",
    };
  if (!(s.earliestNs <= 0 && s.latestNs >= 0))
    return {
      ...base,
      status: "unknown",
      earliestNs: null,
      latestNs: null,
      reason: `reading's interval [${s.earliestNs}, ${s.latestNs}] ns does not contain the reading`,
    };
  const extraNs = growthAt(s.growth, ageS) - growthAt(s.growth, s.ageS);
  if (!Number.isFinite(extraNs))
    return {
      ...base,
      status: "unknown",
      earliestNs: null,
      latestNs: null,
      reason:
        "no measured holdover growth for this node (too little PPS recorded): its reading cannot be carried forward",
    };
  if (!(s.latencyAllowanceNs >= 0))
    return {
      ...base,
      status: "unknown",
      earliestNs: null,
      latestNs: null,
      reason: "too few readings to place them on the host's clock",
    };
  // Carried forward on the host's clock, which (like the boards' UTC) repeats a second at a leap: the
  // host's elapsed reading across midnight is a second short, exactly as POSIX wants it.
  const centre = s.utcNs + BigInt(Math.round(elapsedNs));
  return {
    ...base,
    status: nodeStatus(s.servoState, s.ageS, elapsedNs / 1e9),
    earliestNs: centre + BigInt(Math.floor(s.earliestNs - extraNs)),
    latestNs: centre + BigInt(Math.ceil(s.latestNs + extraNs + s.latencyAllowanceNs)),
    reason: null,
  };
}

const STATUS_RANK: Record<NodeClockStatus, number> = {
  synchronized: 0,
  holdover: 1,
  "free-running": 2,
  unknown: 3,
};

/** Every node's interval at `atHostNs`, the majority's verdict, and the interval of the agreeing nodes. */
export function trueTime(
  snapshots: readonly NodeSnapshot[],
  atHostNs: bigint,
  options: TrueTimeOptions = {},
): TrueTime {
  const nodes = snapshots.map((s) => nodeNow(s, atHostNs));
  const usable = nodes.filter((n) => n.earliestNs !== null && n.latestNs !== null);
  const none = (reason: string): TrueTime => ({
    status: "unknown",
    atHostNs,
    earliestNs: null,
    latestNs: null,
    majority: null,
    nodes,
    reason,
  });
  if (usable.length === 0)
    return none(nodes.length === 0 ? "no node has a clock reading" : "no node's reading can be used");
  const reference = usable[0]!.earliestNs!;
  const intervals: SourceInterval[] = usable.map((n) => ({
    id: n.name,
    earliest: Number(n.earliestNs! - reference),
    latest: Number(n.latestNs! - reference),
  }));
  const verdict = agreementSpan(intervals, options.faults);
  if (verdict.status === "too-few-sources") return none(verdict.reason);
  if (verdict.status !== "agreed")
    return none(
      `no majority among ${usable.length} usable node${usable.length === 1 ? "" : "s"}: their intervals do not agree`,
    );
  for (const n of nodes) {
    if (verdict.truechimers.includes(n.name)) n.role = "truechimer";
    else if (verdict.falsetickers.some((f) => f.id === n.name)) {
      n.role = "falseticker";
      n.reason = "its interval misses the majority's";
    }
  }
  const chimers = nodes.filter((n) => n.role === "truechimer");
  const majority = {
    earliestNs: reference + BigInt(Math.floor(verdict.earliest)),
    latestNs: reference + BigInt(Math.ceil(verdict.latest)),
    faultsAllowed: verdict.faultsAllowed,
  };
  const best = chimers.reduce((b, n) => (STATUS_RANK[n.status] < STATUS_RANK[b.status] ? n : b), chimers[0]!);
  return {
    status: best.status,
    atHostNs,
    earliestNs: majority.earliestNs,
    latestNs: majority.latestNs,
    majority,
    nodes,
    reason: null,
  };
}
