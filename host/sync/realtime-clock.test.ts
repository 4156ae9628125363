import { describe, expect, it } from "vitest";
import { TodTracker, type ClockReader } from "../host-clock/tod-tracker.ts";
import { systemRealtimeClock } from "./realtime-clock.ts";

/** Monotonic from 5 s; time of day = monotonic + offset; every monotonic read costs 40 ns. */
function simulatedHost(offsetNs: bigint) {
  const host = { mono: 5_000_000_000n, offset: offsetNs };
  const reader: ClockReader = {
    monoNs: () => (host.mono += 40n),
    todMs: () => Number((host.mono + host.offset) / 1_000_000n),
  };
  return { host, reader };
}

describe("the time of day at millisecond edges", () => {
  it("finds the offset to within a few reads from one edge of a simulated clock", () => {
    const offset = 1_700_000_000_000_000_000n + 123_456n;
    const { host, reader } = simulatedHost(offset);
    const tracker = new TodTracker(reader);
    expect(tracker.observeEdge()).toBeNull();
    expect(Math.abs(Number(tracker.systemNsAt(host.mono) - (host.mono + offset)))).toBeLessThanOrEqual(
      tracker.uncertaintyNs() + 1,
    );
    expect(tracker.uncertaintyNs()).toBeLessThan(200);
  });

  it("follows a step of the time of day at the next edges, and says so", () => {
    const offset = 1_700_000_000_000_000_000n + 777_000n;
    const { host, reader } = simulatedHost(offset);
    const clock = systemRealtimeClock(reader);
    expect(Math.abs(Number(clock.nowNs() - (host.mono + offset)))).toBeLessThan(clock.quantumNs);
    host.offset += 2_500_000n; // someone set the clock 2.5 ms ahead
    host.mono += 11_000_000_000n;
    expect(Math.abs(Number(clock.nowNs() - (host.mono + host.offset)))).toBeLessThan(clock.quantumNs);
    expect(clock.quantumNs).toBe(1000);
    expect(clock.steps).toBe(1);
  });

  it("agrees with Date.now() on this machine, read before and after, within its stated uncertainty", () => {
    const clock = systemRealtimeClock();
    const slackMs = 1 + Math.ceil(clock.quantumNs / 1e6);
    const beforeMs = Date.now();
    const ms = Number(clock.nowNs() / 1_000_000n);
    const afterMs = Date.now();
    expect(ms).toBeGreaterThanOrEqual(beforeMs - slackMs);
    expect(ms).toBeLessThanOrEqual(afterMs + slackMs);
  });
});
