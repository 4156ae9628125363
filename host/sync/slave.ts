// The slave side of end-to-end two-step PTP, as a state machine with no I/O of its own: the caller
// hands it received bytes with their receive time, calls tick() now and then, and sends what it asks
// through `send`, which returns the send time. It never adjusts a clock: it estimates this clock's
// offset against the master (docs/sync.md) and the bound of that estimate.
//
// Memory is fixed whatever arrives: one Sync awaiting its Follow_Up per slot of a small ring, one
// Delay_Req awaiting its answer, a bounded table of foreign masters, fixed-length filters.
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
  type PtpMessage,
} from "../../firmware/src/ptp.ts";
import { compareAnnounce } from "./bmc.ts";
import { computeExchange, type Exchange } from "../analysis/ptp-exchange.ts";
import { MinDelayWindow, MovingMedian } from "./filters.ts";
import { DEFAULT_SERVO, PiServo, type ServoOptions, type ServoState } from "./servo.ts";
import { nsToPtp, ptpToNs } from "./time.ts";

export type PortKind = "event" | "general";
export type SlaveState = "listening" | "locking" | "locked" | "holdover";
export type FilterKind = "median" | "min-delay";

export interface SlaveOptions {
  domain: number;
  clockIdentity: string;
  portNumber: number;
  asymmetryNs: number;
  /** Timestamp resolution of both ends together, ns. */
  quantumNs: number;
  filter: FilterKind;
  filterLength: number;
  servo: ServoOptions;
  /** Without an Announce from the master for this long, it is gone (announceReceiptTimeout × interval). */
  announceTimeoutNs: number;
  /** Without a completed exchange for this long, the slave is in holdover. */
  exchangeTimeoutNs: number;
  /** How fast the bound grows between exchanges: the frequency wander allowed, ppb. */
  wanderPpb: number;
  /** At most one Delay_Req per this interval. */
  delayReqIntervalNs: number;
}

export const DEFAULT_SLAVE: Omit<SlaveOptions, "clockIdentity"> = {
  domain: 0,
  portNumber: 1,
  asymmetryNs: 0,
  quantumNs: 1000,
  filter: "median",
  filterLength: 10,
  servo: DEFAULT_SERVO,
  announceTimeoutNs: 6e9,
  exchangeTimeoutNs: 4e9,
  wanderPpb: 1000,
  delayReqIntervalNs: 0.5e9,
};

export interface SlaveExchange {
  master: string;
  sequenceId: number;
  t1Ns: bigint;
  t2Ns: bigint;
  t3Ns: bigint;
  t4Ns: bigint;
  exchange: Exchange;
  /** The offset after the filter, ns. */
  filteredOffsetNs: number;
  servoState: ServoState;
  /** The servo's estimate of the offset at t4's receipt (t4 is on the master's clock; this is at now). */
  estimateNs: number;
  /** Half-width of the interval around the estimate that holds the true offset, ns. */
  boundNs: number;
  state: SlaveState;
}

export type SlaveEvent =
  | { kind: "exchange"; exchange: SlaveExchange }
  | { kind: "state"; from: SlaveState; to: SlaveState; atNs: bigint }
  | { kind: "master"; master: string; announce: PtpAnnounce };

interface ForeignMaster {
  port: string;
  announce: PtpAnnounce;
  lastNs: bigint;
}

interface PendingSync {
  sequenceId: number;
  t2Ns: bigint;
  correctionNs: number;
}

/** A Follow_Up that overtook its Sync (they travel on different ports). */
interface PendingFollowUp {
  sequenceId: number;
  t1Ns: bigint;
  correctionNs: number;
}

const PENDING_SYNCS = 4;
const MAX_FOREIGN = 8;

