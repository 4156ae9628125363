// One board as the collector sees it, across links and restarts: which boot it runs, which sequence
// numbers it still owes (asked for again with `resend`), what it may forget (`ack`, only once stored),
// and whether it is alive (silent nodes become suspect, then down).
import {
  CMD_ACK,
  CMD_RESEND,
  CMD_STATUS,
  REC_CLOCK,
  REC_CONFIG,
  REC_EVENT,
  REC_HELLO,
  REC_LOST,
  REC_SERVO,
  type DecodedRecord,
} from "../../firmware/src/protocol.ts";
import type { Registry } from "../store/registry.ts";
import type { EventSink, NodeState } from "./events.ts";
import { RangeSet } from "./range-set.ts";

export interface LinkHandle {
  label: string;
  send(command: string): void;
}

export interface TrackerTiming {
  /** Quiet this long: ask for a status record, which proves the node alive. */
  probeAfterNs: bigint;
  suspectAfterNs: bigint;
  downAfterNs: bigint;
  /** A resend not answered within this is asked again. */
  resendTimeoutNs: bigint;
}

export const DEFAULT_TIMING: TrackerTiming = {
  probeAfterNs: 2_000_000_000n,
  suspectAfterNs: 3_000_000_000n,
  downAfterNs: 10_000_000_000n,
  resendTimeoutNs: 2_000_000_000n,
};

/** Acknowledge once this share of the board's ring has been stored (it can then forget those lines). */
const ACK_RING_FRACTION = 4;
const DEFAULT_RING_LINES = 32;

interface BootTrack {
  bootId: string;
  bootKey: number;
  highest: number;
  missing: RangeSet;
  ackedSeq: number;
  resendAskedNs: bigint | null;
}

export interface NodeStats {
  stored: number;
  duplicates: number;
  gaps: number;
  recovered: number;
  lost: number;
  resets: number;
}

export interface NodeLatest {
  servoState: number | null;
  freqPpm: number | null;
  bound95Ns: number | null;
}

export interface TrackerDeps {
  registry: Registry;
  emit: EventSink;
  /** Stores a record (committed with the next batch). */
  enqueue(nodeId: number, bootKey: number, record: DecodedRecord, hostNs: bigint): void;
  timing: TrackerTiming;
}

export class NodeTracker {
  link: LinkHandle | null = null;
  state: NodeState = "up";
  readonly stats: NodeStats = { stored: 0, duplicates: 0, gaps: 0, recovered: 0, lost: 0, resets: 0 };
  readonly latest: NodeLatest = { servoState: null, freqPpm: null, bound95Ns: null };
  private readonly boots = new Map<string, BootTrack>();
  private currentBoot: string | null;
  private currentBootKey: number | null;
  private lastHeardNs: bigint | null = null;
  private probedNs: bigint | null = null;
  /** False for boards whose host link has no return path (shared with the GPS): no resend, no ack. */
  private takesCommands = true;
  private ackStep = Math.max(1, Math.floor(DEFAULT_RING_LINES / ACK_RING_FRACTION));

  constructor(
    readonly id: number,
    readonly name: string,
    readonly serial: string,
    readonly board: string,
    private readonly deps: TrackerDeps,
  ) {
    const latest = deps.registry.latestBoot(id);
    this.currentBoot = latest?.bootId ?? null;
    this.currentBootKey = latest?.bootKey ?? null;
  }

  /** Takes one decoded record of this node that arrived at `wallNs` (epoch) / `monoNs`. */
  accept(record: DecodedRecord, wallNs: bigint, monoNs: bigint): void {
    this.heard(monoNs, wallNs);
    const boot = this.bootOf(record.bootId, wallNs);
    const { seq } = record;
    if (seq <= boot.highest && !boot.missing.has(seq)) {
      this.stats.duplicates++;
      return;
    }
    if (seq > boot.highest) {
      if (seq > boot.highest + 1) this.gap(boot, boot.highest + 1, seq - 1, wallNs);
      boot.highest = seq;
    } else {
      boot.missing.remove(seq, seq);
      this.stats.recovered++;
      if (boot.missing.isEmpty) boot.resendAskedNs = null;
    }
    this.stats.stored++;
    this.deps.enqueue(this.id, boot.bootKey, record, wallNs);
    this.observe(record, boot, wallNs);
  }

