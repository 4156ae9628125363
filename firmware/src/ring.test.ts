import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createRing,
  ringAck,
  ringFrom,
  ringOldestSeq,
  ringPush,
  ringSizeBytes,
  ringSizeLines,
  ringTakeOverflow,
  type Ring,
} from "./ring.ts";

function resend(ring: Ring, seq: number): { first: number; lines: string[] } {
  const lines: string[] = [];
  const first = ringFrom(ring, seq, (line) => lines.push(line));
  return { first, lines };
}

const line = (seq: number) => `#TN1,P,0BADCAFE,${seq},${seq * 1000000},1000000,0*00000000\r\n`;

describe("resend ring: fixed vectors", () => {
  it("keeps pushed lines in order and resends from a seq", () => {
    const ring = createRing(8, 1024);
    for (let seq = 0; seq < 5; seq++) expect(ringPush(ring, seq, line(seq))).toBe(0);
    expect(resend(ring, 2)).toEqual({ first: 2, lines: [line(2), line(3), line(4)] });
    expect(resend(ring, 0).lines).toHaveLength(5);
    expect(resend(ring, 5)).toEqual({ first: 5, lines: [] });
    expect(ringTakeOverflow(ring)).toBe(-1);
  });

  it("drops acknowledged lines; a resend before them reports them gone", () => {
    const ring = createRing(8, 1024);
    for (let seq = 0; seq < 5; seq++) ringPush(ring, seq, line(seq));
    ringAck(ring, 2);
    expect(ring.count).toBe(2);
    expect(ring.ackedSeq).toBe(2);
    expect(ringOldestSeq(ring)).toBe(3);
    expect(resend(ring, 1)).toEqual({ first: 3, lines: [line(3), line(4)] });
    expect(ring.lostTotal).toBe(0);
    ringAck(ring, 4);
    expect(ring.count).toBe(0);
    expect(ring.usedBytes).toBe(0);
    expect(resend(ring, 0)).toEqual({ first: 5, lines: [] });
  });

  it("evicts the oldest unacknowledged line when the line count is reached, and reports it", () => {
    const ring = createRing(3, 1024);
    for (let seq = 0; seq < 3; seq++) ringPush(ring, seq, line(seq));
    expect(ringPush(ring, 3, line(3))).toBe(1);
    expect(ringPush(ring, 4, line(4))).toBe(1);
    expect(resend(ring, 0)).toEqual({ first: 2, lines: [line(2), line(3), line(4)] });
    expect(ring.lostTotal).toBe(2);
    expect(ringTakeOverflow(ring)).toBe(1);
    expect(ringTakeOverflow(ring)).toBe(-1);
  });

  it("evicts by bytes, wrapping the byte buffer", () => {
    const ring = createRing(100, 25);
    ringPush(ring, 10, "aaaaaaaaaa");
    ringPush(ring, 11, "bbbbbbbbbb");
    expect(ringPush(ring, 12, "cccccccccc")).toBe(1);
    expect(ringPush(ring, 13, "dddd")).toBe(0);
    expect(resend(ring, 10)).toEqual({ first: 11, lines: ["bbbbbbbbbb", "cccccccccc", "dddd"] });
    expect(ring.usedBytes).toBe(24);
  });

  it("counts a line longer than the whole buffer as lost, with what it pushed out", () => {
    const ring = createRing(4, 16);
    ringPush(ring, 0, "short");
    expect(ringPush(ring, 1, "x".repeat(17))).toBe(2);
    expect(ringTakeOverflow(ring)).toBe(1);
    expect(resend(ring, 0)).toEqual({ first: 2, lines: [] });
    ringPush(ring, 2, "ok");
    expect(resend(ring, 0)).toEqual({ first: 2, lines: ["ok"] });
  });

  it("restarts at a seq that does not follow, counting what it held and skipped", () => {
    const ring = createRing(4, 100);
    ringPush(ring, 7, "a");
    ringPush(ring, 8, "b");
    expect(ringPush(ring, 12, "c")).toBe(5); // 7, 8 held; 9, 10, 11 never pushed
    expect(ringTakeOverflow(ring)).toBe(11);
    expect(resend(ring, 7)).toEqual({ first: 12, lines: ["c"] });
  });

  it("keeps latin1 bytes", () => {
    const ring = createRing(2, 100);
    ringPush(ring, 0, "\u00ff\u0000\u00e9");
    expect(resend(ring, 0).lines).toEqual(["\u00ff\u0000\u00e9"]);
  });

  it("sizes the ring from the board's JsVars", () => {
    expect(ringSizeBytes(2630)).toBe(1280);
    expect(ringSizeLines(2630)).toBe(40);
    expect(ringSizeBytes(100)).toBe(512);
    expect(ringSizeBytes(1000000)).toBe(16384);
  });
});

