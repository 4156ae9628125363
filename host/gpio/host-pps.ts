// The host's own clock timed by a GPS PPS on a GPIO line: each edge is stamped on the monotonic clock
// as the watch callback runs (user space: late by the interrupt latency), placed on the system clock,
// labelled with its UTC second (from NMEA when a GPS serial port is given, else the system clock's
// nearest second), and a line through the last edges gives the host clock's offset, frequency error,
// jitter and the latency distribution.
import { PPS_GLITCH, PPS_MISSED } from "../../firmware/src/protocol.ts";
import { fitPpsLatency, type PpsLatencyFit } from "../analysis/pps-latency.ts";
import type { ClockReader, TodTracker } from "../host-clock/tod-tracker.ts";
import type { GpioLine } from "./gpio-line.ts";

export interface HostPpsEdge {
  /** Monotonic ns when the callback ran. */
  monoNs: bigint;
  /** The same instant on the system clock, ns since the epoch. */
  systemNs: bigint;
  /** The UTC second the edge marks (POSIX). */
  second: number;
  labelFrom: "nmea" | "system-clock";
  /** Monotonic ns since the previous edge; 0 for the first. */
  intervalNs: number;
  /** PPS_GLITCH / PPS_MISSED from the interval. */
  flags: number;
  /** System clock − GPS at this edge, ns (the latency floor included: it cannot be seen from here). */
  offsetNs: number | null;
  fit: PpsLatencyFit | null;
}

export interface HostPpsStats {
  edges: number;
  /** Edges before any NMEA label, which cannot be given a second. */
  unlabelled: number;
  /** NMEA labels that disagreed with the second counted on from the previous label. */
  relabels: number;
  watchErrors: number;
}

export interface HostPpsOptions {
  line: GpioLine;
  reader: ClockReader;
  tracker: TodTracker;
  /** Seconds come from NMEA labels (label()) instead of the system clock. */
  nmeaLabels: boolean;
  onEdge(edge: HostPpsEdge): void;
  windowEdges?: number;
}

const NS_PER_S = 1_000_000_000n;
/** How far an interval may stray from 1 s before the edge is flagged. */
const INTERVAL_TOLERANCE_NS = 50_000_000;

export class HostPps {
  readonly stats: HostPpsStats = { edges: 0, unlabelled: 0, relabels: 0, watchErrors: 0 };
  private readonly window: { monoNs: bigint; second: number }[] = [];
  private readonly windowEdges: number;
  private lastEdgeMonoNs: bigint | null = null;
  private lastLabelled: { monoNs: bigint; second: number } | null = null;
  private readonly callback = (error: Error | null | undefined) => {
    const monoNs = this.options.reader.monoNs();
    if (error) this.stats.watchErrors++;
    else this.edge(monoNs);
  };

  constructor(private readonly options: HostPpsOptions) {
    this.windowEdges = options.windowEdges ?? 64;
  }

  start(): void {
    this.options.line.watch(this.callback);
  }

  stop(): void {
    this.options.line.unwatch(this.callback);
    this.options.line.unexport();
  }

  /** An NMEA time label for the second of the latest edge, completed at monotonic `monoNs`. */
  label(second: number, monoNs: bigint): void {
    const edge = this.lastEdgeMonoNs;
    if (edge === null || monoNs < edge || monoNs - edge >= NS_PER_S) return;
    const counted = this.lastLabelled ? this.countOn(this.lastLabelled, edge) : null;
    if (counted !== null && counted !== second) {
      this.stats.relabels++;
      this.window.length = 0;
    }
    this.lastLabelled = { monoNs: edge, second };
  }

  private countOn(from: { monoNs: bigint; second: number }, monoNs: bigint): number {
    return from.second + Math.round(Number(monoNs - from.monoNs) / 1e9);
  }

  private edge(monoNs: bigint): void {
    this.stats.edges++;
    const intervalNs = this.lastEdgeMonoNs === null ? 0 : Number(monoNs - this.lastEdgeMonoNs);
    this.lastEdgeMonoNs = monoNs;
    const flags =
      intervalNs === 0
        ? 0
        : intervalNs < 1e9 - INTERVAL_TOLERANCE_NS
          ? PPS_GLITCH
          : intervalNs > 1e9 + INTERVAL_TOLERANCE_NS
            ? PPS_MISSED
            : 0;
    const systemNs = this.options.tracker.systemNsAt(monoNs);
    let second: number;
    if (!this.options.nmeaLabels) second = Number((systemNs + NS_PER_S / 2n) / NS_PER_S);
    else if (this.lastLabelled) second = this.countOn(this.lastLabelled, monoNs);
    else {
      this.stats.unlabelled++;
      return;
    }
    // A glitch (an edge too soon after the last) is reported but kept out of the fit.
    let fit: PpsLatencyFit | null = null;
    if (!(flags & PPS_GLITCH)) {
      this.window.push({ monoNs, second });
      if (this.window.length > this.windowEdges) this.window.shift();
      fit = this.fit();
    }
    this.options.onEdge({
      monoNs,
      systemNs,
      second,
      labelFrom: this.source(),
      intervalNs,
      flags,
      offsetNs: fit === null ? null : this.offsetAt(fit),
      fit,
    });
  }

  private source(): "nmea" | "system-clock" {
    return this.options.nmeaLabels ? "nmea" : "system-clock";
  }

  /** Phase = (mono − first mono) − (second − first second), ns: small numbers for the fit. */
  private fit(): PpsLatencyFit | null {
    const first = this.window[0]!;
    const tS: number[] = [];
    const phaseNs: number[] = [];
    for (const e of this.window) {
      const sinceNs = e.monoNs - first.monoNs;
      tS.push(Number(sinceNs) / 1e9);
      phaseNs.push(Number(sinceNs - BigInt(e.second - first.second) * NS_PER_S));
    }
    return fitPpsLatency(tS, phaseNs);
  }

  /** System clock − GPS at the latest edge from the line: mono→system mapping now, applied to the fit. */
  private offsetAt(fit: PpsLatencyFit): number {
    const first = this.window[0]!;
    const systemMinusMono = this.options.tracker.systemNsAt(0n);
    return Number(first.monoNs + systemMinusMono - BigInt(first.second) * NS_PER_S) + fit.phaseNs;
  }
}
