// Samples of the host's system clock against a time node on a serial (or in-process) link: once a
// second the host asks `time <id>`; the board answers with the local µs at which the line completed,
// and its latest UTC reading (U) and frequency (R) turn that into UTC. The host stamps the question
// and the answer on its monotonic clock, so the sample is taken at the midpoint, good to half the
// round trip (plus the link's asymmetry, which chrony's `offset` option calibrates).
import {
  CMD_ACK,
  CMD_TIME,
  EVT_SERVO_STATE,
  REC_CLOCK,
  REC_EVENT,
  REC_SERVO,
  REC_TIME,
  type DecodedRecord,
} from "../../firmware/src/protocol.ts";
import {
  createGateWatch,
  feedVerdict,
  type GateLimits,
  type GateVerdict,
  type NodeHealth,
} from "./feed-gate.ts";
import { leapFlagAt, type LeapAnnouncement } from "./leap-flag.ts";
import type { LeapFlag } from "./sock-sample.ts";

export interface ExchangeClock {
  monoNs(): bigint;
  /** The system time (ns since the POSIX epoch) at a monotonic instant. */
  systemNsAt(monoNs: bigint): bigint;
}

export interface HostSample {
  /** System time of the measurement, ns since the epoch. */
  systemNs: bigint;
  /** True time − system time, ns. */
  offsetNs: number;
  /** Round trip of the exchange, ns: the sample is good to half of it plus the node's own bound. */
  delayNs: number;
  /** The node's 95 % bound at the reading, ns. */
  nodeBoundNs: number;
  leap: LeapFlag;
}

export interface BoardExchangeOptions {
  send(line: string): void;
  clock: ExchangeClock;
  limits: GateLimits;
  leap: () => LeapAnnouncement | null;
  onSample(sample: HostSample): void;
  /** A change of whether the node may feed chronyd. */
  onVerdict(verdict: GateVerdict): void;
  queryEveryNs?: bigint;
  /** Exchanges with a longer round trip are dropped (a busy USB bus, a queue on the board). */
  maxDelayNs?: number;
}

export interface ExchangeStats {
  queries: number;
  replies: number;
  /** Questions never answered within two query intervals. */
  unanswered: number;
  /** Answers dropped for a round trip above the limit. */
  slow: number;
  /** Answers dropped because the node was not fit to feed. */
  withheld: number;
  samples: number;
}

interface Reading {
  localUs: number;
  utcNs: bigint;
  second60: boolean;
}

const TRUE_NS_PER_LOCAL_US = 1000;
/** A reading older than this (board µs) is too old to carry UTC across. */
const MAX_READING_AGE_US = 30_000_000;

export class BoardExchange {
  readonly stats: ExchangeStats = { queries: 0, replies: 0, unanswered: 0, slow: 0, withheld: 0, samples: 0 };
  private readonly queryEveryNs: bigint;
  private readonly maxDelayNs: number;
  private readonly gate = createGateWatch();
  private health: NodeHealth = { servoState: null, bound95Ns: null, lastHeardMonoNs: null };
  private freqPpt: number | null = null;
  private reading: Reading | null = null;
  private bootId: string | null = null;
  private highestSeq = -1;
  private ackedSeq = -1;
  private nextQuery = 0;
  private lastQueryNs: bigint | null = null;
  private readonly pending = new Map<string, bigint>();

  constructor(private readonly options: BoardExchangeOptions) {
    this.queryEveryNs = options.queryEveryNs ?? 1_000_000_000n;
    this.maxDelayNs = options.maxDelayNs ?? 50_000_000;
  }

  /** A record from the board, received at monotonic `arrivalNs`. */
  push(record: DecodedRecord, arrivalNs: bigint): void {
    if (record.bootId !== this.bootId) this.newBoot(record.bootId);
    if (record.seq > this.highestSeq) this.highestSeq = record.seq;
    const f = record.fields;
    if (record.type === REC_SERVO) {
      const state = Number(f[2]);
      const freqPpt = Number(f[3]);
      if (Number.isInteger(state) && Number.isFinite(freqPpt)) {
        this.health.servoState = state;
        this.health.lastHeardMonoNs = arrivalNs;
        this.freqPpt = freqPpt;
      }
    } else if (record.type === REC_CLOCK) this.takeReading(f, arrivalNs);
    else if (record.type === REC_EVENT && f[1] === EVT_SERVO_STATE) {
      const state = Number(f[2]);
      if (Number.isInteger(state)) this.health.servoState = state;
    } else if (record.type === REC_TIME) this.answer(f, arrivalNs);
  }

