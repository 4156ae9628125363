// A GNSS timing receiver: a PPS pin and an NMEA burst per UTC second.
//
// For UTC second n (beginning at true time e_n) the receiver
//  - raises PPS at e_n + ppsOffsetS + sawtooth_n + N(0, ppsJitterRmsS²) (+ free-running drift during
//    a "free-running-pps" outage) and drops it ppsWidthS later; no PPS during cold start or a
//    "no-pps" outage;
//  - starts an NMEA burst at e_n + U(nmeaDelayS), labelled with second n (or n + 1 when
//    labelsNextEdge), delivered whole in one ByteSink.deliver call (the serial link paces it).
// Sawtooth: the PPS leaves on a tick of the receiver's own clock (period sawtoothS, e.g. 1/48 MHz);
// that clock runs sawtoothDriftPpm off, so the tick grid slides by drift·1 s per second against UTC
// and the quantisation error walks through [−sawtoothS/2, +sawtoothS/2) as a sawtooth.
// Validity: labels composed before startedAt + coldStartS have empty time fields (RMC V); during an
// outage the time is still sent (the receiver keeps counting) but RMC is V and GGA quality 0.

import type { ByteSink, PinInput, Rng, Scheduler, TruthRecorder } from "../contracts.ts";
import { createNmeaBurstWriter, type NmeaBurstOptions, type ReceiverState } from "./nmea-burst.ts";
import { pad2, type UtcLabel, type UtcMapping } from "./utc.ts";
import { paramChecks } from "./params.ts";

const { fail, finite, nonNegative } = paramChecks("gps");

export type { GpsPosition, NmeaSentenceType } from "./nmea-burst.ts";

export interface GpsOutage {
  startS: number;
  endS: number;
  mode: "no-pps" | "free-running-pps";
  /** Free-running PPS frequency error, ppm (default: the receiver's freeRunDriftPpm). */
  driftPpm?: number;
}

/** Sentence set, talker, formats, leap style, corruption and position come from NmeaBurstOptions. */
export interface GpsReceiverOptions extends Omit<NmeaBurstOptions, "rng"> {
  scheduler: Scheduler;
  rng: Rng;
  utc: UtcMapping;
  pps: PinInput;
  ppsPin: string;
  /** The receiver's TX line. */
  nmea: ByteSink;
  /** Only used to report each burst's airtime in the truth record (the serial link paces bytes). */
  baud?: number;
  ppsJitterRmsS?: number;
  /** Peak-to-peak PPS quantisation (tick period), seconds; 0 disables. Default 1/48 MHz. */
  sawtoothS?: number;
  /** Receiver clock offset driving the sawtooth pattern, ppm. Default: uniform in ±2.5 ppm. */
  sawtoothDriftPpm?: number;
  /** Constant PPS bias (cable, antenna, firmware), seconds. */
  ppsOffsetS?: number;
  ppsWidthS?: number;
  /** First byte of the burst after the edge it follows, [min, max] seconds. */
  nmeaDelayS?: readonly [number, number];
  labelsNextEdge?: boolean;
  /** No PPS and no time until this long after start(). */
  coldStartS?: number;
  outages?: readonly GpsOutage[];
  /** Default free-running PPS frequency error during "free-running-pps" outages, ppm. */
  freeRunDriftPpm?: number;
  truth?: TruthRecorder;
}

export interface GpsCounters {
  ppsEdges: number;
  bursts: number;
  sentences: number;
  corruptedSentences: number;
}

export interface GpsReceiver {
  start(): void;
  stop(): void;
  readonly running: boolean;
  readonly counters: Readonly<GpsCounters>;
}

function isoLabel(l: UtcLabel): string {
  return (
    l.y + "-" + pad2(l.mo) + "-" + pad2(l.d) + "T" + pad2(l.h) + ":" + pad2(l.mi) + ":" + pad2(l.s) + "Z"
  );
}

