import { describe, expect, it } from "vitest";
import { HostPps } from "../gpio/host-pps.ts";
import { createNmeaSeconds } from "../gpio/nmea-seconds.ts";
import { createVirtualHost } from "../gpio/virtual-host.ts";
import { TodTracker } from "../host-clock/tod-tracker.ts";
import type { HostSample } from "./board-exchange.ts";
import type { GateVerdict } from "./feed-gate.ts";
import { GpioFeed } from "./gpio-feed.ts";

describe("chrony samples from the host's GPIO PPS", () => {
  it("feeds true − system on the edges of the line, and stops when the pulses stop", () => {
    const host = createVirtualHost({ seed: 5, hostPpm: 3, initialTodOffsetS: -0.0123 });
    const tracker = new TodTracker(host.reader);
    const samples: (HostSample & { truthNs: number; windowNs: number })[] = [];
    const verdicts: (GateVerdict & { atS: number })[] = [];
    const feed = new GpioFeed({
      limits: { maxBoundNs: 200_000, maxSilenceNs: 3_000_000_000n },
      todUncertaintyNs: () => tracker.uncertaintyNs(),
      leap: () => null,
      onSample: (s) => {
        const d = host.gpio.deliveries.at(-1)!;
        samples.push({ ...s, truthNs: -host.trueOffsetNsAt(d.trueTimeS), windowNs: tracker.uncertaintyNs() });
      },
      onVerdict: (v) => verdicts.push({ ...v, atS: host.scheduler.now }),
    });
    const pps = new HostPps({
      line: host.gpio,
      reader: host.reader,
      tracker,
      nmeaLabels: true,
      onEdge: (e) => feed.edge(e),
    });
    const nmea = createNmeaSeconds((second) => pps.label(second, host.reader.monoNs()));
    host.onNmea((data) => nmea.push(data));
    pps.start();
    const ticks = host.rng.fork("ticks");
    for (let t = 0.1; t <= 300; t += 0.1 + ticks.uniform() * 0.003) {
      host.scheduler.runUntil(t);
      tracker.observe();
      feed.tick(host.reader.monoNs());
      if (t > 200 && t < 200.2) pps.stop(); // the cable is pulled at 200 s
    }
    const start = verdicts.find((v) => v.feed)!;
    expect(start.atS).toBeGreaterThan(5);
    expect(start.atS).toBeLessThan(40);
    expect(samples.length).toBeGreaterThan(150);
    // Each sample is true − system at the stamp, short by that edge's latency (the model's 40 µs floor
    // and its spread; the 1–5 ms stalls are left out), give or take the system-time window.
    for (const s of samples.slice(-100)) {
      const shortNs = s.truthNs - s.offsetNs;
      expect(shortNs).toBeGreaterThan(40_000 - s.windowNs - 1_000);
      expect(shortNs).toBeLessThan(200_000 + s.windowNs);
    }
    expect(feed.stats.outliers).toBeGreaterThan(0);
    const stop = verdicts.at(-1)!;
    expect(stop).toMatchObject({ feed: false, reason: expect.stringMatching(/^suspect/) });
    expect(stop.atS).toBeGreaterThan(203);
    expect(stop.atS).toBeLessThan(204.5);
  });
});
