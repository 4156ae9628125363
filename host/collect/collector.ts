// The collector: every link's records go through one pipeline into the store, in batched transactions.
// Acknowledgements follow commits, so a crash at any point loses nothing the boards still hold.
import type { Db } from "../store/open.ts";
import { createRegistry, type Registry } from "../store/registry.ts";
import type { DecodedRecord } from "../../firmware/src/protocol.ts";
import { createRecordWriter, type RecordWriter } from "../store/writer.ts";
import { watchClockSteps } from "./clock-steps.ts";
import type { EventSink } from "./events.ts";
import { LinkSession, type Identity, type SessionDeps } from "./link-session.ts";
import {
  DEFAULT_TIMING,
  NodeTracker,
  type LinkHandle,
  type NodeStats,
  type TrackerTiming,
} from "./node-tracker.ts";

export interface HostClock {
  /** Monotonic ns: durations, silence, timeouts. */
  monoNs(): bigint;
  /** Time of day, ns since the POSIX epoch: when a record arrived. */
  wallNs(): bigint;
}

export const SYSTEM_CLOCK: HostClock = {
  monoNs: () => process.hrtime.bigint(),
  wallNs: () => BigInt(Date.now()) * 1_000_000n,
};

export interface CollectorOptions {
  db: Db;
  clock?: HostClock;
  emit?: EventSink;
  /** Commit when this many records wait, or when the oldest has waited flushEveryNs. */
  maxBatch?: number;
  flushEveryNs?: bigint;
  timing?: TrackerTiming;
  /** Name for a board seen the first time, from its board id and serial (default: board-<serial tail>). */
  nameFor?: (identity: Identity, link: LinkHandle) => string;
  /** A fresh line authenticator for each link (collect --keys): refused lines are counted as rejected. */
  authenticateLink?: () => NonNullable<SessionDeps["authenticate"]>;
}

export interface NodeReport extends NodeStats {
  name: string;
  serial: string;
  board: string;
  state: string;
  link: string | null;
  owed: { bootId: string; first: number; last: number }[];
  servoState: number | null;
  freqPpm: number | null;
  bound95Ns: number | null;
}

export interface CollectorReport {
  nodes: NodeReport[];
  rejected: Record<string, number>;
  batches: number;
}

function defaultName(identity: Identity): string {
  const tail = identity.serial
    .replace(/[^A-Za-z0-9]/g, "")
    .slice(-4)
    .toLowerCase();
  return `${identity.board}-${tail}`;
}

export class Collector {
  readonly registry: Registry;
  private readonly writer: RecordWriter;
  private readonly clock: HostClock;
  private readonly emit: EventSink;
  private readonly maxBatch: number;
  private readonly flushEveryNs: bigint;
  private readonly timing: TrackerTiming;
  private readonly nameFor: (identity: Identity, link: LinkHandle) => string;
  private readonly authenticateLink: CollectorOptions["authenticateLink"];
  private readonly trackers = new Map<string, NodeTracker>();
  private readonly sessions = new Set<LinkSession>();
  private readonly closedRejects: Record<string, number> = {};
  private batchSinceNs: bigint | null = null;
  private batches = 0;
  private readonly clockSteps: { observe(): unknown };

  constructor(options: CollectorOptions) {
    this.registry = createRegistry(options.db);
    this.writer = createRecordWriter(options.db);
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.emit = options.emit ?? (() => {});
    this.maxBatch = options.maxBatch ?? 2000;
    this.flushEveryNs = options.flushEveryNs ?? 200_000_000n;
    this.timing = options.timing ?? DEFAULT_TIMING;
    this.nameFor = options.nameFor ?? defaultName;
    this.authenticateLink = options.authenticateLink;
    this.clockSteps = watchClockSteps(this.clock, this.registry, this.emit);
    this.clockSteps.observe();
  }

  /** A new connection; feed it with `session.push`, and `detach` it when it closes. */
  attach(link: LinkHandle): LinkSession {
    const session = new LinkSession(link, {
      emit: this.emit,
      tracker: (identity, via) => this.trackerFor(identity, via),
      wallNs: () => this.clock.wallNs(),
      monoNs: () => this.clock.monoNs(),
      ...(this.authenticateLink ? { authenticate: this.authenticateLink() } : {}),
    });
    this.sessions.add(session);
    this.emit({ event: "link-open", link: link.label });
    session.open();
    return session;
  }

  detach(session: LinkSession, reason: string): void {
    if (!this.sessions.delete(session)) return;
    for (const [reasonName, count] of Object.entries(session.stream.counters.rejected))
      this.closedRejects[reasonName] = (this.closedRejects[reasonName] ?? 0) + count;
    if (session.tracker?.link === session.link) session.tracker.link = null;
    this.emit({ event: "link-closed", link: session.link.label, reason });
  }

  /** Periodic work: commits a due batch, then resends, probes and liveness. */
  tick(): void {
    this.clockSteps.observe();
    const now = this.clock.monoNs();
    if (this.batchSinceNs !== null && now - this.batchSinceNs >= this.flushEveryNs) this.flush();
    const wall = this.clock.wallNs();
    for (const session of this.sessions) session.tick();
    for (const tracker of this.trackers.values()) tracker.tick(now, wall);
  }

  /** Commits what waits and acknowledges it to the boards. */
  flush(): void {
    if (this.writer.pending > 0) {
      this.batchSinceNs = null;
      this.writer.commit();
      this.batches++;
    }
    for (const tracker of this.trackers.values()) tracker.committed();
  }

  report(): CollectorReport {
    const rejected: Record<string, number> = { ...this.closedRejects };
    for (const session of this.sessions)
      for (const [reason, count] of Object.entries(session.stream.counters.rejected))
        rejected[reason] = (rejected[reason] ?? 0) + count;
    return {
      nodes: [...this.trackers.values()].map((t) => ({
        name: t.name,
        serial: t.serial,
        board: t.board,
        state: t.state,
        link: t.link?.label ?? null,
        ...t.stats,
        owed: t.owed(),
        ...t.latest,
      })),
      rejected: Object.fromEntries(Object.entries(rejected).filter(([, n]) => n > 0)),
      batches: this.batches,
    };
  }

  private enqueue(nodeId: number, bootKey: number, record: DecodedRecord, hostNs: bigint): void {
    if (this.writer.pending === 0) this.batchSinceNs = this.clock.monoNs();
    this.writer.add(nodeId, bootKey, record, hostNs);
    if (this.writer.pending >= this.maxBatch) this.flush();
  }

  private trackerFor(identity: Identity, link: LinkHandle): NodeTracker {
    let tracker = this.trackers.get(identity.serial);
    if (!tracker) {
      const node = this.registry.node(
        identity.serial,
        identity.board,
        this.nameFor(identity, link),
        this.clock.wallNs(),
      );
      tracker = new NodeTracker(node.id, node.name, identity.serial, identity.board, {
        registry: this.registry,
        emit: this.emit,
        enqueue: (nodeId, bootKey, record, hostNs) => this.enqueue(nodeId, bootKey, record, hostNs),
        timing: this.timing,
      });
      this.trackers.set(identity.serial, tracker);
      this.emit({
        event: "node",
        node: node.name,
        serial: identity.serial,
        board: identity.board,
        link: link.label,
      });
    }
    return tracker;
  }
}
