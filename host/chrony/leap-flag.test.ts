import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { leapFlagAt, parseLeapAnnouncement } from "./leap-flag.ts";
import { LEAP_DELETE, LEAP_INSERT, LEAP_NORMAL } from "./sock-sample.ts";

const JULY_1_2026 = Date.UTC(2026, 6, 1) / 1000;
const JUNE_1_2026 = Date.UTC(2026, 5, 1) / 1000;

describe("leap flag", () => {
  it("is set through the month that ends with the leap, and only then", () => {
    const leap = { midnightS: JULY_1_2026, sign: 1 };
    expect(leapFlagAt(JUNE_1_2026 - 1, leap)).toBe(LEAP_NORMAL);
    expect(leapFlagAt(JUNE_1_2026, leap)).toBe(LEAP_INSERT);
    expect(leapFlagAt(JULY_1_2026 - 0.5, leap)).toBe(LEAP_INSERT);
    expect(leapFlagAt(JULY_1_2026, leap)).toBe(LEAP_NORMAL);
    expect(leapFlagAt(JULY_1_2026 - 10, { midnightS: JULY_1_2026, sign: -1 })).toBe(LEAP_DELETE);
    expect(leapFlagAt(JULY_1_2026 - 10, null)).toBe(LEAP_NORMAL);
    expect(leapFlagAt(JULY_1_2026 - 10, { midnightS: JULY_1_2026, sign: 0 })).toBe(LEAP_NORMAL);
  });

  it("agrees with the calendar for any month end", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1972, max: 2200 }),
        fc.integer({ min: 0, max: 11 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (y, m, frac) => {
          const midnightS = Date.UTC(y, m + 1, 1) / 1000;
          const monthStartS = Date.UTC(y, m, 1) / 1000;
          const t = monthStartS - 86_400 * 3 + frac * (midnightS - monthStartS + 86_400 * 6);
          const expected = t >= monthStartS && t < midnightS ? LEAP_INSERT : LEAP_NORMAL;
          expect(leapFlagAt(t, { midnightS, sign: 1 })).toBe(expected);
        },
      ),
    );
  });

  it("reads an announcement as Bulletin C gives it, and nothing else", () => {
    expect(parseLeapAnnouncement("2026-06-30:+1")).toEqual({ midnightS: JULY_1_2026, sign: 1 });
    expect(parseLeapAnnouncement("2026-06-30:-1")).toEqual({ midnightS: JULY_1_2026, sign: -1 });
    for (const bad of ["2026-06-31:+1", "2026-6-30:+1", "2026-06-30", "2026-06-30:+2", "", "x"])
      expect(parseLeapAnnouncement(bad)).toBeNull();
    fc.assert(
      fc.property(fc.string(), (text) => parseLeapAnnouncement(text) === null || /:[+-]1$/.test(text)),
    );
  });
});
