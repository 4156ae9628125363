import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createUtcMapping, formatHhmmss } from "./utc.ts";

const LEAP_2016 = Date.UTC(2017, 0, 1); // 2016-12-31T23:59:60 precedes this midnight

describe("createUtcMapping", () => {
  it("labels true time from the start instant", () => {
    const utc = createUtcMapping({ utcStartMs: Date.UTC(2026, 5, 30, 12, 0, 0) });
    expect(utc.labelAt(0)).toEqual({ y: 2026, mo: 6, d: 30, h: 12, mi: 0, s: 0, fracS: 0 });
    const l = utc.labelAt(43_200.25);
    expect([l.y, l.mo, l.d, l.h, l.mi, l.s, l.fracS]).toEqual([2026, 7, 1, 0, 0, 0, 0.25]);
    expect(utc.utcMsAt(1.5)).toBe(Date.UTC(2026, 5, 30, 12, 0, 1, 500));
  });

  it("inserts 23:59:60 and lags true time by one second afterwards", () => {
    const start = Date.UTC(2016, 11, 31, 23, 59, 57);
    const utc = createUtcMapping({ utcStartMs: start, leapSecondsUtcMs: [Date.UTC(2015, 6, 1), LEAP_2016] });
    const labels = [0, 1, 2, 3, 4, 5].map((t) => formatHhmmss(utc.labelAt(t + 0.5)));
    expect(labels).toEqual(["235957", "235958", "235959", "235960", "000000", "000001"]);
    expect(utc.labelAt(3.5).d).toBe(31);
    expect(utc.labelAt(4.5).d).toBe(1);
    expect(utc.isLeapSecond(3.2)).toBe(true);
    expect(utc.isLeapSecond(4)).toBe(false);
    expect(utc.leapSecondsInsertedBy(3.9)).toBe(0);
    expect(utc.leapSecondsInsertedBy(4)).toBe(1);
    // POSIX-style ms is held at midnight during the leap second, then continues one second behind.
    expect(utc.utcMsAt(3.5)).toBe(LEAP_2016);
    expect(utc.utcMsAt(10)).toBe(start + 9000);
    expect(utc.trueTimeOfUtcMs(LEAP_2016)).toBe(4);
    expect(utc.trueTimeOfUtcMs(start + 1000)).toBe(1);
    expect(utc.trueTimeAt({ y: 2016, mo: 12, d: 31, h: 23, mi: 59, s: 60 })).toBe(3);
  });

  it("keeps second boundaries exact when the run starts mid-second", () => {
    const utc = createUtcMapping({ utcStartMs: Date.UTC(2026, 0, 1, 0, 0, 0, 300) });
    expect(utc.startFracS).toBeCloseTo(0.3, 12);
    expect(utc.secondIndexAt(0)).toBe(0);
    expect(utc.secondStartTrueTimeS(1)).toBeCloseTo(0.7, 12);
    expect(utc.labelOfSecond(1).s).toBe(1);
    expect(utc.labelAt(0).fracS).toBeCloseTo(0.3, 12);
  });

  it("trueTimeAt inverts labelAt (property)", () => {
    const utc = createUtcMapping({
      utcStartMs: Date.UTC(2016, 11, 31, 12, 0, 0, 125),
      leapSecondsUtcMs: [LEAP_2016, Date.UTC(2017, 6, 1)],
    });
    fc.assert(
      fc.property(fc.double({ min: 0, max: 400 * 86_400, noNaN: true }), (t) => {
        expect(utc.trueTimeAt(utc.labelAt(t))).toBeCloseTo(t, 6);
      }),
    );
    // Around the leap second too.
    for (let t = 43_195; t < 43_205; t += 0.125) expect(utc.trueTimeAt(utc.labelAt(t))).toBeCloseTo(t, 9);
  });

  it("ignores leap seconds at or before the start", () => {
    const utc = createUtcMapping({ utcStartMs: LEAP_2016, leapSecondsUtcMs: [LEAP_2016] });
    expect(formatHhmmss(utc.labelAt(0))).toBe("000000");
    expect(utc.leapSecondsInsertedBy(1e6)).toBe(0);
  });

  it("rejects bad schedules and labels with reasons", () => {
    expect(() => createUtcMapping({ utcStartMs: Number.NaN })).toThrow(/utcStartMs must be a finite/);
    expect(() =>
      createUtcMapping({ utcStartMs: 0, leapSecondsUtcMs: [Date.UTC(2016, 11, 31, 23, 59, 59)] }),
    ).toThrow(/not a UTC midnight/);
    expect(() => createUtcMapping({ utcStartMs: 0, leapSecondsUtcMs: [LEAP_2016, LEAP_2016] })).toThrow(
      /strictly increasing/,
    );
    const utc = createUtcMapping({ utcStartMs: Date.UTC(2026, 0, 1) });
    expect(() => utc.trueTimeAt({ y: 2026, mo: 1, d: 1, h: 23, mi: 59, s: 60 })).toThrow(/no leap second/);
    expect(() => utc.trueTimeAt({ y: 2026, mo: 1, d: 1, h: 0, mi: 0, s: 61 })).toThrow(/outside 0–60/);
    expect(() => utc.labelAt(Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });
});
