import { describe, expect, it } from "vitest";
import { runVirtualSync, type VirtualSyncOptions } from "./virtual.ts";

const BASE: VirtualSyncOptions = {
  seed: 7,
  durationS: 120,
  delay: { baseS: 200e-6, jitterS: 20e-6, distribution: "exponential" },
  masterToSlaveExtraS: 0,
  slaveToMasterExtraS: 0,
  master: { offsetS: 0, freqPpm: 0, quantumNs: 1 },
  slave: { offsetS: 0.0123, freqPpm: 35, quantumNs: 1000 },
};

const locked = (r: ReturnType<typeof runVirtualSync>) => r.exchanges.filter((e) => e.servoState === "locked");
const errorOf = (e: { estimateNs: number; trueOffsetNs: number }) => e.estimateNs - e.trueOffsetNs;

describe("PTP over the modelled network", () => {
  it("locks onto a slave clock 12.3 ms off and 35 ppm fast, within 50 µs on a symmetric path with 20 µs of jitter", () => {
    const r = runVirtualSync(BASE);
    const after = locked(r).filter((e) => e.trueTimeS > 30);
    expect(after.length).toBeGreaterThan(80);
    for (const e of after) {
      expect(Math.abs(errorOf(e))).toBeLessThanOrEqual(e.boundNs);
      expect(Math.abs(errorOf(e))).toBeLessThan(50_000);
    }
    expect(r.states.map((s) => s.to)).toContain("locked");
  });

  it("is off by the asymmetry it cannot see, and the bound still holds it", () => {
    // 300 µs longer towards the slave: the symmetric estimate is 150 µs too high.
    const r = runVirtualSync({ ...BASE, masterToSlaveExtraS: 300e-6 });
    const after = locked(r).filter((e) => e.trueTimeS > 30);
    const meanError = after.reduce((s, e) => s + errorOf(e), 0) / after.length;
    expect(meanError).toBeGreaterThan(140_000);
    expect(meanError).toBeLessThan(160_000);
    for (const e of after) expect(Math.abs(errorOf(e))).toBeLessThanOrEqual(e.boundNs);
  });

  it("removes a known asymmetry when told it", () => {
    const r = runVirtualSync({
      ...BASE,
      masterToSlaveExtraS: 300e-6,
      slaveOptions: { asymmetryNs: 150_000 },
    });
    const after = locked(r).filter((e) => e.trueTimeS > 30);
    for (const e of after) {
      expect(Math.abs(errorOf(e))).toBeLessThan(50_000);
      expect(Math.abs(errorOf(e))).toBeLessThanOrEqual(e.boundNs);
    }
  });

  it("with the minimum-delay filter, beats the raw exchanges under heavy jitter and loss, inside the bound", () => {
    const r = runVirtualSync({
      ...BASE,
      seed: "jitter",
      durationS: 300,
      delay: { baseS: 100e-6, jitterS: 2e-3, distribution: "exponential" },
      lossRate: 0.1,
      slaveOptions: { filter: "min-delay", filterLength: 8 },
    });
    const after = r.exchanges.filter((e) => e.trueTimeS > 30);
    expect(after.length).toBeGreaterThan(150);
    for (const e of after) expect(Math.abs(errorOf(e))).toBeLessThanOrEqual(e.boundNs);
    const rms = (f: (e: (typeof after)[number]) => number) =>
      Math.sqrt(after.reduce((s, e) => s + f(e) ** 2, 0) / after.length);
    const rawRms = rms((e) => e.exchange.offsetNs - e.trueOffsetNs);
    expect(rawRms).toBeGreaterThan(1_000_000);
    expect(rms(errorOf)).toBeLessThan(rawRms / 2);
  });

  it("goes to holdover when the master disappears, with a bound that grows and still holds the truth", () => {
    const r = runVirtualSync({ ...BASE, durationS: 200, masterStopsAtS: 100 });
    expect(r.states.map((s) => s.to)).toContain("holdover");
    const holdover = r.readings.filter((x) => x.state === "holdover");
    expect(holdover.length).toBeGreaterThan(80);
    for (let i = 1; i < holdover.length; i++)
      expect(holdover[i]!.boundNs).toBeGreaterThan(holdover[i - 1]!.boundNs);
    for (const x of r.readings.filter((x) => x.trueTimeS > 30))
      expect(Math.abs(x.offsetNs - x.trueOffsetNs)).toBeLessThanOrEqual(x.boundNs);
  });

  it("with the firmware master on a board stamping in JavaScript handlers, is biased by half the latency difference and still bounded", () => {
    // ESP32-like: a received datagram waits for the idle loop (0.5 ms + 1 ms exponential), a sent one
    // leaves after the stamp (0.2 ms + 0.3 ms): mean latencies 1.5 ms in, 0.5 ms out.
    const r = runVirtualSync({
      ...BASE,
      seed: 11,
      durationS: 600,
      delay: { baseS: 2e-3, jitterS: 1e-3, distribution: "exponential" },
      master: {
        offsetS: 0,
        freqPpm: 0,
        quantumNs: 1000,
        rxLatency: { baseS: 0.5e-3, jitterS: 1e-3 },
        txLatency: { baseS: 0.2e-3, jitterS: 0.3e-3 },
      },
      slaveOptions: { filter: "min-delay" },
      boardMaster: true,
    });
    expect(r.master).toBeNull();
    const after = locked(r).filter((e) => e.trueTimeS > 60);
    expect(after.length).toBeGreaterThan(400);
    for (const e of after) expect(Math.abs(errorOf(e))).toBeLessThanOrEqual(e.boundNs);
    const mean = after.reduce((s, e) => s + errorOf(e), 0) / after.length;
    // (0.5 − 1.5 ms)/2 for mean latencies; the least-delayed exchanges carry less of it.
    expect(mean).toBeLessThan(-100_000);
    expect(mean).toBeGreaterThan(-600_000);
  });
});