  /** After the rows taken so far are committed: let the board forget what is safely stored. */
  committed(): void {
    const boot = this.currentBoot === null ? undefined : this.boots.get(this.currentBoot);
    if (!boot || !this.link || !this.takesCommands) return;
    const watermark = (boot.missing.lowest ?? boot.highest + 1) - 1;
    if (watermark >= boot.ackedSeq + this.ackStep) {
      this.link.send(`${CMD_ACK} ${watermark}\n`);
      boot.ackedSeq = watermark;
    }
  }

  /** Periodic: resend requests, liveness probes and state changes. */
  tick(monoNs: bigint, wallNs: bigint): void {
    const boot = this.currentBoot === null ? undefined : this.boots.get(this.currentBoot);
    if (boot && !boot.missing.isEmpty) this.askResend(boot, monoNs);
    if (this.lastHeardNs === null) return;
    const silentNs = monoNs - this.lastHeardNs;
    const { timing } = this.deps;
    if (
      silentNs >= timing.probeAfterNs &&
      (this.probedNs === null || monoNs - this.probedNs >= timing.probeAfterNs)
    ) {
      this.probedNs = monoNs;
      this.link?.send(`${CMD_STATUS}\n`);
    }
    const next: NodeState =
      silentNs >= timing.downAfterNs ? "down" : silentNs >= timing.suspectAfterNs ? "suspect" : "up";
    if (next !== this.state && next !== "up") this.transition(next, silentNs, wallNs);
  }

  /** Ranges still owed, per boot. */
  owed(): { bootId: string; first: number; last: number }[] {
    return [...this.boots.values()].flatMap((b) => b.missing.list().map((r) => ({ bootId: b.bootId, ...r })));
  }

  private heard(monoNs: bigint, wallNs: bigint): void {
    this.lastHeardNs = monoNs;
    this.probedNs = null;
    if (this.state !== "up") this.transition("up", 0n, wallNs);
  }

  private transition(to: NodeState, silentNs: bigint, wallNs: bigint): void {
    const from = this.state;
    this.state = to;
    const silentS = Number(silentNs) / 1e9;
    this.deps.emit({ event: "state", node: this.name, from, to, silentS });
    this.deps.registry.hostEvent(this.id, this.currentBootKey, wallNs, to, silentS.toFixed(1));
  }

  private bootOf(bootId: string, wallNs: bigint): BootTrack {
    const known = this.boots.get(bootId);
    if (known) return known;
    const { registry } = this.deps;
    const bootKey = registry.boot(this.id, bootId, wallNs);
    const boot = this.trackBoot(bootId, bootKey);
    if (this.currentBoot !== bootId && boot.highest < 0) {
      // A boot id not stored before: the board reset (while we watched, or while we were away).
      const previous = this.currentBoot;
      if (previous !== null && this.currentBootKey !== null) {
        this.stats.resets++;
        this.forgetBoot(previous, this.currentBootKey, wallNs);
      }
      this.deps.emit({ event: "reset", node: this.name, fromBoot: previous, toBoot: bootId });
      registry.hostEvent(this.id, bootKey, wallNs, "boot", previous ?? "-");
      this.currentBoot = bootId;
      this.currentBootKey = bootKey;
    } else if (this.currentBoot === null) {
      this.currentBoot = bootId;
      this.currentBootKey = bootKey;
    }
    return boot;
  }

  /** What the store already holds of a boot (after a restart): its highest seq and its holes. */
  private trackBoot(bootId: string, bootKey: number): BootTrack {
    const state = this.deps.registry.seqState(bootKey);
    const boot: BootTrack = {
      bootId,
      bootKey,
      highest: state.maxSeq,
      missing: new RangeSet(state.holes),
      ackedSeq: -1,
      resendAskedNs: null,
    };
    this.boots.set(bootId, boot);
    return boot;
  }

  /** A reset wipes the board's ring: what the old boot still owed can never come. */
  private forgetBoot(bootId: string, bootKey: number, wallNs: bigint): void {
    const old = this.boots.get(bootId) ?? this.trackBoot(bootId, bootKey);
    for (const range of old.missing.clear()) this.declareLost(old, range.first, range.last, "reset", wallNs);
    this.boots.delete(bootId);
  }

