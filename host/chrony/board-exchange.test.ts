import { describe, expect, it } from "vitest";
import { createLab, type Lab } from "../../sim/lab.ts";
import { scenarioLeap } from "../lab/run.ts";
import { BoardExchange, type HostSample } from "./board-exchange.ts";
import type { GateVerdict } from "./feed-gate.ts";
import { labNodeRecords } from "./lab-link.ts";
import { LEAP_INSERT, LEAP_NORMAL } from "./sock-sample.ts";

/** The host's system clock in this model: K behind true UTC, ticking with the lab's true time. */
const HOST_BEHIND_NS = 37_000_000;

function run(scenario: string, untilS: number, unplugAtS = Infinity) {
  const lab: Lab = createLab({ boards: ["esp32"], scenario, seed: 3 });
  const monoNs = () => BigInt(Math.round(lab.scheduler.now * 1e9));
  const utcStartNs = BigInt(lab.utc.utcStartMs) * 1_000_000n;
  const samples: (HostSample & { atS: number })[] = [];
  const verdicts: (GateVerdict & { atS: number })[] = [];
  const leap = scenarioLeap(lab);
  const exchange = new BoardExchange({
    send: (line) => lab.nodes[0]!.sendToBoard(line),
    clock: { monoNs, systemNsAt: (m) => utcStartNs + m - BigInt(HOST_BEHIND_NS) },
    limits: { maxBoundNs: 100_000, maxSilenceNs: 3_000_000_000n },
    leap: () => (leap.sign === 0 ? null : leap),
    onSample: (s) => samples.push({ ...s, atS: lab.scheduler.now }),
    onVerdict: (v) => verdicts.push({ ...v, atS: lab.scheduler.now }),
  });
  // A pulled cable: from unplugAtS nothing from the board reaches the host.
  const stream = labNodeRecords(lab.nodes[0]!, () => exchange, monoNs);
  const push = stream.push.bind(stream);
  stream.push = (data) => (lab.scheduler.now < unplugAtS ? push(data) : undefined);
  for (let t = 1; t <= untilS; t++) {
    lab.runUntil(t);
    exchange.tick();
  }
  return { samples, verdicts, exchange };
}

describe("time exchanges with a board", () => {
  it("samples the host clock to within half the round trip once the node is locked, and stops in holdover", () => {
    const { samples, verdicts, exchange } = run("holdover", 1830);
    expect(verdicts[0]).toMatchObject({ feed: false, reason: "no report from the node yet" });
    const firstFeed = verdicts.find((v) => v.feed)!;
    // The steady/holdover scenarios: 30 s cold start, then the servo locks within a minute.
    expect(firstFeed.atS).toBeGreaterThan(30);
    expect(firstFeed.atS).toBeLessThan(120);
    expect(samples.length).toBeGreaterThan(1600);
    for (const s of samples) {
      expect(s.leap).toBe(LEAP_NORMAL);
      expect(Math.abs(s.offsetNs - HOST_BEHIND_NS)).toBeLessThanOrEqual(s.delayNs / 2 + s.nodeBoundNs);
      expect(s.delayNs).toBeLessThan(20_000_000);
    }
    // The outage starts at 1800 s; the servo calls holdover 2.5 s after the last pulse.
    const stop = verdicts.find((v) => v.atS > 1800)!;
    expect(stop).toMatchObject({ feed: false, reason: expect.stringMatching(/holdover/) });
    expect(stop.atS).toBeLessThan(1806);
    expect(samples.every((s) => s.atS < stop.atS)).toBe(true);
    expect(exchange.stats.withheld).toBeGreaterThan(20);
    expect(exchange.stats.unanswered).toBe(0);
  });

  it("stops feeding a node that falls silent, and says it is suspect", () => {
    const { samples, verdicts } = run("steady", 200, 150.5);
    const stop = verdicts.at(-1)!;
    expect(stop).toMatchObject({
      feed: false,
      reason: expect.stringMatching(/^suspect: nothing from the node/),
    });
    expect(stop.atS).toBeGreaterThanOrEqual(153);
    expect(stop.atS).toBeLessThan(155);
    expect(samples.every((s) => s.atS < 151)).toBe(true);
  });

  it("flags the leap second through the month that ends with it", () => {
    const { samples } = run("leap", 200);
    expect(samples.length).toBeGreaterThan(50);
    expect(samples.every((s) => s.leap === LEAP_INSERT)).toBe(true);
  });
});
