import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nodeNow, trueTime, type NodeSnapshot } from "./true-time.ts";

const T0 = 1_782_820_800_000_000_000n; // 2026-06-30T12:00:00Z
const growth = [
  { ageS: 1, halfWidthNs: 100 },
  { ageS: 100, halfWidthNs: 10_000 },
];

function snapshot(name: string, offsetNs: number, overrides: Partial<NodeSnapshot> = {}): NodeSnapshot {
  return {
    name,
    servoState: 2,
    utcNs: T0 + BigInt(offsetNs),
    earliestNs: -1000,
    latestNs: 1000,
    ageS: 0.5,
    hostNs: T0,
    latencyAllowanceNs: 0,
    growth,
    ...overrides,
  };
}

describe("nodeNow", () => {
  it("carries the reading forward and widens it by the node's measured growth over the extra age", () => {
    const now = nodeNow(snapshot("a", 0), T0 + 10_000_000_000n);
    expect(now.status).toBe("synchronized");
    expect(nodeNow(snapshot("a", 0), T0 + 31_000_000_000n).status).toBe("holdover");
    expect(now.ageS).toBeCloseTo(10.5, 9);
    // growth(10.5) − growth(0.5) = 1050 − 50 ns
    expect(now.earliestNs).toBe(T0 + 10_000_000_000n - 1000n - 1000n);
    expect(now.latestNs).toBe(T0 + 10_000_000_000n + 1000n + 1000n);
    expect(now.growthPpb).toBe(100);
  });

  it("will not carry a reading forward without a measured growth, nor use a reading from the future", () => {
    expect(nodeNow(snapshot("a", 0, { growth: [] }), T0 + 1n)).toMatchObject({
      status: "unknown",
      earliestNs: null,
    });
    expect(nodeNow(snapshot("a", 0), T0 - 1n).reason).toContain("newer");
    expect(nodeNow(snapshot("a", 0, { earliestNs: 5 }), T0).reason).toContain("does not contain");
  });

  it("says synchronized, holdover or free-running from the servo state and the age", () => {
    expect(nodeNow(snapshot("a", 0), T0).status).toBe("synchronized");
    expect(nodeNow(snapshot("a", 0, { servoState: 3 }), T0).status).toBe("holdover");
    expect(nodeNow(snapshot("a", 0, { servoState: 0 }), T0).status).toBe("free-running");
  });
});

describe("trueTime", () => {
  it("combines agreeing nodes and names the liar as a falseticker", () => {
    const result = trueTime(
      [snapshot("a", 0), snapshot("b", 300), snapshot("c", -200), snapshot("liar", 50_000)],
      T0,
    );
    expect(result.status).toBe("synchronized");
    expect(result.earliestNs).toBe(T0 - 700n);
    expect(result.latestNs).toBe(T0 + 800n);
    expect(result.nodes.map((n) => n.role)).toEqual([
      "truechimer",
      "truechimer",
      "truechimer",
      "falseticker",
    ]);
    expect(result.majority?.faultsAllowed).toBe(1);
  });

  it("says unknown, with the reason, when there is no majority or no node", () => {
    const split = trueTime([snapshot("a", 0), snapshot("b", 1e6)], T0);
    expect(split).toMatchObject({ status: "unknown", earliestNs: null });
    expect(split.reason).toContain("no majority");
    expect(trueTime([], T0).reason).toContain("no node");
    const guaranteed = trueTime([snapshot("a", 0), snapshot("b", 0)], T0, { faults: 1 });
    expect(guaranteed).toMatchObject({ status: "unknown", earliestNs: null });
    expect(guaranteed.reason).toContain("needs at least 3");
  });

  it("contains the truth whenever a majority of nodes' intervals do", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            offsetNs: fc.integer({ min: -5000, max: 5000 }),
            halfNs: fc.integer({ min: 0, max: 3000 }),
          }),
          { minLength: 1, maxLength: 7 },
        ),
        fc.integer({ min: 0, max: 100 }),
        (nodes, elapsedS) => {
          const at = T0 + BigInt(elapsedS) * 1_000_000_000n;
          const snaps = nodes.map((n, i) =>
            snapshot(`n${i}`, n.offsetNs, { earliestNs: -n.halfNs, latestNs: n.halfNs }),
          );
          const result = trueTime(snaps, at);
          const truth = at; // every node was read at T0 when true UTC was T0
          const correct = result.nodes.filter((n) => n.earliestNs! <= truth && truth <= n.latestNs!).length;
          if (
            result.earliestNs !== null &&
            2 * correct > nodes.length &&
            correct >= nodes.length - result.majority!.faultsAllowed
          ) {
            expect(result.earliestNs <= truth && truth <= result.latestNs!).toBe(true);
          }
        },
      ),
    );
  });
});
