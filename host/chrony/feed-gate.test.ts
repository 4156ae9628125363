import { describe, expect, it } from "vitest";
import { SERVO_ACQUIRING, SERVO_HOLDOVER, SERVO_LOCKED } from "../../firmware/src/servo.ts";
import { createGateWatch, feedVerdict, type NodeHealth } from "./feed-gate.ts";

const limits = { maxBoundNs: 100_000, maxSilenceNs: 3_000_000_000n };
const locked: NodeHealth = { servoState: SERVO_LOCKED, bound95Ns: 6_000, lastHeardMonoNs: 10_000_000_000n };

describe("feed gate", () => {
  it("feeds only a locked, current node within its bound", () => {
    expect(feedVerdict(locked, limits, 11_000_000_000n)).toEqual({ feed: true });
    const reason = (h: Partial<NodeHealth>, now = 11_000_000_000n) => {
      const v = feedVerdict({ ...locked, ...h }, limits, now);
      return v.feed ? "feeds" : v.reason;
    };
    expect(reason({ servoState: SERVO_HOLDOVER })).toMatch(/holdover/);
    expect(reason({ servoState: SERVO_ACQUIRING })).toMatch(/not locked/);
    expect(reason({ bound95Ns: 250_000 })).toBe("its 95 % bound ±250.0 µs is above the limit ±100.0 µs");
    expect(reason({ bound95Ns: null })).toMatch(/no UTC reading/);
    expect(reason({}, 13_500_000_000n)).toMatch(/^suspect: nothing from the node for 3.50 s/);
    expect(reason({ lastHeardMonoNs: null })).toMatch(/no report/);
  });

  it("tells each change once, and a growing silence only once", () => {
    const watch = createGateWatch();
    expect(watch.change({ feed: true })).toEqual({ feed: true });
    expect(watch.change({ feed: true })).toBeNull();
    expect(watch.change({ feed: false, reason: "suspect: nothing for 3.1 s" })).not.toBeNull();
    expect(watch.change({ feed: false, reason: "suspect: nothing for 4.1 s" })).toBeNull();
    expect(watch.change({ feed: false, reason: "in holdover" })).not.toBeNull();
    expect(watch.change({ feed: true })).toEqual({ feed: true });
  });
});
