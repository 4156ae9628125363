import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventScheduler } from "./scheduler.ts";

describe("EventScheduler", () => {
  it("runs events in time order and equal times in scheduling order", () => {
    const s = new EventScheduler();
    const log: string[] = [];
    s.at(2, () => log.push("b"));
    s.at(1, () => log.push("a1"));
    s.at(3, () => log.push("c"));
    s.at(1, () => log.push("a2"));
    s.after(1, () => log.push("a3"));
    s.runUntil(10);
    expect(log).toEqual(["a1", "a2", "a3", "b", "c"]);
    expect(s.now).toBe(10);
  });

  it("runUntil is inclusive, stops before later events and leaves now at the limit", () => {
    const s = new EventScheduler();
    const log: number[] = [];
    s.at(1, () => log.push(s.now));
    s.at(2, () => log.push(s.now));
    s.runUntil(1);
    expect(log).toEqual([1]);
    expect(s.now).toBe(1);
    expect(s.pendingCount).toBe(1);
    s.runUntil(1.5);
    expect(s.now).toBe(1.5);
    s.runUntil(2);
    expect(log).toEqual([1, 2]);
  });

  it("events scheduled from actions run in the same runUntil, in order", () => {
    const s = new EventScheduler();
    const log: string[] = [];
    s.at(1, () => {
      log.push("first");
      s.after(0, () => log.push("same-time"));
      s.after(0.5, () => log.push("later"));
    });
    s.at(1, () => log.push("second"));
    s.runUntil(2);
    expect(log).toEqual(["first", "second", "same-time", "later"]);
  });

  it("cancels by handle; cancelling twice or after running is harmless", () => {
    const s = new EventScheduler();
    const log: number[] = [];
    const h1 = s.at(1, () => log.push(1));
    const h2 = s.at(2, () => log.push(2));
    expect(s.pendingCount).toBe(2);
    s.cancel(h1);
    s.cancel(h1);
    expect(s.pendingCount).toBe(1);
    s.runUntil(3);
    s.cancel(h2);
    expect(log).toEqual([2]);
    expect(s.pendingCount).toBe(0);
  });

  it("clamps times in the past to now and rejects non-finite times", () => {
    const s = new EventScheduler(5);
    let ranAt = -1;
    s.at(1, () => (ranAt = s.now));
    s.runUntil(5);
    expect(ranAt).toBe(5);
    expect(() => s.at(NaN, () => undefined)).toThrow(RangeError);
    expect(() => s.at(Infinity, () => undefined)).toThrow(RangeError);
  });

  it("refuses a nested runUntil", () => {
    const s = new EventScheduler();
    s.at(1, () => s.runUntil(2));
    expect(() => s.runUntil(3)).toThrow(/inside a scheduled action/);
  });

  it("survives many cancellations (compaction keeps order)", () => {
    const s = new EventScheduler();
    const log: number[] = [];
    const handles: number[] = [];
    for (let i = 0; i < 1000; i++) handles.push(s.at(i % 97, () => log.push(i)));
    for (let i = 0; i < 1000; i += 2) s.cancel(handles[i] as number);
    expect(s.pendingCount).toBe(500);
    s.runUntil(100);
    const expected = Array.from({ length: 500 }, (_, k) => 2 * k + 1).sort(
      (a, b) => (a % 97) - (b % 97) || a - b,
    );
    expect(log).toEqual(expected);
  });

  it("property: execution order is sorted by (time, scheduling order), cancelled ones skipped", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ t: fc.integer({ min: 0, max: 20 }), cancel: fc.boolean() }), { maxLength: 200 }),
        (specs) => {
          const s = new EventScheduler();
          const ran: number[] = [];
          const handles = specs.map((spec, i) => s.at(spec.t / 4, () => ran.push(i)));
          specs.forEach((spec, i) => {
            if (spec.cancel) s.cancel(handles[i] as number);
          });
          s.runUntil(10);
          const expected = specs
            .map((spec, i) => ({ ...spec, i }))
            .filter((e) => !e.cancel)
            .sort((a, b) => a.t - b.t || a.i - b.i)
            .map((e) => e.i);
          expect(ran).toEqual(expected);
          expect(s.pendingCount).toBe(0);
        },
      ),
    );
  });
});
