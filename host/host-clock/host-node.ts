// The host as a node in the store, like any board: known by "host-<hostname>", one boot per Linux boot
// (its monotonic clock counts from there, so local times are monotonic ns since boot), its PPS edges
// and clock estimates as P and R records, and steps of its time-of-day clock as host events.
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { PROTOCOL_VERSION, REC_PPS, REC_SERVO } from "../../firmware/src/protocol.ts";
import { SERVO_LOCKED } from "../../firmware/src/servo.ts";
import type { Db } from "../store/open.ts";
import { createRegistry, type Registry } from "../store/registry.ts";
import { createRecordWriter, type RecordWriter } from "../store/writer.ts";
import type { TodStep } from "./tod-tracker.ts";

export const HOST_BOARD = "host";
export const EVT_TOD_STEP = "tod_step";

export interface HostIdentity {
  /** "host-<hostname>": serial and name of the node. */
  serial: string;
  /** The first 8 hex digits of the kernel's boot id: the monotonic clock's epoch. */
  bootId: string;
}

export function hostIdentity(): HostIdentity {
  let bootId = "unknown";
  try {
    bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8")
      .replace(/[^0-9a-f]/g, "")
      .slice(0, 8);
  } catch {
    // Not Linux: one boot for every run.
  }
  return { serial: `host-${hostname().replace(/[^A-Za-z0-9._-]/g, "-")}`, bootId };
}

export interface HostEdgeRecord {
  monoNs: bigint;
  intervalNs: number;
  flags: number;
  /** The UTC second of the edge and the clock estimate after it (null before there is one). */
  second: number;
  estimate: {
    freqPpb: number;
    freqSigmaPpb: number;
    /** System clock − GPS, ns. */
    offsetNs: number;
    jitterNs: number;
    outliers: number;
  } | null;
}

export class HostNode {
  readonly nodeId: number;
  readonly name: string;
  readonly bootKey: number;
  private readonly registry: Registry;
  private readonly writer: RecordWriter;
  private seq: number;

  constructor(
    db: Db,
    private readonly identity: HostIdentity,
    hostNs: bigint,
  ) {
    this.registry = createRegistry(db);
    this.writer = createRecordWriter(db);
    const node = this.registry.node(identity.serial, HOST_BOARD, identity.serial, hostNs);
    this.nodeId = node.id;
    this.name = node.name;
    this.bootKey = this.registry.boot(node.id, identity.bootId, hostNs);
    this.seq = this.registry.seqState(this.bootKey).maxSeq + 1;
  }

  /** One PPS edge (P) and, when there is an estimate, the clock's state after it (R), in one transaction. */
  edge(edge: HostEdgeRecord, hostNs: bigint): void {
    const localUs = Number(edge.monoNs / 1000n);
    const rows = [this.row(REC_PPS, [localUs, Math.round(edge.intervalNs / 1000), edge.flags], hostNs)];
    const e = edge.estimate;
    if (e)
      rows.push(
        this.row(
          REC_SERVO,
          [
            localUs,
            edge.second,
            SERVO_LOCKED,
            Math.round(e.freqPpb * 1000),
            Math.round(e.freqSigmaPpb * 1000),
            Math.round(e.offsetNs),
            Math.round(e.jitterNs),
            e.outliers,
          ],
          hostNs,
        ),
      );
    this.writer.write(rows);
  }

  /** A step of the time-of-day clock, as a host event of this node. */
  step(step: TodStep): void {
    this.registry.hostEvent(this.nodeId, this.bootKey, step.todNs, EVT_TOD_STEP, String(step.stepNs));
  }

  private row(type: string, fields: number[], hostNs: bigint) {
    const record = {
      version: PROTOCOL_VERSION,
      type,
      bootId: this.identity.bootId,
      seq: this.seq++,
      fields: fields.map(String),
    };
    return { nodeId: this.nodeId, bootKey: this.bootKey, record, hostNs };
  }
}
