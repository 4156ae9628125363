import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkFencedWrite,
  EMPTY_LEASES,
  grantLease,
  holderMayAct,
  type Lease,
  type LeaseTable,
} from "./fencing.ts";
import { certainlyAfter, certainlyBefore, type TimeInterval } from "./time-interval.ts";

/** An interval clock that is right: truth inside, `lowNs` below and `highNs` above. */
const around = (trueNs: number, lowNs: number, highNs: number): TimeInterval => ({
  earliestNs: trueNs - lowNs,
  latestNs: trueNs + highNs,
});

describe("interval predicates", () => {
  it("are certain only outside the interval", () => {
    const now = { earliestNs: 100, latestNs: 200 };
    expect([certainlyAfter(now, 99), certainlyAfter(now, 100), certainlyAfter(now, 150)]).toEqual([
      true,
      false,
      false,
    ]);
    expect([certainlyBefore(now, 201), certainlyBefore(now, 200), certainlyBefore(now, 150)]).toEqual([
      true,
      false,
      false,
    ]);
  });
});

describe("leases with fencing tokens", () => {
  it("the classic case: 33 pauses past its lease, 34 writes, 33 wakes and is refused", () => {
    const s = 1_000_000_000;
    let table: LeaseTable = { highestToken: 32, current: null };
    const first = grantLease(table, "a", around(0, 1000, 1000), 10 * s);
    if (!first.granted) throw new Error(first.reason);
    table = first.table;
    expect(first.lease.token).toBe(33);
    expect(holderMayAct(first.lease, around(1 * s, 1000, 1000))).toBe(true);
    // a pauses for 15 s; the granter may not hand the lease on until it has certainly expired.
    expect(grantLease(table, "b", around(10 * s, 1000, 1000), 10 * s).granted).toBe(false);
    const second = grantLease(table, "b", around(10 * s + 5000, 1000, 1000), 10 * s);
    if (!second.granted) throw new Error(second.reason);
    expect(second.lease.token).toBe(34);
    let fence = { highestSeen: 0 };
    const write34 = checkFencedWrite(fence, 34, second.table.highestToken);
    expect(write34.accepted).toBe(true);
    if (write34.accepted) fence = write34.state;
    const write33 = checkFencedWrite(fence, 33, second.table.highestToken);
    expect(write33).toMatchObject({ accepted: false, reason: "stale-token" });
    expect(checkFencedWrite(fence, 35, second.table.highestToken)).toMatchObject({
      accepted: false,
      reason: "token-from-the-future",
    });
    expect(checkFencedWrite(fence, 0.5, 40)).toMatchObject({ accepted: false, reason: "not-a-token" });
  });

  it("never lets two holders act at once, and the store's accepted tokens never go down", () => {
    const step = fc.record({
      client: fc.integer({ min: 0, max: 3 }),
      action: fc.constantFrom("request", "write", "forge"),
      advanceNs: fc.integer({ min: 0, max: 400 }),
      lowNs: fc.integer({ min: 0, max: 50 }),
      highNs: fc.integer({ min: 0, max: 50 }),
      pauseNs: fc.integer({ min: 0, max: 600 }),
    });
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 60 }),
        fc.integer({ min: 1, max: 500 }),
        (steps, durationNs) => {
          let trueNs = 1_000_000;
          let table = EMPTY_LEASES;
          let fence = { highestSeen: 0 };
          const held = new Map<number, Lease>();
          const granted: number[] = [];
          const grantedAtNs: number[] = [];
          const leases: Lease[] = [];
          const accepted: number[] = [];
          const actingWindows: { token: number; fromNs: number; toNs: number }[] = [];
          for (const s of steps) {
            trueNs += s.advanceNs;
            const now = around(trueNs, s.lowNs, s.highNs);
            if (s.action === "request") {
              const r = grantLease(table, `c${s.client}`, now, durationNs);
              if (r.granted) {
                table = r.table;
                held.set(s.client, r.lease);
                granted.push(r.lease.token);
                grantedAtNs.push(trueNs);
                leases.push(r.lease);
              }
            } else {
              const lease = held.get(s.client);
              if (lease === undefined || !holderMayAct(lease, now)) continue;
              actingWindows.push({ token: lease.token, fromNs: trueNs, toNs: trueNs });
              // The holder checked, then paused before its write reached the store.
              const token = s.action === "forge" ? table.highestToken + 1 + s.pauseNs : lease.token;
              const verdict = checkFencedWrite(fence, token, table.highestToken);
              if (s.action === "forge")
                expect(verdict).toMatchObject({ accepted: false, reason: "token-from-the-future" });
              if (verdict.accepted) {
                fence = verdict.state;
                accepted.push(token);
              } else if (s.action === "write") expect(token).toBeLessThan(fence.highestSeen);
            }
          }
          for (let i = 1; i < granted.length; i++) expect(granted[i]).toBe(granted[i - 1]! + 1);
          for (let i = 1; i < accepted.length; i++)
            expect(accepted[i]).toBeGreaterThanOrEqual(accepted[i - 1]!);
          // A lease is handed on only after the previous one has truly expired.
          for (let i = 1; i < leases.length; i++)
            expect(grantedAtNs[i]).toBeGreaterThan(leases[i - 1]!.expiresNs);
          // Oracle: at any one true instant, every holder that believed itself entitled held the same token.
          for (const a of actingWindows)
            for (const b of actingWindows) if (a.fromNs === b.fromNs) expect(a.token).toBe(b.token);
          // And a lease's acting instants all lie before its expiry in true time.
          for (const w of actingWindows) {
            const lease = leases.find((l) => l.token === w.token);
            if (lease) expect(w.fromNs).toBeLessThan(lease.expiresNs);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
