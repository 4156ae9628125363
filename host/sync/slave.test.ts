import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  encodePtp,
  PTP_ANNOUNCE,
  PTP_DELAY_REQ,
  PTP_SYNC,
  ptpMessage,
  type PtpMessage,
} from "../../firmware/src/ptp.ts";
import { PtpMaster } from "./master.ts";
import { PtpSlave, type PortKind, type SlaveEvent } from "./slave.ts";

const T0 = 1_767_225_600_000_000_000n;

function announceFrom(identity: string, clockClass: number): string {
  const m: PtpMessage = ptpMessage(PTP_ANNOUNCE, 0, identity, 1);
  m.announce = {
    currentUtcOffset: 37,
    priority1: 128,
    clockClass,
    clockAccuracy: 0xfe,
    offsetScaledLogVariance: 0xffff,
    priority2: 128,
    grandmasterIdentity: identity,
    stepsRemoved: 0,
    timeSource: 0xa0,
  };
  return encodePtp(m);
}

/** A master and a slave joined by a wire with fixed delays; the slave's clock is `offsetNs` ahead. */
function pair(offsetNs: bigint, delayNs: bigint) {
  let now = T0;
  const events: SlaveEvent[] = [];
  const toSlave: [PortKind, string][] = [];
  const toMaster: [PortKind, string][] = [];
  const master = new PtpMaster({ clockIdentity: "0000000000000001" }, (kind, bytes) => {
    toSlave.push([kind, bytes]);
    return now;
  });
  const slave = new PtpSlave(
    { clockIdentity: "0000000000000002", quantumNs: 0 },
    (kind, bytes) => {
      toMaster.push([kind, bytes]);
      return now + offsetNs;
    },
    (e) => events.push(e),
  );
  const step = (seconds: number) => {
    for (let i = 0; i < seconds * 10; i++) {
      master.tick(now);
      slave.tick(now + offsetNs);
      now += delayNs;
      for (const [kind, bytes] of toSlave.splice(0)) slave.receive(kind, bytes, now + offsetNs);
      now += delayNs;
      for (const [kind, bytes] of toMaster.splice(0)) master.receive(kind, bytes, now);
      now += 100_000_000n - 2n * delayNs;
    }
  };
  return { master, slave, events, step, now: () => now };
}

describe("PTP slave and master", () => {
  it("measure a fixed offset exactly over a symmetric wire, and the slave locks", () => {
    const p = pair(2_500_000n, 40_000n);
    p.step(30);
    const exchanges = p.events.flatMap((e) => (e.kind === "exchange" ? [e.exchange] : []));
    expect(exchanges.length).toBeGreaterThan(20);
    for (const x of exchanges) {
      expect(x.exchange.offsetNs).toBe(2_500_000);
      expect(x.exchange.meanPathDelayNs).toBe(40_000);
      expect(x.boundNs).toBeGreaterThanOrEqual(40_000);
    }
    expect(p.slave.state).toBe("locked");
    expect(p.slave.estimate(p.now())!.offsetNs).toBeCloseTo(2_500_000, 0);
  });

  it("counts and drops garbage, truncated, wrong-version and wrong-domain packets without throwing", () => {
    const p = pair(0n, 1000n);
    const sync = encodePtp(ptpMessage(PTP_SYNC, 0, "0000000000000001", 1));
    p.slave.receive("event", "", T0);
    p.slave.receive("event", sync.slice(0, 30), T0);
    p.slave.receive("event", sync[0] + "\x03" + sync.slice(2), T0);
    p.slave.receive("event", encodePtp(ptpMessage(PTP_SYNC, 5, "0000000000000001", 1)), T0);
    expect(p.slave.counters.dropped).toMatchObject({ truncated: 2, "wrong-version": 1, "wrong-domain": 1 });
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }),
        fc.constantFrom<PortKind>("event", "general"),
        (raw, kind) => {
          const bytes = Buffer.from(raw).toString("latin1");
          p.slave.receive(kind, bytes, T0);
          p.master.receive(kind, bytes, T0);
        },
      ),
      { numRuns: 3000 },
    );
    expect(p.slave.counters.received).toBe(3004);
  });

  it("keeps a bounded table under a flood of announcing masters and still picks the best", () => {
    const p = pair(0n, 1000n);
    for (let i = 0; i < 5000; i++)
      p.slave.receive(
        "general",
        announceFrom((0x100000 + i).toString(16).padStart(16, "0"), 248),
        T0 + BigInt(i),
      );
    expect(p.slave.foreignMasterCount).toBeLessThanOrEqual(8);
    p.slave.receive("general", announceFrom("00000000000000ff", 6), T0 + 10_000n);
    expect(p.slave.master).toBe("00000000000000ff-1");
  });

  it("answers at most its rate limit of Delay_Req per second and counts the rest", () => {
    const p = pair(0n, 1000n);
    for (let i = 0; i < 10_000; i++) {
      const req = ptpMessage(PTP_DELAY_REQ, 0, "00000000000000aa", 1);
      req.sequenceId = i & 0xffff;
      p.master.receive("event", encodePtp(req), T0 + BigInt(i) * 10_000n); // 10 000 in 0.1 s
    }
    expect(p.master.counters.delayResponses).toBe(64);
    expect(p.master.counters.dropped["rate-limited"]).toBe(10_000 - 64);
  });

  it("moves to holdover when the master goes silent, with a bound that grows", () => {
    const p = pair(1_000_000n, 40_000n);
    p.step(30);
    expect(p.slave.state).toBe("locked");
    const before = p.slave.estimate(p.now())!.boundNs;
    const silent = p.now() + 10_000_000_000n;
    p.slave.tick(silent);
    expect(p.slave.state).toBe("holdover");
    const later = p.slave.estimate(silent)!;
    expect(later.boundNs).toBeGreaterThan(before);
    expect(p.slave.estimate(silent + 60_000_000_000n)!.boundNs).toBeGreaterThan(later.boundNs);
  });
});