export class PtpSlave {
  readonly options: SlaveOptions;
  state: SlaveState = "listening";
  /** Selected master's port identity "clockIdentity-port", or null. */
  master: string | null = null;
  readonly counters = {
    received: 0,
    exchanges: 0,
    /** Dropped, by reason (decode failures and protocol mismatches). */
    dropped: {} as Record<string, number>,
  };
  private foreign: ForeignMaster[] = [];
  private pendingSyncs: (PendingSync | null)[] = new Array<PendingSync | null>(PENDING_SYNCS).fill(null);
  private pendingSyncAt = 0;
  private pendingFollowUps: (PendingFollowUp | null)[] = new Array<PendingFollowUp | null>(
    PENDING_SYNCS,
  ).fill(null);
  private pendingFollowUpAt = 0;
  private delayReq: {
    sequenceId: number;
    t1Ns: bigint;
    t2Ns: bigint;
    t3Ns: bigint;
    syncCorrectionNs: number;
    syncSeq: number;
  } | null = null;
  private nextDelayReqSeq = 0;
  private lastDelayReqNs: bigint | null = null;
  private lastExchangeNs: bigint | null = null;
  private lastBoundNs = Infinity;
  private readonly median: MovingMedian;
  private readonly minDelay: MinDelayWindow<{
    delayNs: number;
    offsetNs: number;
    uncertaintyNs: number;
    atNs: number;
  }>;
  readonly servo: PiServo;
  private originNs: bigint | null = null;
  private lastFedNs: number | null = null;

  constructor(
    options: Partial<SlaveOptions> & { clockIdentity: string },
    private readonly send: (kind: PortKind, bytes: string) => bigint,
    private readonly emit: (event: SlaveEvent) => void = () => undefined,
  ) {
    this.options = { ...DEFAULT_SLAVE, ...options };
    this.median = new MovingMedian(this.options.filterLength);
    this.minDelay = new MinDelayWindow(this.options.filterLength);
    this.servo = new PiServo(this.options.servo);
  }

  private drop(reason: string): void {
    this.counters.dropped[reason] = (this.counters.dropped[reason] ?? 0) + 1;
  }

  private setState(to: SlaveState, atNs: bigint): void {
    if (to === this.state) return;
    const from = this.state;
    this.state = to;
    this.emit({ kind: "state", from, to, atNs });
  }

  /** This clock's time as a double the servo can work with (ns since the first message seen). */
  private local(ns: bigint): number {
    if (this.originNs === null) this.originNs = ns;
    return Number(ns - this.originNs);
  }

  /** One datagram (or serial frame) as bytes, received at `rxNs` on this clock. */
  receive(kind: PortKind, bytes: string, rxNs: bigint): void {
    this.counters.received++;
    const m = decodePtp(bytes, this.options.domain);
    if (typeof m === "string") return this.drop(m);
    const source = `${m.clockIdentity}-${m.portNumber}`;
    if (m.clockIdentity === this.options.clockIdentity) return this.drop("own");
    switch (m.type) {
      case PTP_ANNOUNCE:
        return this.onAnnounce(m, source, rxNs);
      case PTP_SYNC:
        if (kind !== "event") return this.drop("wrong-port");
        return this.onSync(m, source, rxNs);
      case PTP_FOLLOW_UP:
        return this.onFollowUp(m, source, rxNs);
      case PTP_DELAY_RESP:
        return this.onDelayResp(m, source, rxNs);
      case PTP_DELAY_REQ:
        return this.drop("not-for-a-slave");
      default:
        return this.drop("unsupported-type");
    }
  }

  private onAnnounce(m: PtpMessage, source: string, rxNs: bigint): void {
    const announce = m.announce!;
    if (announce.stepsRemoved >= 255) return this.drop("too-many-steps");
    let entry = this.foreign.find((f) => f.port === source);
    if (!entry) {
      if (this.foreign.length >= MAX_FOREIGN) {
        // Forget the one heard from least recently; the selected master is heard regularly.
        this.foreign.sort((a, b) => (a.lastNs < b.lastNs ? -1 : 1));
        this.foreign.shift();
      }
      entry = { port: source, announce, lastNs: rxNs };
      this.foreign.push(entry);
    }
    entry.announce = announce;
    entry.lastNs = rxNs;
    this.selectMaster(rxNs);
  }

  private selectMaster(nowNs: bigint): void {
    const alive = this.foreign.filter((f) => Number(nowNs - f.lastNs) <= this.options.announceTimeoutNs);
    let best: ForeignMaster | null = null;
    for (const f of alive) if (!best || compareAnnounce(f.announce, best.announce) < 0) best = f;
    if (!best || best.port === this.master) return;
    this.master = best.port;
    this.servo.reset();
    this.median.reset();
    this.minDelay.reset();
    this.lastFedNs = null;
    this.pendingSyncs.fill(null);
    this.pendingFollowUps.fill(null);
    this.delayReq = null;
    this.lastExchangeNs = null;
    this.lastBoundNs = Infinity;
    this.setState("locking", nowNs);
    this.emit({ kind: "master", master: best.port, announce: best.announce });
  }

