import { describe, expect, it } from "vitest";
import { createRng } from "../rng.ts";
import { createSerialLink, type SerialLinkOptions } from "./serial-link.ts";
import { MiniScheduler } from "./testing/mini-scheduler.ts";

function harness(options: Partial<Omit<SerialLinkOptions, "scheduler" | "sink">> = {}) {
  const scheduler = new MiniScheduler();
  const chunks: { data: string; t: number }[] = [];
  const link = createSerialLink({
    scheduler,
    rng: createRng("serial"),
    baud: 9600,
    sink: {
      deliver(data, t) {
        expect(t).toBe(scheduler.now);
        chunks.push({ data, t });
      },
    },
    ...options,
  });
  return { scheduler, link, chunks };
}

const BYTE_S = 10 / 9600;

function text(n: number, offset = 0): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(32 + ((i + offset) % 90));
  return s;
}

describe("createSerialLink", () => {
  it("paces 10 bits per byte (9600 baud → 1.0417 ms/byte) and delivers a write at its last byte", () => {
    const h = harness({ latencyS: 0.002 });
    expect(h.link.byteTimeS * 1000).toBeCloseTo(1.0417, 4);
    h.link.deliver(text(96), 0);
    h.scheduler.runUntil(1);
    expect(h.chunks).toHaveLength(1);
    expect(h.chunks[0]?.data).toBe(text(96));
    expect(h.chunks[0]?.t).toBeCloseTo(96 * BYTE_S + 0.002, 12);
  });

  it("queues a write behind one still on the line", () => {
    const h = harness();
    h.link.deliver(text(96), 0);
    h.scheduler.runUntil(0.05);
    h.link.deliver("abc", 0.05);
    expect(h.link.lineFreeAtS).toBeCloseTo(99 * BYTE_S, 12);
    h.scheduler.runUntil(1);
    expect(h.chunks.map((c) => c.data)).toEqual([text(96), "abc"]);
    expect(h.chunks[1]?.t).toBeCloseTo(99 * BYTE_S, 12);
    h.link.deliver("z", 2);
    h.scheduler.runUntil(3);
    expect(h.chunks[2]?.t).toBeCloseTo(2 + BYTE_S, 12);
  });

  it("splits long writes into maxChunkBytes chunks, each at its own last byte", () => {
    const h = harness({ maxChunkBytes: 10 });
    h.link.deliver(text(25), 0);
    h.scheduler.runUntil(1);
    expect(h.chunks.map((c) => c.data)).toEqual([text(10), text(10, 10), text(5, 20)]);
    expect(h.chunks.map((c) => Math.round(c.t / BYTE_S))).toEqual([10, 20, 25]);
  });

  it("loses bytes at the set rate and splits chunks where bytes are lost", () => {
    const h = harness({ byteLossRate: 0.01, baud: 1e7 });
    const n = 200_000;
    for (let i = 0; i < 200; i++) h.link.deliver(text(1000, i), i * 0.01);
    h.scheduler.runUntil(10);
    const c = h.link.counters;
    expect(c.bytesWritten).toBe(n);
    expect(c.bytesLost / n).toBeGreaterThan(0.009);
    expect(c.bytesLost / n).toBeLessThan(0.011);
    expect(c.bytesDelivered + c.bytesLost).toBe(n);
    expect(h.chunks.reduce((a, ch) => a + ch.data.length, 0)).toBe(c.bytesDelivered);
    expect(h.chunks.length).toBeGreaterThan(200 + c.bytesLost * 0.9);
  });

  it("corrupts bytes at the set rate by flipping one bit", () => {
    const h = harness({ byteCorruptRate: 0.02, baud: 1e7 });
    const sent: string[] = [];
    for (let i = 0; i < 100; i++) {
      sent.push(text(1000, i));
      h.link.deliver(sent[i] as string, i * 0.01);
    }
    h.scheduler.runUntil(10);
    const received = h.chunks.map((c) => c.data).join("");
    const original = sent.join("");
    let flipped = 0;
    for (let i = 0; i < original.length; i++) {
      const x = original.charCodeAt(i) ^ received.charCodeAt(i);
      if (x !== 0) {
        flipped++;
        expect(x & (x - 1)).toBe(0); // exactly one bit
      }
    }
    expect(flipped).toBe(h.link.counters.bytesCorrupted);
    expect(flipped / original.length).toBeGreaterThan(0.018);
    expect(flipped / original.length).toBeLessThan(0.022);
  });

  it("loses bytes sent while unplugged, splitting writes in flight", () => {
    const h = harness();
    h.link.deliver(text(100), 0);
    h.scheduler.runUntil(40.5 * BYTE_S);
    h.link.unplug();
    expect(h.link.plugged).toBe(false);
    h.scheduler.runUntil(70.5 * BYTE_S);
    h.link.replug();
    h.scheduler.runUntil(1);
    expect(h.chunks.map((c) => c.data)).toEqual([text(40), text(30, 70)]);
    expect(h.chunks[0]?.t).toBeCloseTo(40.5 * BYTE_S, 12); // delivered at the unplug (byte 40 just ended)
    expect(h.chunks[1]?.t).toBeCloseTo(100 * BYTE_S, 12);
    expect(h.link.counters.bytesLostUnplugged).toBe(30);
    h.link.unplug();
    h.link.deliver("lost", h.scheduler.now);
    h.scheduler.runUntil(2);
    h.link.replug();
    h.link.deliver("ok", 2);
    h.scheduler.runUntil(3);
    expect(h.chunks.map((c) => c.data).slice(2)).toEqual(["ok"]);
    expect(h.link.counters.bytesLostUnplugged).toBe(34);
  });

  it("is deterministic by seed", () => {
    const run = () => {
      const h = harness({ byteLossRate: 0.05, byteCorruptRate: 0.05 });
      for (let i = 0; i < 20; i++) h.link.deliver(text(200, i), i * 0.5);
      h.scheduler.runUntil(20);
      return h.chunks;
    };
    expect(run()).toEqual(run());
  });

  it("rejects bad parameters with reasons", () => {
    expect(() => harness({ baud: 0 })).toThrow(/baud must be > 0/);
    expect(() => harness({ byteLossRate: 1.5 })).toThrow(/byteLossRate must be in \[0, 1\]/);
    expect(() => harness({ byteCorruptRate: -0.1 })).toThrow(/byteCorruptRate must be in \[0, 1\]/);
    expect(() => harness({ latencyS: Number.NaN })).toThrow(/latencyS/);
    const h = harness();
    h.scheduler.runUntil(5);
    expect(() => h.link.deliver("x", 4)).toThrow(/in the past/);
  });
});