  /**
   * Records skipped in the sequence. Over UDP most such holes are only reordering and fill within
   * milliseconds, so a hole becomes a gap (counted, reported) when it is still open at the next tick.
   */
  private gap(boot: BootTrack, first: number, last: number, wallNs: bigint): void {
    if (this.takesCommands) {
      boot.missing.add(first, last);
      return;
    }
    this.reportGap(boot, first, last);
    this.declareLost(boot, first, last, "no-return-link", wallNs);
  }

  private reportGap(boot: BootTrack, first: number, last: number): void {
    this.stats.gaps++;
    this.deps.emit({ event: "gap", node: this.name, boot: boot.bootId, first, last });
  }

  private askResend(boot: BootTrack, monoNs: bigint): void {
    const from = boot.missing.lowest;
    if (from === null || !this.link) return;
    if (boot.resendAskedNs !== null && monoNs - boot.resendAskedNs < this.deps.timing.resendTimeoutNs) return;
    if (boot.resendAskedNs === null)
      for (const range of boot.missing.list()) this.reportGap(boot, range.first, range.last);
    boot.resendAskedNs = monoNs;
    this.link.send(`${CMD_RESEND} ${from}\n`);
    this.deps.emit({ event: "resend", node: this.name, boot: boot.bootId, from });
  }

  private declareLost(boot: BootTrack, first: number, last: number, reason: string, wallNs: bigint): void {
    this.stats.lost += last - first + 1;
    this.deps.registry.lost(boot.bootKey, { first, last }, reason, wallNs);
    this.deps.emit({ event: "lost", node: this.name, boot: boot.bootId, first, last, reason });
  }

  private observe(record: DecodedRecord, boot: BootTrack, wallNs: bigint): void {
    const f = record.fields;
    switch (record.type) {
      case REC_LOST: {
        const first = Number(f[0]);
        const last = Number(f[1]);
        if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last)) return;
        for (const range of boot.missing.remove(first, last))
          this.declareLost(boot, range.first, range.last, "board-dropped", wallNs);
        boot.resendAskedNs = null;
        return;
      }
      case REC_CONFIG: {
        const ringLines = Number(f[10]);
        if (ringLines > 0) this.ackStep = Math.max(1, Math.floor(ringLines / ACK_RING_FRACTION));
        this.deps.registry.bootInfo(boot.bootKey, {
          firmwareVersion: f[1] ?? "",
          espruinoVersion: f[2] ?? "",
          config: configObject(f),
        });
        return;
      }
      case REC_HELLO: {
        const quantumNs = Number(f[3]);
        if (f[8] === "0" && this.takesCommands) {
          this.takesCommands = false;
          for (const range of boot.missing.clear())
            this.declareLost(boot, range.first, range.last, "no-return-link", wallNs);
        }
        this.deps.registry.bootInfo(boot.bootKey, {
          firmwareVersion: f[1] ?? "",
          espruinoVersion: f[2] ?? "",
          ...(Number.isFinite(quantumNs) ? { quantumNs } : {}),
        });
        return;
      }
      case REC_SERVO: {
        this.latest.servoState = Number(f[2]);
        this.latest.freqPpm = Number(f[3]) / 1e6;
        return;
      }
      case REC_CLOCK: {
        const earliest = Number(f[4]);
        const latest = Number(f[5]);
        this.latest.bound95Ns = Math.max(Math.abs(earliest), Math.abs(latest));
        this.latest.servoState = Number(f[8]);
        return;
      }
      case REC_EVENT:
        this.deps.emit({ event: "board-event", node: this.name, code: f[1] ?? "?", value: f[2] ?? "" });
        return;
    }
  }
}

const CONFIG_FIELDS = [
  "board",
  "firmwareVersion",
  "espruinoVersion",
  "ppsPin",
  "gpsUart",
  "gpsBaud",
  "gpsRx",
  "gpsTx",
  "hostDevice",
  "hostBaud",
  "ringLines",
  "ringBytes",
  "serial",
];

function configObject(fields: readonly string[]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  CONFIG_FIELDS.forEach((name, i) => {
    const value = fields[i];
    if (value === undefined) return;
    out[name] = /^-?\d+$/.test(value) ? Number(value) : value;
  });
  return out;
}
