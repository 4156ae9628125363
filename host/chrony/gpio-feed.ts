// Samples for chronyd from the host's own GPIO PPS: each edge that is on the latency line gives
// (system time of the stamp, its labelled second − that time). The stamp is late by the interrupt
// latency, so the offsets are too small by it (tens of µs): chrony's `offset` option takes it back.
// The node is fit to feed while the line exists (enough labelled edges), edges keep coming, and the
// 95 % bound (jitter and the system-time window) is within the limit.
import { SERVO_ACQUIRING, SERVO_LOCKED } from "../../firmware/src/servo.ts";
import type { HostPpsEdge } from "../gpio/host-pps.ts";
import type { HostSample } from "./board-exchange.ts";
import { createGateWatch, feedVerdict, type GateLimits, type GateVerdict } from "./feed-gate.ts";
import { leapFlagAt, type LeapAnnouncement } from "./leap-flag.ts";

export interface GpioFeedOptions {
  limits: GateLimits;
  /** How well the system time of a monotonic stamp is known, ns (the tracker's window). */
  todUncertaintyNs: () => number;
  /** The next leap second, if one is announced. */
  leap: () => LeapAnnouncement | null;
  onSample(sample: HostSample): void;
  onVerdict(verdict: GateVerdict): void;
}

export class GpioFeed {
  readonly stats = { edges: 0, outliers: 0, withheld: 0, samples: 0 };
  private readonly gate = createGateWatch();
  private lastEdgeMonoNs: bigint | null = null;
  private bound95Ns: number | null = null;
  private locked = false;

  constructor(private readonly options: GpioFeedOptions) {}

  edge(edge: HostPpsEdge): void {
    this.stats.edges++;
    this.lastEdgeMonoNs = edge.monoNs;
    const fit = edge.fit;
    this.locked = fit !== null && fit.n >= 16;
    this.bound95Ns = fit === null ? null : 1.96 * Math.hypot(fit.jitterNs, this.options.todUncertaintyNs());
    const verdict = this.verdict(edge.monoNs);
    if (fit !== null && !fit.lastKept) {
      this.stats.outliers++;
      return;
    }
    if (!verdict.feed || fit === null) {
      this.stats.withheld++;
      return;
    }
    this.stats.samples++;
    this.options.onSample({
      systemNs: edge.systemNs,
      offsetNs: Number(BigInt(edge.second) * 1_000_000_000n - edge.systemNs),
      delayNs: 0,
      nodeBoundNs: this.bound95Ns ?? 0,
      leap: leapFlagAt(edge.second, this.options.leap()),
    });
  }

  tick(nowMonoNs: bigint): void {
    this.verdict(nowMonoNs);
  }

  private verdict(nowMonoNs: bigint): GateVerdict {
    const verdict = feedVerdict(
      {
        servoState: this.lastEdgeMonoNs === null ? null : this.locked ? SERVO_LOCKED : SERVO_ACQUIRING,
        bound95Ns: this.bound95Ns,
        lastHeardMonoNs: this.lastEdgeMonoNs,
      },
      this.options.limits,
      nowMonoNs,
    );
    const change = this.gate.change(verdict);
    if (change) this.options.onVerdict(change);
    return verdict;
  }
}
