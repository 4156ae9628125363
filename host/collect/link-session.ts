// One connection to a board (a serial port, a UDP peer, a lab node): decodes its bytes, learns which
// board is on the other end (serial number from the hello or config record), and hands its records to
// that board's tracker. Records that arrive before the board is known wait, a bounded number; dropping
// them is safe, because nothing unacknowledged is lost: the board resends it when asked.
import { CMD_CONFIG, REC_CONFIG, REC_HELLO, type DecodedRecord } from "../../firmware/src/protocol.ts";
import {
  createRecordStream,
  type RecordStream,
  type RecordStreamOptions,
  type RejectReason,
} from "../protocol/record-stream.ts";
import type { EventSink } from "./events.ts";
import type { LinkHandle, NodeTracker } from "./node-tracker.ts";

export interface Identity {
  serial: string;
  board: string;
}

/** The board a hello (serial in field 7) or config (field 12) record names; null for other records. */
export function identityOf(record: DecodedRecord): Identity | null {
  const board = record.fields[0];
  const serial =
    record.type === REC_HELLO ? record.fields[7] : record.type === REC_CONFIG ? record.fields[12] : undefined;
  return board && serial ? { serial, board } : null;
}

const MAX_WAITING = 4096;
/** While the board is unknown, ask for its config again this often. */
const ASK_CONFIG_EVERY_NS = 3_000_000_000n;

export interface SessionDeps {
  emit: EventSink;
  tracker(identity: Identity, link: LinkHandle): NodeTracker;
  wallNs(): bigint;
  monoNs(): bigint;
  /** Authenticates this link's lines (collect --keys); without it lines are taken as they are. */
  authenticate?: RecordStreamOptions["authenticate"];
}

export class LinkSession {
  readonly stream: RecordStream;
  tracker: NodeTracker | null = null;
  private waiting: DecodedRecord[] = [];
  private waitingDropped = 0;
  private askedConfigNs: bigint | null = null;
  private readonly reported = new Set<RejectReason>();
  /** Arrival time of the chunk being decoded: every record in it arrived together. */
  private arrivalWallNs = 0n;
  private arrivalMonoNs = 0n;

  constructor(
    readonly link: LinkHandle,
    private readonly deps: SessionDeps,
  ) {
    this.stream = createRecordStream(
      (record) => this.onRecord(record),
      deps.authenticate ? { authenticate: deps.authenticate } : {},
    );
  }

  /** Call once the link is open: asks the board who it is. */
  open(): void {
    this.askConfig();
  }

  push(chunk: string): void {
    this.arrivalWallNs = this.deps.wallNs();
    this.arrivalMonoNs = this.deps.monoNs();
    this.stream.push(chunk);
    const { rejected, firstRejected } = this.stream.counters;
    for (const reason of Object.keys(rejected) as RejectReason[]) {
      if (rejected[reason] === 0 || this.reported.has(reason)) continue;
      this.reported.add(reason);
      this.deps.emit({
        event: "rejected",
        link: this.link.label,
        reason,
        example: firstRejected[reason] ?? "",
      });
    }
  }

  tick(): void {
    if (this.tracker === null && this.waiting.length > 0) this.askConfig();
  }

  get dropped(): number {
    return this.waitingDropped;
  }

  private askConfig(): void {
    const now = this.deps.monoNs();
    if (this.askedConfigNs !== null && now - this.askedConfigNs < ASK_CONFIG_EVERY_NS) return;
    this.askedConfigNs = now;
    this.link.send(`${CMD_CONFIG}\n`);
  }

  private onRecord(record: DecodedRecord): void {
    const wallNs = this.arrivalWallNs;
    const monoNs = this.arrivalMonoNs;
    if (this.tracker === null) {
      const identity = identityOf(record);
      if (identity === null) {
        if (this.waiting.length >= MAX_WAITING) {
          this.waiting.shift();
          this.waitingDropped++;
        }
        this.waiting.push(record);
        return;
      }
      this.tracker = this.deps.tracker(identity, this.link);
      this.tracker.link = this.link;
      const waiting = this.waiting;
      this.waiting = [];
      for (const early of waiting) this.tracker.accept(early, wallNs, monoNs);
    }
    this.tracker.link = this.link;
    this.tracker.accept(record, wallNs, monoNs);
  }
}
