// The master side of end-to-end two-step PTP, with no I/O of its own: tick() sends Announce, and Sync
// followed by a Follow_Up carrying the Sync's send time; each Delay_Req is answered with a Delay_Resp
// carrying its receive time. Answers are rate-limited, so a flood of requests costs a bounded amount of
// work and no memory; what is dropped is counted.
import {
  decodePtp,
  encodePtp,
  PTP_ANNOUNCE,
  PTP_DELAY_REQ,
  PTP_DELAY_RESP,
  PTP_FLAG_TWO_STEP,
  PTP_FOLLOW_UP,
  PTP_SYNC,
  ptpMessage,
  type PtpAnnounce,
} from "../../firmware/src/ptp.ts";
import type { PortKind } from "./slave.ts";
import { nsToPtp } from "./time.ts";

export interface MasterOptions {
  domain: number;
  clockIdentity: string;
  portNumber: number;
  /** log2 of the Sync and Announce intervals, s (linuxptp defaults 0 and 1). */
  logSyncInterval: number;
  logAnnounceInterval: number;
  /** Announce dataset: clockClass 6 for a GPS-locked source, 248 (default) for a free-running one. */
  priority1: number;
  priority2: number;
  clockClass: number;
  clockAccuracy: number;
  offsetScaledLogVariance: number;
  timeSource: number;
  currentUtcOffset: number;
  /** Most Delay_Resp answers per second, all requesters together. */
  maxDelayRespPerS: number;
}

/** timeSource values (IEEE 1588-2008 7.6.2.6). */
export const TIME_SOURCE_GPS = 0x20;
export const TIME_SOURCE_INTERNAL_OSCILLATOR = 0xa0;

export const DEFAULT_MASTER: Omit<MasterOptions, "clockIdentity"> = {
  domain: 0,
  portNumber: 1,
  logSyncInterval: 0,
  logAnnounceInterval: 1,
  priority1: 128,
  priority2: 128,
  clockClass: 248,
  clockAccuracy: 0xfe,
  offsetScaledLogVariance: 0xffff,
  timeSource: TIME_SOURCE_INTERNAL_OSCILLATOR,
  currentUtcOffset: 37,
  maxDelayRespPerS: 64,
};

export class PtpMaster {
  readonly options: MasterOptions;
  readonly counters = {
    received: 0,
    syncs: 0,
    announces: 0,
    delayResponses: 0,
    dropped: {} as Record<string, number>,
  };
  private syncSeq = 0;
  private announceSeq = 0;
  private nextSyncNs: bigint | null = null;
  private nextAnnounceNs: bigint | null = null;
  private windowStartNs: bigint | null = null;
  private answeredInWindow = 0;

  constructor(
    options: Partial<MasterOptions> & { clockIdentity: string },
    private readonly send: (kind: PortKind, bytes: string) => bigint,
  ) {
    this.options = { ...DEFAULT_MASTER, ...options };
  }

  private drop(reason: string): void {
    this.counters.dropped[reason] = (this.counters.dropped[reason] ?? 0) + 1;
  }

  private message(type: number, sequenceId: number, logInterval: number) {
    const m = ptpMessage(type, this.options.domain, this.options.clockIdentity, this.options.portNumber);
    m.sequenceId = sequenceId;
    m.logInterval = logInterval;
    return m;
  }

  private announceDataset(): PtpAnnounce {
    const o = this.options;
    return {
      currentUtcOffset: o.currentUtcOffset,
      priority1: o.priority1,
      clockClass: o.clockClass,
      clockAccuracy: o.clockAccuracy,
      offsetScaledLogVariance: o.offsetScaledLogVariance,
      priority2: o.priority2,
      grandmasterIdentity: o.clockIdentity,
      stepsRemoved: 0,
      timeSource: o.timeSource,
    };
  }

  /** Sends what is due at `nowNs`; returns when the next message is due. */
  tick(nowNs: bigint): bigint {
    const o = this.options;
    const syncEveryNs = BigInt(Math.round(2 ** o.logSyncInterval * 1e9));
    const announceEveryNs = BigInt(Math.round(2 ** o.logAnnounceInterval * 1e9));
    if (this.nextAnnounceNs === null || nowNs >= this.nextAnnounceNs) {
      const announce = this.message(PTP_ANNOUNCE, this.announceSeq, o.logAnnounceInterval);
      this.announceSeq = (this.announceSeq + 1) & 0xffff;
      announce.announce = this.announceDataset();
      const origin = nsToPtp(nowNs);
      announce.seconds = origin.seconds;
      announce.nanoseconds = origin.nanoseconds;
      this.send("general", encodePtp(announce));
      this.counters.announces++;
      this.nextAnnounceNs = nowNs + announceEveryNs;
    }
    if (this.nextSyncNs === null || nowNs >= this.nextSyncNs) {
      const sync = this.message(PTP_SYNC, this.syncSeq, o.logSyncInterval);
      this.syncSeq = (this.syncSeq + 1) & 0xffff;
      sync.flags = PTP_FLAG_TWO_STEP;
      const t1Ns = this.send("event", encodePtp(sync));
      const followUp = this.message(PTP_FOLLOW_UP, sync.sequenceId, o.logSyncInterval);
      const origin = nsToPtp(t1Ns);
      followUp.seconds = origin.seconds;
      followUp.nanoseconds = origin.nanoseconds;
      this.send("general", encodePtp(followUp));
      this.counters.syncs++;
      this.nextSyncNs = nowNs + syncEveryNs;
    }
    return this.nextSyncNs < this.nextAnnounceNs ? this.nextSyncNs : this.nextAnnounceNs;
  }

  /** One datagram (or serial frame) received at `rxNs` on this clock. */
  receive(kind: PortKind, bytes: string, rxNs: bigint): void {
    this.counters.received++;
    const m = decodePtp(bytes, this.options.domain);
    if (typeof m === "string") return this.drop(m);
    if (m.clockIdentity === this.options.clockIdentity) return this.drop("own");
    if (m.type !== PTP_DELAY_REQ)
      return this.drop(m.type === PTP_ANNOUNCE ? "other-master" : "not-for-a-master");
    if (kind !== "event") return this.drop("wrong-port");
    if (this.windowStartNs === null || rxNs - this.windowStartNs >= 1_000_000_000n) {
      this.windowStartNs = rxNs;
      this.answeredInWindow = 0;
    }
    if (this.answeredInWindow >= this.options.maxDelayRespPerS) return this.drop("rate-limited");
    this.answeredInWindow++;
    const response = this.message(PTP_DELAY_RESP, m.sequenceId, this.options.logSyncInterval);
    const received = nsToPtp(rxNs);
    response.seconds = received.seconds;
    response.nanoseconds = received.nanoseconds;
    response.correctionNs = m.correctionNs;
    response.requestingClockIdentity = m.clockIdentity;
    response.requestingPortNumber = m.portNumber;
    this.send("general", encodePtp(response));
    this.counters.delayResponses++;
  }
}