  private onSync(m: PtpMessage, source: string, rxNs: bigint): void {
    if (source !== this.master) return this.drop("not-our-master");
    if ((m.flags & PTP_FLAG_TWO_STEP) === 0) {
      this.sendDelayReq(ptpToNs(m.seconds, m.nanoseconds), rxNs, m.correctionNs, m.sequenceId);
      return;
    }
    const f = this.pendingFollowUps.findIndex((p) => p !== null && p.sequenceId === m.sequenceId);
    if (f >= 0) {
      const followUp = this.pendingFollowUps[f]!;
      this.pendingFollowUps[f] = null;
      this.sendDelayReq(followUp.t1Ns, rxNs, m.correctionNs + followUp.correctionNs, m.sequenceId);
      return;
    }
    this.pendingSyncs[this.pendingSyncAt] = {
      sequenceId: m.sequenceId,
      t2Ns: rxNs,
      correctionNs: m.correctionNs,
    };
    this.pendingSyncAt = (this.pendingSyncAt + 1) % PENDING_SYNCS;
  }

  private onFollowUp(m: PtpMessage, source: string, _rxNs: bigint): void {
    if (source !== this.master) return this.drop("not-our-master");
    const t1Ns = ptpToNs(m.seconds, m.nanoseconds);
    const i = this.pendingSyncs.findIndex((p) => p !== null && p.sequenceId === m.sequenceId);
    if (i < 0) {
      // Kept until its Sync comes; a slot it overwrites held a Follow_Up whose Sync was lost.
      if (this.pendingFollowUps[this.pendingFollowUpAt] !== null) this.drop("follow-up-without-sync");
      this.pendingFollowUps[this.pendingFollowUpAt] = {
        sequenceId: m.sequenceId,
        t1Ns,
        correctionNs: m.correctionNs,
      };
      this.pendingFollowUpAt = (this.pendingFollowUpAt + 1) % PENDING_SYNCS;
      return;
    }
    const sync = this.pendingSyncs[i]!;
    this.pendingSyncs[i] = null;
    this.sendDelayReq(t1Ns, sync.t2Ns, sync.correctionNs + m.correctionNs, m.sequenceId);
  }

  private sendDelayReq(t1Ns: bigint, t2Ns: bigint, syncCorrectionNs: number, syncSeq: number): void {
    if (this.lastDelayReqNs !== null && Number(t2Ns - this.lastDelayReqNs) < this.options.delayReqIntervalNs)
      return;
    const sequenceId = this.nextDelayReqSeq;
    this.nextDelayReqSeq = (sequenceId + 1) & 0xffff;
    const request = ptpMessage(
      PTP_DELAY_REQ,
      this.options.domain,
      this.options.clockIdentity,
      this.options.portNumber,
    );
    request.sequenceId = sequenceId;
    const origin = nsToPtp(t2Ns);
    request.seconds = origin.seconds;
    request.nanoseconds = origin.nanoseconds;
    const t3Ns = this.send("event", encodePtp(request));
    this.lastDelayReqNs = t3Ns;
    this.delayReq = { sequenceId, t1Ns, t2Ns, t3Ns, syncCorrectionNs, syncSeq };
  }

  private onDelayResp(m: PtpMessage, source: string, rxNs: bigint): void {
    if (source !== this.master) return this.drop("not-our-master");
    if (
      m.requestingClockIdentity !== this.options.clockIdentity ||
      m.requestingPortNumber !== this.options.portNumber
    )
      return this.drop("not-for-us");
    const pending = this.delayReq;
    if (!pending || pending.sequenceId !== m.sequenceId) return this.drop("delay-resp-without-request");
    this.delayReq = null;
    const t4Ns = ptpToNs(m.seconds, m.nanoseconds);
    const exchange = computeExchange(
      {
        t1Ns: pending.t1Ns,
        t2Ns: pending.t2Ns,
        t3Ns: pending.t3Ns,
        t4Ns,
        syncCorrectionNs: pending.syncCorrectionNs,
        delayCorrectionNs: m.correctionNs,
      },
      { asymmetryNs: this.options.asymmetryNs, quantumNs: this.options.quantumNs },
    );
    // Timestamps good to the quantum may make a short round trip look slightly negative; more is nonsense.
    if (!(exchange.roundTripNs >= -this.options.quantumNs)) return this.drop("negative-round-trip");
    this.completeExchange(pending, t4Ns, exchange, rxNs);
  }