export function createGpsReceiver(options: GpsReceiverOptions): GpsReceiver {
  const { scheduler, utc, pps, nmea } = options;
  if (typeof scheduler?.at !== "function") fail("scheduler is required");
  if (typeof utc?.labelOfSecond !== "function") fail("utc mapping is required");
  if (typeof pps?.edge !== "function") fail("pps input is required");
  if (typeof options.ppsPin !== "string" || options.ppsPin === "") fail("ppsPin must name a pin");
  if (typeof nmea?.deliver !== "function") fail("nmea sink is required");
  const ppsPin = options.ppsPin;
  const baud = finite("baud", options.baud ?? 9600);
  if (baud <= 0) fail(`baud must be > 0, got ${baud}`);
  const jitterRmsS = nonNegative("ppsJitterRmsS", options.ppsJitterRmsS ?? 20e-9);
  if (jitterRmsS > 1e-3) fail(`ppsJitterRmsS ${jitterRmsS} s is implausible (> 1 ms)`);
  const sawtoothS = nonNegative("sawtoothS", options.sawtoothS ?? 1 / 48e6);
  if (sawtoothS > 1e-3) fail(`sawtoothS ${sawtoothS} s is implausible (> 1 ms)`);
  const ppsOffsetS = finite("ppsOffsetS", options.ppsOffsetS ?? 0);
  if (Math.abs(ppsOffsetS) > 0.1) fail(`ppsOffsetS ${ppsOffsetS} s is implausible (|offset| > 0.1 s)`);
  const ppsWidthS = finite("ppsWidthS", options.ppsWidthS ?? 0.1);
  if (!(ppsWidthS > 0 && ppsWidthS < 0.9)) fail(`ppsWidthS must be in (0, 0.9), got ${ppsWidthS}`);
  const delayRange = options.nmeaDelayS ?? [0.05, 0.5];
  const delayMinS = nonNegative("nmeaDelayS[0]", delayRange[0]);
  const delayMaxS = nonNegative("nmeaDelayS[1]", delayRange[1]);
  if (delayMinS > delayMaxS || delayMaxS >= 0.95)
    fail(`nmeaDelayS must satisfy 0 ≤ min ≤ max < 0.95, got [${delayMinS}, ${delayMaxS}]`);
  const labelsNextEdge = options.labelsNextEdge === true;
  const coldStartS = nonNegative("coldStartS", options.coldStartS ?? 0);
  const freeRunDriftPpm = finite("freeRunDriftPpm", options.freeRunDriftPpm ?? 0.05);
  const outages = (options.outages ?? []).map((o, i) => {
    const startS = finite(`outages[${i}].startS`, o.startS);
    const endS = finite(`outages[${i}].endS`, o.endS);
    if (endS <= startS) fail(`outages[${i}]: endS must be after startS`);
    if (o.mode !== "no-pps" && o.mode !== "free-running-pps")
      fail(`outages[${i}].mode must be "no-pps" or "free-running-pps"`);
    const driftPpm = finite(`outages[${i}].driftPpm`, o.driftPpm ?? freeRunDriftPpm);
    if (Math.abs(driftPpm) > 100) fail(`outages[${i}].driftPpm ${driftPpm} is implausible (> 100 ppm)`);
    return { startS, endS, freeRunning: o.mode === "free-running-pps", driftPpm };
  });
  const truth = options.truth;
  const rng = options.rng;
  const writer = createNmeaBurstWriter({ ...options, rng });
  const jitterRng = rng.fork("gps-pps-jitter");
  const delayRng = rng.fork("gps-nmea-delay");
  const sawRng = rng.fork("gps-sawtooth");
  const sawDriftS =
    finite("sawtoothDriftPpm", options.sawtoothDriftPpm ?? 2.5 * (2 * sawRng.uniform() - 1)) * 1e-6;
  const sawPhase0S = sawRng.uniform() * sawtoothS;

  const counters: GpsCounters = { ppsEdges: 0, bursts: 0, sentences: 0, corruptedSentences: 0 };
  // Every event checks the epoch, so stop() takes effect even for events it could not cancel; the
  // handles of the last few events are kept only to tidy the scheduler's queue.
  const recentHandles: number[] = [];
  const recentTimes: number[] = [];
  let epoch = 0;
  let running = false;
  let validFromS = 0;

  let recentNext = 0;
  const at = (timeS: number, action: () => void): void => {
    const t = Math.max(timeS, scheduler.now);
    recentHandles[recentNext] = scheduler.at(t, action);
    recentTimes[recentNext] = t;
    recentNext = (recentNext + 1) & 7;
  };

  const outageAt = (t: number): (typeof outages)[number] | undefined => {
    for (const o of outages) if (t >= o.startS && t < o.endS) return o;
    return undefined;
  };

  const sawtoothAt = (n: number): number => {
    if (sawtoothS === 0) return 0;
    const phase = (sawPhase0S + n * sawDriftS) % sawtoothS;
    return (phase < 0 ? phase + sawtoothS : phase) - sawtoothS / 2;
  };

  const planSecond = (n: number, planEpoch: number): void => {
    if (planEpoch !== epoch) return;
    const eS = utc.secondStartTrueTimeS(n);
    const outage = outageAt(eS);
    if (eS >= validFromS && (outage === undefined || outage.freeRunning)) {
      const sawS = sawtoothAt(n);
      let offsetS = ppsOffsetS + sawS + jitterRmsS * jitterRng.normal();
      if (outage !== undefined) offsetS += outage.driftPpm * 1e-6 * (eS - outage.startS);
      const edgeS = eS + offsetS;
      const freeRunning = outage !== undefined;
      // Only right after start() can an early edge fall before now; it is skipped, not moved.
      if (edgeS >= scheduler.now) {
        at(edgeS, () => {
          if (planEpoch !== epoch) return;
          counters.ppsEdges++;
          pps.edge(ppsPin, true, edgeS);
          truth?.record("gps.pps", edgeS, {
            secondIndex: n,
            utcSecondTrueS: eS,
            offsetS: edgeS - eS,
            sawtoothS: sawS,
            freeRunning,
            utc: isoLabel(utc.labelOfSecond(n)),
          });
        });
        at(edgeS + ppsWidthS, () => {
          if (planEpoch === epoch) pps.edge(ppsPin, false, edgeS + ppsWidthS);
        });
      }
    }
    const burstS = eS + delayMinS + (delayMaxS - delayMinS) * delayRng.uniform();
    at(burstS, () => {
      if (planEpoch === epoch) emitBurst(n, labelsNextEdge ? n + 1 : n, burstS);
    });
    at(eS + 0.5, () => planSecond(n + 1, planEpoch));
  };

  const emitBurst = (edgeIndex: number, labelIndex: number, burstS: number): void => {
    const state: ReceiverState =
      burstS < validFromS ? "cold" : outageAt(burstS) === undefined ? "fix" : "no-fix";
    const label = utc.labelOfSecond(labelIndex);
    const burst = writer.write(label, state, burstS);
    counters.bursts++;
    counters.sentences += burst.sentences;
    counters.corruptedSentences += burst.corrupted;
    nmea.deliver(burst.text, burstS);
    truth?.record("gps.burst", burstS, {
      edgeIndex,
      labelIndex,
      labelTrueS: utc.secondStartTrueTimeS(labelIndex),
      utc: isoLabel(label),
      time: burst.time,
      valid: state === "fix",
      bytes: burst.text.length,
      airtimeS: (burst.text.length * 10) / baud,
      corrupted: burst.corrupted,
    });
  };

  return {
    get running() {
      return running;
    },
    counters,
    start() {
      if (running) return;
      running = true;
      const nowS = scheduler.now;
      validFromS = nowS + coldStartS;
      let n = utc.secondIndexAt(nowS);
      if (utc.secondStartTrueTimeS(n) < nowS) n++;
      const startEpoch = ++epoch;
      at(utc.secondStartTrueTimeS(n) - 0.5, () => planSecond(n, startEpoch));
    },
    stop() {
      if (!running) return;
      epoch++;
      running = false;
      for (let i = 0; i < recentHandles.length; i++) {
        if ((recentTimes[i] as number) > scheduler.now) scheduler.cancel(recentHandles[i] as number);
      }
    },
  };
}
