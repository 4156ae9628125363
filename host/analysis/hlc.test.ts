import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareStamped,
  HLC_MAX_COUNTER,
  HLC_MAX_PHYSICAL_MS,
  HLC_ZERO,
  hlcCompare,
  hlcPack,
  hlcReceive,
  hlcTick,
  hlcUnpack,
  type Hlc,
  type HlcResult,
} from "./hlc.ts";

const ok = (r: HlcResult): Hlc => {
  if (!r.ok) throw new Error(r.reason);
  return r.hlc;
};

const arbitraryHlc = fc.record({
  physicalMs: fc.integer({ min: 0, max: HLC_MAX_PHYSICAL_MS }),
  counter: fc.integer({ min: 0, max: HLC_MAX_COUNTER }),
});

/** A run of events on k nodes: local events and messages, each node's clock skewed and jittered. */
const arbitraryRun = fc.record({
  skewsMs: fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 2, maxLength: 4 }),
  steps: fc.array(
    fc.record({
      node: fc.nat(),
      kind: fc.constantFrom("local", "send", "receive"),
      advanceMs: fc.integer({ min: 0, max: 3 }),
      jitterMs: fc.integer({ min: -2, max: 2 }),
    }),
    { maxLength: 80 },
  ),
});

describe("hybrid logical clock", () => {
  it("takes the physical clock when it is ahead and counts when it is not", () => {
    const a = ok(hlcTick(HLC_ZERO, 1000));
    expect(a).toEqual({ physicalMs: 1000, counter: 0 });
    expect(ok(hlcTick(a, 999))).toEqual({ physicalMs: 1000, counter: 1 });
    expect(ok(hlcReceive(a, { physicalMs: 1005, counter: 7 }, 1001))).toEqual({
      physicalMs: 1005,
      counter: 8,
    });
    expect(ok(hlcReceive({ physicalMs: 1005, counter: 9 }, { physicalMs: 1005, counter: 7 }, 1001))).toEqual({
      physicalMs: 1005,
      counter: 10,
    });
    expect(ok(hlcReceive(a, { physicalMs: 900, counter: 7 }, 2000))).toEqual({
      physicalMs: 2000,
      counter: 0,
    });
  });

  it("refuses a counter overflow, a bad physical time and a remote stamp from too far ahead", () => {
    expect(hlcTick({ physicalMs: 5, counter: HLC_MAX_COUNTER }, 5)).toMatchObject({ ok: false });
    expect(hlcTick(HLC_ZERO, -1)).toMatchObject({ ok: false });
    expect(hlcTick(HLC_ZERO, 2 ** 48)).toMatchObject({ ok: false });
    const far = hlcReceive(HLC_ZERO, { physicalMs: 10_000, counter: 0 }, 1000, 5000);
    expect(far.ok).toBe(false);
    if (!far.ok) expect(far.reason).toContain("9000 ms ahead");
  });

  it("packs into 64 bits whose integer order is the timestamp order", () => {
    fc.assert(
      fc.property(arbitraryHlc, arbitraryHlc, (a, b) => {
        expect(ok(hlcUnpack(hlcPack(a)))).toEqual(a);
        expect(hlcPack(a) < 1n << 64n).toBe(true);
        expect(Math.sign(hlcCompare(a, b))).toBe(
          hlcPack(a) < hlcPack(b) ? -1 : hlcPack(a) > hlcPack(b) ? 1 : 0,
        );
      }),
    );
    expect(hlcUnpack(-1n).ok).toBe(false);
    expect(hlcUnpack(1n << 64n).ok).toBe(false);
  });

  it("orders causally related events, and l is the largest physical time in the causal past (vector-clock oracle)", () => {
    fc.assert(
      fc.property(arbitraryRun, ({ skewsMs, steps }) => {
        const k = skewsMs.length;
        let trueMs = 1_000_000;
        const state = skewsMs.map(() => HLC_ZERO);
        const vector = skewsMs.map(() => skewsMs.map(() => 0));
        const events: { node: number; hlc: Hlc; vc: number[]; pt: number }[] = [];
        const inFlight: { hlc: Hlc; vc: number[]; from: number }[] = [];
        for (const step of steps) {
          trueMs += step.advanceMs;
          const node = step.node % k;
          const pt = Math.max(0, trueMs + skewsMs[node]! + step.jitterMs);
          let hlc: Hlc;
          if (step.kind === "receive") {
            const message = inFlight.findIndex((m) => m.from !== node);
            if (message < 0) continue;
            const m = inFlight.splice(message, 1)[0]!;
            hlc = ok(hlcReceive(state[node]!, m.hlc, pt));
            vector[node] = vector[node]!.map((v, i) => Math.max(v, m.vc[i]!));
          } else hlc = ok(hlcTick(state[node]!, pt));
          vector[node]![node]!++;
          state[node] = hlc;
          const vc = [...vector[node]!];
          events.push({ node, hlc, vc, pt });
          if (step.kind === "send") inFlight.push({ hlc, vc, from: node });
        }
        const before = (e: { vc: number[] }, f: { vc: number[] }) =>
          e.vc.every((v, i) => v <= f.vc[i]!) && e.vc.some((v, i) => v < f.vc[i]!);
        for (const f of events) {
          const past = events.filter((e) => e === f || before(e, f));
          expect(f.hlc.physicalMs).toBe(Math.max(...past.map((e) => e.pt)));
          for (const e of past) if (e !== f) expect(hlcCompare(e.hlc, f.hlc)).toBeLessThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("breaks ties by node and sequence for a total order", () => {
    const hlc = { physicalMs: 7, counter: 1 };
    const events = [
      { hlc, node: "b", seq: 1 },
      { hlc, node: "a", seq: 2 },
      { hlc: { physicalMs: 7, counter: 0 }, node: "z", seq: 9 },
      { hlc, node: "a", seq: 1 },
    ];
    expect([...events].sort(compareStamped).map((e) => `${e.node}${e.seq}`)).toEqual([
      "z9",
      "a1",
      "a2",
      "b1",
    ]);
  });
});