  private completeExchange(
    pending: { syncSeq: number; t1Ns: bigint; t2Ns: bigint; t3Ns: bigint },
    t4Ns: bigint,
    exchange: Exchange,
    rxNs: bigint,
  ): void {
    const at = this.local(pending.t2Ns);
    let filteredOffsetNs: number;
    let servo: { state: ServoState };
    if (this.options.filter === "median") {
      const delay = this.median.push(exchange.meanPathDelayNs);
      filteredOffsetNs = exchange.masterToSlaveNs - delay - this.options.asymmetryNs;
      // Until the window is full its median is a few samples' say: the servo waits.
      servo =
        this.median.size >= this.options.filterLength ? this.servo.sample(filteredOffsetNs, at) : this.servo;
    } else {
      // As NTP's clock filter: the least-delayed exchange of the window, used only if it is newer than
      // the one used last, at the time it was taken (an older one would feed the servo stale news).
      const best = this.minDelay.push({
        delayNs: exchange.meanPathDelayNs,
        offsetNs: exchange.offsetNs,
        uncertaintyNs: exchange.uncertaintyNs,
        atNs: at,
      });
      filteredOffsetNs = best.offsetNs;
      const full = this.minDelay.size >= this.options.filterLength;
      if (full && (this.lastFedNs === null || best.atNs > this.lastFedNs)) {
        this.lastFedNs = best.atNs;
        servo = this.servo.sample(best.offsetNs, best.atNs);
      } else servo = this.servo;
    }
    const estimateNs = this.servo.predict(at);
    // This exchange alone proves the true offset lies within its uncertainty of its own offset (both
    // one-way delays are ≥ 0); the filters make the estimate better, not this proof.
    const boundNs = Math.abs(estimateNs - exchange.offsetNs) + exchange.uncertaintyNs;
    this.lastExchangeNs = rxNs;
    this.lastBoundNs = boundNs;
    this.counters.exchanges++;
    this.setState(servo.state === "locked" ? "locked" : "locking", rxNs);
    this.emit({
      kind: "exchange",
      exchange: {
        master: this.master!,
        sequenceId: pending.syncSeq,
        t1Ns: pending.t1Ns,
        t2Ns: pending.t2Ns,
        t3Ns: pending.t3Ns,
        t4Ns,
        exchange,
        filteredOffsetNs,
        servoState: servo.state,
        estimateNs,
        boundNs,
        state: this.state,
      },
    });
  }

  /** Checks the master is still there; call at least once per second. */
  tick(nowNs: bigint): void {
    if (this.master === null) return;
    const announced = this.foreign.find((f) => f.port === this.master);
    const announceLost = !announced || Number(nowNs - announced.lastNs) > this.options.announceTimeoutNs;
    const exchangesLost =
      this.lastExchangeNs !== null && Number(nowNs - this.lastExchangeNs) > this.options.exchangeTimeoutNs;
    if (announceLost || (exchangesLost && this.state === "locked")) {
      if (this.servo.state === "locked" || this.state === "holdover") this.setState("holdover", nowNs);
      else this.setState("listening", nowNs);
      if (announceLost) {
        this.foreign = this.foreign.filter((f) => f.port !== this.master);
        this.master = null;
        this.selectMaster(nowNs);
      }
    }
  }

  /** Foreign masters remembered (at most 8, however many announce). */
  get foreignMasterCount(): number {
    return this.foreign.length;
  }

  /** This clock's estimated offset against the master at `nowNs`, and the bound on it (ns). */
  estimate(nowNs: bigint): { offsetNs: number; boundNs: number; state: SlaveState } | null {
    if (this.lastExchangeNs === null || this.servo.state === "unlocked") return null;
    const sinceNs = Number(nowNs - this.lastExchangeNs);
    return {
      offsetNs: this.servo.predict(this.local(nowNs)),
      boundNs: this.lastBoundNs + this.options.wanderPpb * 1e-9 * Math.max(0, sinceNs),
      state: this.state,
    };
  }
}
