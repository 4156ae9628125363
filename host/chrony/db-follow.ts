// `timenode chrony --db`: feeds chronyd from a node that a running `timenode collect` stores, so one
// process owns the serial port and both collect and feed. Each UTC reading (U, every 10 s) becomes a
// sample taken when it arrived: (host_ns, its UTC − host_ns). That is serial-timed, like gpsd's
// message-timed socket: the offsets are short by the time from the reading to its arrival (the line's
// transmission, a few ms at 115200 baud) and by Date.now()'s whole ms, so chrony's `offset` option and a
// generous `precision` are needed. The gate is the same: locked, heard, bound within the limit.
import type { Db } from "../store/open.ts";
import { findNode } from "../store/read.ts";
import type { HostSample } from "./board-exchange.ts";
import {
  createGateWatch,
  feedVerdict,
  type GateLimits,
  type GateVerdict,
  type NodeHealth,
} from "./feed-gate.ts";
import { leapFlagAt, type LeapAnnouncement } from "./leap-flag.ts";

interface ReadingRow {
  host_ns: bigint;
  utc_ns: bigint;
  second60: bigint;
  earliest95_ns: bigint;
  latest95_ns: bigint;
  servo_state: bigint;
}

export interface DbFollowOptions {
  db: Db;
  /** The node's name or chip serial. */
  node: string;
  limits: GateLimits;
  monoNs: () => bigint;
  leap: () => LeapAnnouncement | null;
  onSample(sample: HostSample): void;
  onVerdict(verdict: GateVerdict): void;
}

export class DbFollow {
  readonly stats = { readings: 0, withheld: 0, samples: 0 };
  private readonly gate = createGateWatch();
  private readonly health: NodeHealth = { servoState: null, bound95Ns: null, lastHeardMonoNs: null };
  private nodeId: number | null = null;
  private lastHostNs: bigint;
  private readonly readings;

  constructor(private readonly options: DbFollowOptions) {
    this.readings = options.db
      .prepare<[number, bigint], ReadingRow>(
        `SELECT c.host_ns, c.utc_ns, c.second60, c.earliest95_ns, c.latest95_ns, c.servo_state
         FROM clock_readings c JOIN boots b USING (boot_key)
         WHERE b.node_id = ? AND c.host_ns > ? ORDER BY c.host_ns, c.seq`,
      )
      .safeIntegers(true);
    // Readings already stored when the node is found are history, not samples (see poll).
    this.lastHostNs = -1n;
  }

  /** The node's name once it is in the database, else null (the collector may not have seen it yet). */
  get nodeName(): string | null {
    return this.nodeId === null ? null : this.options.node;
  }

  /** Reads what the collector committed since the last poll. */
  poll(): void {
    if (this.nodeId === null) {
      const node = findNode(this.options.db, this.options.node);
      if (!node) {
        this.verdict();
        return;
      }
      this.nodeId = node.id;
      const newest = this.options.db
        .prepare<[number], { host_ns: bigint | null }>(
          "SELECT MAX(c.host_ns) AS host_ns FROM clock_readings c JOIN boots b USING (boot_key) WHERE b.node_id = ?",
        )
        .safeIntegers(true)
        .get(node.id);
      if (newest?.host_ns != null) this.lastHostNs = newest.host_ns;
    }
    for (const row of this.readings.all(this.nodeId, this.lastHostNs)) {
      this.lastHostNs = row.host_ns;
      this.stats.readings++;
      this.health.servoState = Number(row.servo_state);
      this.health.bound95Ns = Math.max(-Number(row.earliest95_ns), Number(row.latest95_ns));
      this.health.lastHeardMonoNs = this.options.monoNs();
      const verdict = this.verdict();
      if (!verdict.feed || row.second60 !== 0n) {
        this.stats.withheld++;
        continue;
      }
      this.stats.samples++;
      this.options.onSample({
        systemNs: row.host_ns,
        offsetNs: Number(row.utc_ns - row.host_ns),
        delayNs: 0,
        nodeBoundNs: this.health.bound95Ns,
        leap: leapFlagAt(Number(row.utc_ns / 1_000_000_000n), this.options.leap()),
      });
    }
    this.verdict();
  }

  private verdict(): GateVerdict {
    const verdict: GateVerdict =
      this.nodeId === null
        ? {
            feed: false,
            reason: `not in the database yet: is timenode collect storing ${this.options.node}?`,
          }
        : feedVerdict(this.health, this.options.limits, this.options.monoNs());
    const change = this.gate.change(verdict);
    if (change) this.options.onVerdict(change);
    return verdict;
  }
}
