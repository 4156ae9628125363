import { describe, expect, it } from "vitest";
import { createRng } from "../rng.ts";
import { createGpsReceiver, type GpsReceiverOptions } from "./gps.ts";
import { parseNmea, type ParsedNmea } from "./nmea.ts";
import { MiniScheduler } from "./testing/mini-scheduler.ts";
import { createUtcMapping, type UtcMappingOptions } from "./utc.ts";

const START_MS = Date.UTC(2026, 5, 30, 12, 0, 0);

interface Burst {
  t: number;
  data: string;
  sentences: ParsedNmea[];
}

function harness(
  options: Partial<GpsReceiverOptions> = {},
  utcOptions: UtcMappingOptions = { utcStartMs: START_MS },
  seed: number | string = 1,
) {
  const scheduler = new MiniScheduler();
  const utc = createUtcMapping(utcOptions);
  const rises: number[] = [];
  const falls: number[] = [];
  const bursts: Burst[] = [];
  const truth: { kind: string; t: number; fields: Record<string, number | string | boolean> }[] = [];
  const gps = createGpsReceiver({
    scheduler,
    rng: createRng(seed),
    utc,
    pps: {
      edge(pin, state, t) {
        expect(pin).toBe("PPS");
        expect(t).toBe(scheduler.now);
        (state ? rises : falls).push(t);
      },
    },
    ppsPin: "PPS",
    nmea: {
      deliver(data, t) {
        expect(t).toBe(scheduler.now);
        const lines = data.split("\r\n");
        expect(lines.pop()).toBe("");
        bursts.push({ t, data, sentences: lines.map((l) => parseNmea(l) as ParsedNmea) });
      },
    },
    truth: { record: (kind, t, fields) => truth.push({ kind, t, fields }) },
    ...options,
  });
  gps.start();
  return { scheduler, utc, gps, rises, falls, bursts, truth };
}

function find(b: Burst, type: string): ParsedNmea {
  const s = b.sentences.find((x) => x.type === type);
  if (s === undefined) throw new Error(`no ${type} in burst at ${b.t}`);
  return s;
}

/** UTC epoch seconds named by an RMC (hhmmss + ddmmyy); seconds field 60 kept as 60. */
function rmcUtcS(rmc: ParsedNmea): number {
  const [time, , , , , , , , date] = rmc.fields as [string, ...string[]];
  const hh = Number(time.slice(0, 2));
  const mm = Number(time.slice(2, 4));
  const ss = Number(time.slice(4, 6));
  const d = date as string;
  return (
    Date.UTC(2000 + Number(d.slice(4, 6)), Number(d.slice(2, 4)) - 1, Number(d.slice(0, 2)), hh, mm, 0) /
      1000 +
    ss
  );
}

function rms(xs: number[]): number {
  return Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / xs.length);
}

