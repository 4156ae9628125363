import { describe, expect, it } from "vitest";
import { TodTracker, type TodStep } from "../host-clock/tod-tracker.ts";
import { USER_SPACE_LATENCY } from "./fake-gpio.ts";
import { HostPps, type HostPpsEdge } from "./host-pps.ts";
import { createNmeaSeconds } from "./nmea-seconds.ts";
import { createVirtualHost } from "./virtual-host.ts";

function run(options: { nmea: boolean; untilS: number; stepAtS?: number; stepS?: number }) {
  const host = createVirtualHost({ seed: 7, hostPpm: 12, initialTodOffsetS: 0.0021 });
  if (options.stepAtS !== undefined) host.clock.step({ atS: options.stepAtS, stepS: options.stepS! });
  const steps: TodStep[] = [];
  const tracker = new TodTracker(host.reader, { onStep: (s) => steps.push(s) });
  const edges: (HostPpsEdge & { atS: number; truthNs: number })[] = [];
  const pps = new HostPps({
    line: host.gpio,
    reader: host.reader,
    tracker,
    nmeaLabels: options.nmea,
    onEdge: (e) => {
      const atS = host.scheduler.now;
      const delivery = host.gpio.deliveries.at(-1)!;
      // Truth: the system clock's offset at the pulse itself (the callback ran latencyS later).
      edges.push({ ...e, atS, truthNs: host.trueOffsetNsAt(delivery.trueTimeS - delivery.latencyS) });
    },
  });
  const nmea = createNmeaSeconds((second) => pps.label(second, host.reader.monoNs()));
  if (options.nmea) host.onNmea((data) => nmea.push(data));
  pps.start();
  // Ticks at 100 ms with a little timer jitter, as setInterval gives: readings fall at all phases
  // of the millisecond, which is what narrows the time-of-day window.
  const jitter = host.rng.fork("ticks");
  for (let t = 0.1; t <= options.untilS; t += 0.1 + jitter.uniform() * 0.003) {
    host.scheduler.runUntil(t);
    tracker.observe();
  }
  return { host, edges, steps, pps, tracker };
}

describe("the host clock timed by a PPS on a GPIO line", () => {
  it("measures offset, frequency and the latency distribution, with NMEA labels", () => {
    const { edges, pps, host, tracker } = run({ nmea: true, untilS: 400 });
    expect(pps.stats.unlabelled).toBeGreaterThan(0); // before the first sentence
    expect(pps.stats.relabels).toBe(0);
    const last = edges.at(-1)!;
    const fit = last.fit!;
    expect(last.labelFrom).toBe("nmea");
    expect(last.second).toBe(Math.round(host.utc.utcMsAt(last.atS) / 1000 - 0.5));
    // The host oscillator runs 12 ppm fast; over the 64-edge window the latency spread limits the
    // estimate to about a hundred ppb, and the fit says so.
    expect(Math.abs(fit.freqPpb - 12_000)).toBeLessThan(4 * fit.freqSigmaPpb);
    expect(fit.freqSigmaPpb).toBeLessThan(300);
    // Offset = truth + the mean latency (floor 40 µs + 15 µs) ± the time-of-day reading's uncertainty.
    const meanLatencyNs = (USER_SPACE_LATENCY.floorS + USER_SPACE_LATENCY.meanExcessS) * 1e9;
    expect(Math.abs(last.offsetNs! - last.truthNs - meanLatencyNs)).toBeLessThan(
      8_000 + tracker.uncertaintyNs(),
    );
    // The excess latency shows the model (exponential, mean 15 µs).
    expect(fit.excessLatencyNs.p50).toBeGreaterThan(5_000);
    expect(fit.excessLatencyNs.p50).toBeLessThan(20_000);
    expect(fit.jitterNs).toBeLessThan(30_000);
    const stalls = host.gpio.deliveries.slice(-64).filter((d) => d.latencyS > 1e-3).length;
    // Every stall (1 % of edges, 1–5 ms) is set apart, and at most a few of the exponential tail's edges.
    expect(stalls).toBeGreaterThan(0);
    expect(fit.outliers).toBeGreaterThanOrEqual(stalls);
    expect(fit.outliers).toBeLessThanOrEqual(stalls + 3);
  });

  it("labels seconds from the system clock without NMEA, and follows a step of it", () => {
    const { edges, steps } = run({ nmea: false, untilS: 300, stepAtS: 150.5, stepS: -0.25 });
    expect(steps).toHaveLength(1);
    expect(Math.abs(steps[0]!.stepNs + 250e6)).toBeLessThan(1.1e6);
    const before = edges.filter((e) => e.atS > 100 && e.atS < 150);
    const after = edges.filter((e) => e.atS > 250);
    for (const e of [...before, ...after]) {
      expect(e.labelFrom).toBe("system-clock");
      expect(Math.abs(e.offsetNs! - e.truthNs)).toBeLessThan(200_000);
    }
    expect(after.at(-1)!.offsetNs!).toBeLessThan(-240e6);
  });
});
