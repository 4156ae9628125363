// Whether a node may feed chronyd now: only while its servo is locked, its PPS is current and its
// error bound is within the limit. Anything else (holdover, acquiring, a silent node, a wide bound)
// stops the feed, with the reason in words.
import { SERVO_ACQUIRING, SERVO_HOLDOVER, SERVO_LOCKED, SERVO_NOGPS } from "../../firmware/src/servo.ts";
import { formatNs } from "../cli/units.ts";

export interface NodeHealth {
  /** Servo state of the latest R or U record, null before any. */
  servoState: number | null;
  /** Half-width of the latest reading's 95 % interval, ns; null before the first reading. */
  bound95Ns: number | null;
  /** Monotonic ns when the node last reported a labelled PPS edge (R) or a reading (U). */
  lastHeardMonoNs: bigint | null;
}

export interface GateLimits {
  maxBoundNs: number;
  /** Silence after which the node counts as suspect (its PPS or its link is gone). */
  maxSilenceNs: bigint;
}

export type GateVerdict = { feed: true } | { feed: false; reason: string };

export function feedVerdict(health: NodeHealth, limits: GateLimits, nowMonoNs: bigint): GateVerdict {
  if (health.lastHeardMonoNs === null || health.servoState === null)
    return { feed: false, reason: "no report from the node yet" };
  const silentNs = nowMonoNs - health.lastHeardMonoNs;
  if (silentNs > limits.maxSilenceNs)
    return { feed: false, reason: `suspect: nothing from the node for ${formatNs(Number(silentNs))}` };
  if (health.servoState !== SERVO_LOCKED) return { feed: false, reason: stateReason(health.servoState) };
  if (health.bound95Ns === null) return { feed: false, reason: "no UTC reading with an error bound yet" };
  if (health.bound95Ns > limits.maxBoundNs)
    return {
      feed: false,
      reason: `its 95 % bound ±${formatNs(health.bound95Ns)} is above the limit ±${formatNs(limits.maxBoundNs)}`,
    };
  return { feed: true };
}

function stateReason(state: number): string {
  if (state === SERVO_HOLDOVER) return "in holdover: no GPS pulses, the clock runs on its own";
  if (state === SERVO_ACQUIRING) return "not locked yet: acquiring GPS";
  if (state === SERVO_NOGPS) return "no GPS";
  return `servo state ${state} is not locked`;
}

/** Remembers the last verdict, so a change is told once. */
export function createGateWatch(): { change(verdict: GateVerdict): GateVerdict | null } {
  let last: string | null = null;
  return {
    change(verdict) {
      const key = verdict.feed ? "" : verdict.reason;
      if (key === last) return null;
      // A suspect node's silence grows every tick: only the kind of reason counts as a change.
      if (last !== null && key.startsWith("suspect") && last.startsWith("suspect")) return null;
      last = key;
      return verdict;
    },
  };
}
