import { describe, expect, it } from "vitest";
import { calibrateRealtime } from "./realtime-clock.ts";

describe("realtime calibration", () => {
  it("finds the offset from the millisecond edge of a simulated clock", () => {
    // Monotonic starts at 5 s; realtime = monotonic + 1.7e18 ns + 123 456 ns; every read costs 40 ns.
    let mono = 5_000_000_000n;
    const offset = 1_700_000_000_000_000_000n + 123_456n;
    const hrtime = () => (mono += 40n);
    const dateNow = () => Number((mono + offset) / 1_000_000n);
    const c = calibrateRealtime(hrtime, dateNow);
    expect(Math.abs(Number(c.offsetNs - offset))).toBeLessThanOrEqual(c.uncertaintyNs);
    expect(c.uncertaintyNs).toBeLessThan(200);
  });

  it("agrees with Date.now() on this machine, read before and after, within its stated uncertainty", () => {
    const c = calibrateRealtime();
    const slackMs = 1 + Math.ceil(c.uncertaintyNs / 1e6);
    const beforeMs = Date.now();
    const ms = Number((process.hrtime.bigint() + c.offsetNs) / 1_000_000n);
    const afterMs = Date.now();
    expect(ms).toBeGreaterThanOrEqual(beforeMs - slackMs);
    expect(ms).toBeLessThanOrEqual(afterMs + slackMs);
  });
});