describe("createGpsReceiver", () => {
  it("emits well-formed sentences in the configured order with valid checksums", () => {
    const h = harness();
    h.scheduler.runUntil(30);
    expect(h.bursts).toHaveLength(30);
    for (const b of h.bursts) {
      for (const s of b.sentences) {
        expect(s).not.toBeNull();
        expect(s.checksumOk).toBe(true);
        expect(s.talker).toBe("GP");
      }
      const order = b.sentences.map((s) => s.type).filter((t, i, a) => a.indexOf(t) === i);
      expect(order).toEqual(["RMC", "GGA", "ZDA", "GSA", "GSV"]);
      expect(find(b, "RMC").fields).toHaveLength(12);
      expect(find(b, "GGA").fields).toHaveLength(14);
      expect(find(b, "ZDA").fields).toHaveLength(6);
      expect(find(b, "GSA").fields).toHaveLength(17);
      for (const gsv of b.sentences.filter((s) => s.type === "GSV"))
        expect((gsv.fields.length - 3) % 4).toBe(0);
    }
    // Shapes as u-blox prints them (../../../shared/data/nmea/ublox-lea-4h.log).
    const lines = (h.bursts[5] as Burst).data.split("\r\n");
    expect(lines[0]).toMatch(
      /^\$GPRMC,\d{6}\.00,A,\d{4}\.\d{5},[NS],\d{5}\.\d{5},[EW],\d+\.\d{3},\d+\.\d{2},\d{6},,,A\*[0-9A-F]{2}$/,
    );
    expect(lines[1]).toMatch(
      /^\$GPGGA,\d{6}\.00,\d{4}\.\d{5},N,\d{5}\.\d{5},E,1,\d{2},\d\.\d{2},\d+\.\d,M,\d+\.\d,M,,\*[0-9A-F]{2}$/,
    );
    expect(lines[2]).toMatch(/^\$GPZDA,\d{6}\.00,\d{2},\d{2},\d{4},00,00\*[0-9A-F]{2}$/);
  });

  it("labels each burst with the UTC second of the edge it follows, 50–500 ms after it", () => {
    const h = harness({ ppsJitterRmsS: 0, sawtoothS: 0 });
    h.scheduler.runUntil(599.9);
    expect(h.rises).toHaveLength(600);
    for (const b of h.bursts) {
      const n = h.utc.secondIndexAt(b.t);
      const edgeS = h.utc.secondStartTrueTimeS(n);
      expect(b.t - edgeS).toBeGreaterThanOrEqual(0.05);
      expect(b.t - edgeS).toBeLessThanOrEqual(0.5);
      expect(h.rises).toContain(edgeS);
      const label = h.utc.labelOfSecond(n);
      expect(rmcUtcS(find(b, "RMC"))).toBe(
        Date.UTC(label.y, label.mo - 1, label.d, label.h, label.mi, label.s) / 1000,
      );
      const zda = find(b, "ZDA").fields;
      expect(zda.slice(1, 4).map(Number)).toEqual([label.d, label.mo, label.y]);
    }
    const delays = h.bursts.map((b) => b.t - h.utc.secondStartTrueTimeS(h.utc.secondIndexAt(b.t)));
    expect(Math.min(...delays)).toBeLessThan(0.07);
    expect(Math.max(...delays)).toBeGreaterThan(0.48);
  });

  it("PPS jitter rms matches the set value (±10 %) over 3000 edges, falling edges ppsWidthS later", () => {
    const h = harness({ ppsJitterRmsS: 20e-9, sawtoothS: 0 });
    h.scheduler.runUntil(2999.9);
    expect(h.rises.length).toBeGreaterThanOrEqual(2999); // the edge at t = 0 is skipped if it comes early
    const offsets = h.rises.map((t) => t - Math.round(t));
    const measured = rms(offsets);
    expect(measured).toBeGreaterThan(18e-9);
    expect(measured).toBeLessThan(22e-9);
    expect(Math.abs(offsets.reduce((a, b) => a + b, 0) / offsets.length)).toBeLessThan(2e-9);
    h.falls.forEach((f, i) => expect(f - (h.rises[i] as number)).toBeCloseTo(0.1, 12));
  });

  it("sawtooth quantisation stays within ±sawtoothS/2 and sweeps the range", () => {
    const q = 1 / 48e6;
    const h = harness({ ppsJitterRmsS: 0, sawtoothS: q });
    h.scheduler.runUntil(2000);
    const offsets = h.rises.map((t) => t - Math.round(t));
    expect(Math.max(...offsets)).toBeLessThanOrEqual(q / 2 + 1e-15);
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(-q / 2 - 1e-15);
    expect(Math.max(...offsets) - Math.min(...offsets)).toBeGreaterThan(0.9 * q);
    // Uniform over the tick: rms = q/√12.
    expect(rms(offsets) / (q / Math.sqrt(12))).toBeGreaterThan(0.9);
    expect(rms(offsets) / (q / Math.sqrt(12))).toBeLessThan(1.1);
    const sawtooths = h.truth.filter((r) => r.kind === "gps.pps").map((r) => r.fields.sawtoothS as number);
    sawtooths.forEach((s, i) => expect(s).toBeCloseTo(offsets[i] as number, 12));
  });

  it("cold start: no PPS and RMC V with empty fields until coldStartS", () => {
    const h = harness({ coldStartS: 5.2 });
    h.scheduler.runUntil(12);
    expect(Math.min(...h.rises)).toBeGreaterThan(5.2);
    for (const b of h.bursts) {
      const rmc = find(b, "RMC");
      if (b.t < 5.2) {
        expect(b.data.startsWith("$GPRMC,,V,,,,,,,,,,N*53\r\n")).toBe(true);
        expect(find(b, "GGA").fields[5]).toBe("0");
        expect(find(b, "ZDA").fields[0]).toBe("");
      } else {
        expect(rmc.fields[1]).toBe("A");
      }
    }
    expect(h.bursts.filter((b) => b.t < 5.2)).toHaveLength(5);
  });

  it("outages: no-pps stops the edges; free-running keeps drifting edges; both send RMC V with time", () => {
    const h = harness({
      ppsJitterRmsS: 0,
      sawtoothS: 0,
      outages: [
        { startS: 10, endS: 20, mode: "no-pps" },
        { startS: 30, endS: 40, mode: "free-running-pps", driftPpm: 2 },
      ],
    });
    h.scheduler.runUntil(50);
    const whole = (t: number) => Math.round(t);
    expect(h.rises.filter((t) => t >= 10 && t < 20)).toHaveLength(0);
    const freeRun = h.rises.filter((t) => t > 29.5 && t < 40);
    expect(freeRun).toHaveLength(10);
    freeRun.forEach((t) => expect(t - whole(t)).toBeCloseTo(2e-6 * (whole(t) - 30), 12));
    expect(h.rises.filter((t) => t >= 40).every((t) => t === whole(t))).toBe(true);
    for (const b of h.bursts) {
      const rmc = find(b, "RMC");
      const inOutage = (b.t >= 10 && b.t < 20) || (b.t >= 30 && b.t < 40);
      expect(rmc.fields[1]).toBe(inOutage ? "V" : "A");
      expect(rmc.fields[0]).toMatch(/^\d{6}\.00$/);
      if (inOutage) expect(find(b, "GGA").fields[5]).toBe("0");
    }
  });

  it("renders a leap second as 23:59:60 or as a repeated 23:59:59", () => {
    const utcOptions = {
      utcStartMs: Date.UTC(2016, 11, 31, 23, 59, 50),
      leapSecondsUtcMs: [Date.UTC(2017, 0, 1)],
    };
    const sixty = harness({}, utcOptions);
    sixty.scheduler.runUntil(16);
    const timesSixty = sixty.bursts.map((b) => find(b, "RMC").fields[0]);
    expect(timesSixty.slice(8, 12)).toEqual(["235958.00", "235959.00", "235960.00", "000000.00"]);
    expect(sixty.bursts.slice(8, 12).map((b) => find(b, "RMC").fields[8])).toEqual([
      "311216",
      "311216",
      "311216",
      "010117",
    ]);
    const repeat = harness({ leapStyle: "repeat" }, utcOptions);
    repeat.scheduler.runUntil(16);
    const timesRepeat = repeat.bursts.map((b) => find(b, "RMC").fields[0]);
    expect(timesRepeat.slice(8, 12)).toEqual(["235958.00", "235959.00", "235959.00", "000000.00"]);
    expect(timesRepeat).not.toContain("235960.00");
    // Truth keeps the real label either way.
    const labels = repeat.truth.filter((r) => r.kind === "gps.burst").map((r) => r.fields.utc);
    expect(labels[10]).toBe("2016-12-31T23:59:60Z");
    expect(sixty.rises.length).toBe(17); // seconds 0–16 inclusive, one of them 23:59:60
  });

  it("labelsNextEdge: the burst after edge n carries the time of edge n + 1", () => {
    const normal = harness({});
    const next = harness({ labelsNextEdge: true });
    normal.scheduler.runUntil(20);
    next.scheduler.runUntil(20);
    for (let i = 0; i < 19; i++) {
      expect(rmcUtcS(find(next.bursts[i] as Burst, "RMC"))).toBe(
        rmcUtcS(find(normal.bursts[i] as Burst, "RMC")) + 1,
      );
    }
    const rec = next.truth.filter((r) => r.kind === "gps.burst");
    expect(rec.every((r) => r.fields.labelIndex === (r.fields.edgeIndex as number) + 1)).toBe(true);
  });

  it("corrupts the configured fraction of checksums", () => {
    const h = harness({ corruptRate: 0.1 });
    h.scheduler.runUntil(1500);
    const all = h.bursts.flatMap((b) => b.sentences);
    const bad = all.filter((s) => !s.checksumOk).length / all.length;
    expect(bad).toBeGreaterThan(0.09);
    expect(bad).toBeLessThan(0.11);
    expect(h.gps.counters.corruptedSentences).toBe(all.filter((s) => !s.checksumOk).length);
  });

  it("is deterministic by seed", () => {
    const run = (seed: number) => {
      const h = harness({ corruptRate: 0.05 }, { utcStartMs: START_MS }, seed);
      h.scheduler.runUntil(50);
      return [h.rises, h.bursts.map((b) => [b.t, b.data])];
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it("records every PPS edge and label as truth", () => {
    const h = harness({});
    h.scheduler.runUntil(10);
    const pps = h.truth.filter((r) => r.kind === "gps.pps");
    expect(pps.map((r) => r.t)).toEqual(h.rises);
    for (const r of pps)
      expect(r.t - (r.fields.utcSecondTrueS as number)).toBeCloseTo(r.fields.offsetS as number, 15);
    const labels = h.truth.filter((r) => r.kind === "gps.burst");
    expect(labels).toHaveLength(h.bursts.length);
    expect(labels[0]?.fields.utc).toBe("2026-06-30T12:00:00Z");
    expect(labels[0]?.fields.time).toBe("120000.00");
  });

  it("supports other talkers, decimals, sentence sets and a mid-second start", () => {
    const h = harness(
      { talker: "GN", timeDecimals: 3, sentences: ["GGA", "RMC", "GLL", "VTG"] },
      { utcStartMs: START_MS + 400 },
    );
    h.scheduler.runUntil(5);
    const b = h.bursts[0] as Burst;
    expect(b.sentences.map((s) => s.talker + s.type)).toEqual(["GNGGA", "GNRMC", "GNGLL", "GNVTG"]);
    expect(find(b, "GGA").fields[0]).toBe("120001.000");
    expect(b.sentences.every((s) => s.checksumOk)).toBe(true);
    expect(h.rises[0]).toBeCloseTo(0.6, 6);
  });

  it("stop() ends edges and bursts; start() resumes", () => {
    const h = harness({});
    h.scheduler.runUntil(5.2);
    h.gps.stop();
    const [r, b] = [h.rises.length, h.bursts.length];
    h.scheduler.runUntil(20.2);
    expect([h.rises.length, h.bursts.length]).toEqual([r, b]);
    h.gps.start();
    h.scheduler.runUntil(29.9);
    expect(h.rises.length).toBe(r + 9);
  });

  it("rejects bad options with reasons", () => {
    const bad = (o: Partial<GpsReceiverOptions>) => () => harness(o);
    expect(bad({ ppsJitterRmsS: -1 })).toThrow(/ppsJitterRmsS must be ≥ 0/);
    expect(bad({ sawtoothS: Number.NaN })).toThrow(/sawtoothS must be a finite/);
    expect(bad({ nmeaDelayS: [0.5, 0.1] })).toThrow(/nmeaDelayS/);
    expect(bad({ nmeaDelayS: [0.1, 1.2] })).toThrow(/nmeaDelayS/);
    expect(bad({ talker: "gps" })).toThrow(/talker/);
    expect(bad({ sentences: ["XYZ" as never] })).toThrow(/unknown sentence type XYZ/);
    expect(bad({ outages: [{ startS: 5, endS: 4, mode: "no-pps" }] })).toThrow(/endS must be after startS/);
    expect(bad({ corruptRate: 2 })).toThrow(/corruptRate/);
    expect(bad({ baud: 0 })).toThrow(/baud must be > 0/);
    expect(bad({ ppsWidthS: 1 })).toThrow(/ppsWidthS/);
    expect(bad({ leapStyle: "smear" as never })).toThrow(/leapStyle/);
  });
});