type Op = { kind: "push"; line: string } | { kind: "ack"; back: number } | { kind: "resend"; back: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .string({ unit: "binary-ascii", maxLength: 30 })
      .map((l) => ({ kind: "push" as const, line: l })),
  },
  { weight: 1, arbitrary: fc.nat(12).map((back) => ({ kind: "ack" as const, back })) },
  { weight: 2, arbitrary: fc.nat(40).map((back) => ({ kind: "resend" as const, back })) },
);

describe("resend ring: properties", () => {
  it("any sequence of pushes, acks and resends returns exactly the kept lines in order", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 120 }),
        fc.nat(1000),
        fc.array(opArb, { maxLength: 120 }),
        (maxLines, maxBytes, startSeq, ops) => {
          const ring = createRing(maxLines, maxBytes);
          // The model: what is kept, and the fate of every seq ever pushed.
          let kept: { seq: number; line: string }[] = [];
          const fate = new Map<number, "kept" | "acked" | "lost">();
          let nextSeq = startSeq;
          let lostSinceReport = 0;
          let lastLost = -1;
          // The first push may carry any seq; start the model there.
          for (const op of [{ kind: "push" as const, line: "first" }, ...ops]) {
            if (op.kind === "push") {
              const seq = nextSeq++;
              const dropped = ringPush(ring, seq, op.line);
              let expectDropped = 0;
              if (op.line.length > maxBytes) {
                for (const k of kept) fate.set(k.seq, "lost");
                expectDropped = kept.length + 1;
                kept = [];
                fate.set(seq, "lost");
                lastLost = seq;
              } else {
                kept.push({ seq, line: op.line });
                fate.set(seq, "kept");
                const bytes = () => kept.reduce((n, k) => n + k.line.length, 0);
                while (kept.length > maxLines || bytes() > maxBytes) {
                  const gone = kept.shift()!;
                  fate.set(gone.seq, "lost");
                  lastLost = gone.seq;
                  expectDropped++;
                }
              }
              expect(dropped).toBe(expectDropped);
              lostSinceReport += expectDropped;
            } else if (op.kind === "ack") {
              const seq = nextSeq - 1 - op.back;
              ringAck(ring, seq);
              for (const k of kept) if (k.seq <= seq) fate.set(k.seq, "acked");
              kept = kept.filter((k) => k.seq > seq);
            } else {
              const from = Math.max(0, nextSeq - op.back);
              const got = resend(ring, from);
              expect(got.lines).toEqual(kept.filter((k) => k.seq >= from).map((k) => k.line));
              // Everything in [from, first - 1] is reported gone, and truly is not kept.
              for (let s = from; s < got.first; s++) expect(fate.get(s) ?? "never").not.toBe("kept");
              expect(got.first).toBe(Math.max(from, kept[0]?.seq ?? nextSeq));
            }
            expect(ring.count).toBe(kept.length);
            expect(ring.usedBytes).toBe(kept.reduce((n, k) => n + k.line.length, 0));
          }
          expect(ring.lostTotal).toBe([...fate.values()].filter((f) => f === "lost").length);
          expect(ringTakeOverflow(ring)).toBe(lostSinceReport > 0 ? lastLost : -1);
        },
      ),
    );
  });

  it("reports every lost seq exactly once across overflow reports", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(50), { maxLength: 200 }), (lengths) => {
        const ring = createRing(5, 60);
        let reportedThrough = -1;
        let lostCount = 0;
        lengths.forEach((length, seq) => {
          lostCount += ringPush(ring, seq, "x".repeat(length));
          const last = ringTakeOverflow(ring);
          if (last >= 0) {
            expect(last).toBeGreaterThan(reportedThrough);
            reportedThrough = last;
          }
          // Unacknowledged and below the oldest kept means lost: the report always covers it.
          expect(reportedThrough).toBe(ringOldestSeq(ring) - 1);
        });
        expect(lostCount).toBe(ring.lostTotal);
      }),
    );
  });
});