  /** Periodic: asks the time when due, acknowledges what arrived, tells gate changes. */
  tick(): void {
    const now = this.options.clock.monoNs();
    this.verdict(now);
    for (const [id, sentNs] of this.pending)
      if (now - sentNs > 2n * this.queryEveryNs) {
        this.pending.delete(id);
        this.stats.unanswered++;
      }
    if (this.highestSeq > this.ackedSeq) {
      this.options.send(`${CMD_ACK} ${this.highestSeq}\n`);
      this.ackedSeq = this.highestSeq;
    }
    if (this.lastQueryNs === null || now - this.lastQueryNs >= this.queryEveryNs) {
      const id = `c${this.nextQuery++}`;
      this.lastQueryNs = now;
      this.stats.queries++;
      this.options.send(`${CMD_TIME} ${id}\n`);
      // Stamped after the write is handed over: the line leaves no earlier than this.
      this.pending.set(id, this.options.clock.monoNs());
    }
  }

  private newBoot(bootId: string): void {
    this.bootId = bootId;
    this.health = { servoState: null, bound95Ns: null, lastHeardMonoNs: null };
    this.freqPpt = null;
    this.reading = null;
    this.highestSeq = -1;
    this.ackedSeq = -1;
  }

  private verdict(now: bigint): GateVerdict {
    const verdict = feedVerdict(this.health, this.options.limits, now);
    const change = this.gate.change(verdict);
    if (change) this.options.onVerdict(change);
    return verdict;
  }

  private takeReading(f: string[], arrivalNs: bigint): void {
    const n = f.slice(0, 10).map(Number);
    if (n.length < 10 || n.some((v) => !Number.isSafeInteger(v))) return;
    const [localUs, utcS, utcNs, second60, e95, l95, , , state] = n as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    this.reading = {
      localUs,
      utcNs: BigInt(utcS) * 1_000_000_000n + BigInt(utcNs),
      second60: second60 === 1,
    };
    this.health.servoState = state;
    this.health.bound95Ns = Math.max(-e95, l95);
    this.health.lastHeardMonoNs = arrivalNs;
  }

  private answer(f: string[], arrivalNs: bigint): void {
    const id = f[1] ?? "";
    const sentNs = this.pending.get(id);
    if (sentNs === undefined) return;
    this.pending.delete(id);
    this.stats.replies++;
    const localUs = Number(f[0]);
    const delayNs = Number(arrivalNs - sentNs);
    if (delayNs > this.maxDelayNs) {
      this.stats.slow++;
      return;
    }
    const verdict = this.verdict(arrivalNs);
    const reading = this.reading;
    if (
      !verdict.feed ||
      reading === null ||
      reading.second60 ||
      this.freqPpt === null ||
      !Number.isSafeInteger(localUs)
    ) {
      this.stats.withheld++;
      return;
    }
    const sinceUs = localUs - reading.localUs;
    if (sinceUs < -MAX_READING_AGE_US || sinceUs > MAX_READING_AGE_US) {
      this.stats.withheld++;
      return;
    }
    // Local µs run fast by freqPpt·1e-12: true elapsed = local elapsed / (1 + y).
    const trueSinceNs = (sinceUs * TRUE_NS_PER_LOCAL_US) / (1 + this.freqPpt * 1e-12);
    const utcNs = reading.utcNs + BigInt(Math.round(trueSinceNs));
    const midNs = sentNs + (arrivalNs - sentNs) / 2n;
    const systemNs = this.options.clock.systemNsAt(midNs);
    this.stats.samples++;
    this.options.onSample({
      systemNs,
      offsetNs: Number(utcNs - systemNs),
      delayNs,
      nodeBoundNs: this.health.bound95Ns ?? 0,
      leap: leapFlagAt(Number(utcNs / 1_000_000_000n), this.options.leap()),
    });
  }
}
