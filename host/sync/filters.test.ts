import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MinDelayWindow, MovingMedian } from "./filters.ts";

describe("moving median", () => {
  it("is the median of the last n values", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 12 }),
        (values, n) => {
          const m = new MovingMedian(n);
          values.forEach((v, i) => {
            const got = m.push(v);
            const window = values.slice(Math.max(0, i + 1 - n), i + 1).sort((a, b) => a - b);
            const mid = window.length >> 1;
            const want = window.length % 2 ? window[mid]! : (window[mid - 1]! + window[mid]!) / 2;
            expect(got).toBe(want);
            expect(m.size).toBeLessThanOrEqual(n);
          });
        },
      ),
    );
  });

  it("ignores one wild value among ten", () => {
    const m = new MovingMedian(10);
    for (let i = 0; i < 9; i++) m.push(100 + i);
    expect(m.push(1e9)).toBe(104.5);
  });
});

describe("minimum-delay window", () => {
  it("returns the sample with the least delay among the last n, holding at most n", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 1e6 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 12 }),
        (delays, n) => {
          const w = new MinDelayWindow(n);
          delays.forEach((delayNs, i) => {
            const best = w.push({ delayNs, offsetNs: i, uncertaintyNs: 0 });
            expect(best.delayNs).toBe(Math.min(...delays.slice(Math.max(0, i + 1 - n), i + 1)));
            expect(w.size).toBeLessThanOrEqual(n);
          });
        },
      ),
    );
  });

  it("refuses a window of no samples", () => {
    expect(() => new MinDelayWindow(0)).toThrow(RangeError);
    expect(() => new MovingMedian(0)).toThrow(RangeError);
  });
});
