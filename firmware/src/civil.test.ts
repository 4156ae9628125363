import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  civilFromDays,
  civilFromPosix,
  civilLabelValid,
  civilPackedValid,
  createCivilDate,
  createCivilTime,
  daysFromCivil,
  daysInMonth,
  isLeapYear,
  posixFromCivil,
  posixFromPacked,
} from "./civil.ts";

describe("civil dates", () => {
  it.each([
    [1970, 1, 1, 0],
    [1970, 1, 2, 1],
    [1969, 12, 31, -1],
    [2000, 3, 1, 11017],
    [2016, 12, 31, 17166],
    [2017, 1, 1, 17167],
    [2038, 1, 19, 24855],
    [2100, 3, 1, 47541],
    [2200, 12, 31, 84370],
    [1900, 1, 1, -25567],
  ])("%i-%i-%i is day %i", (y, m, d, days) => {
    expect(daysFromCivil(y, m, d)).toBe(days);
    expect(civilFromDays(days, createCivilDate())).toEqual({ y, m, d });
  });

  it("agrees with Date.UTC (host only) on POSIX seconds", () => {
    expect(posixFromCivil(2016, 12, 31, 23, 59, 59)).toBe(Date.UTC(2016, 11, 31, 23, 59, 59) / 1000);
    expect(posixFromCivil(2015, 6, 30, 12, 0, 0)).toBe(1435665600);
    expect(posixFromCivil(2016, 12, 31, 23, 59, 60)).toBe(posixFromCivil(2017, 1, 1, 0, 0, 0));
    expect(posixFromPacked(20170101, 0)).toBe(1483228800);
    expect(posixFromPacked(20161231, 235960)).toBe(1483228800);
  });

  it("round-trips every day 1970–2200 and matches Date for each", () => {
    const first = daysFromCivil(1970, 1, 1);
    const last = daysFromCivil(2200, 12, 31);
    const out = createCivilDate();
    let prev = { y: 1969, m: 12, d: 31 };
    for (let day = first; day <= last; day++) {
      civilFromDays(day, out);
      expect(daysFromCivil(out.y, out.m, out.d)).toBe(day);
      // The successor of the previous date, built by hand.
      const nextD = prev.d < daysInMonth(prev.y, prev.m) ? prev.d + 1 : 1;
      const nextM = nextD === 1 ? (prev.m === 12 ? 1 : prev.m + 1) : prev.m;
      const nextY = nextD === 1 && prev.m === 12 ? prev.y + 1 : prev.y;
      if (out.y !== nextY || out.m !== nextM || out.d !== nextD) {
        expect(out).toEqual({ y: nextY, m: nextM, d: nextD });
      }
      prev = { y: out.y, m: out.m, d: out.d };
    }
  });

  it("property: label → POSIX → label round-trips over 1970–2200 and matches Date.UTC", () => {
    const time = createCivilTime();
    fc.assert(
      fc.property(
        fc.integer({ min: 1970, max: 2200 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        (y, m, dRaw, h, mi, s) => {
          const d = Math.min(dRaw, daysInMonth(y, m));
          const posix = posixFromCivil(y, m, d, h, mi, s);
          expect(posix).toBe(Date.UTC(y, m - 1, d, h, mi, s) / 1000);
          expect(civilFromPosix(posix + 0.75, time)).toEqual({ y, m, d, h, mi, s });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("leap years", () => {
    expect([1900, 2000, 2024, 2100, 2023].map(isLeapYear)).toEqual([false, true, true, false, false]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
  });
});

describe("label validation", () => {
  it.each([
    [2016, 12, 31, 23, 59, 60, true],
    [2015, 6, 30, 23, 59, 60, true],
    [2024, 2, 29, 23, 59, 60, true],
    [2023, 4, 30, 23, 59, 60, true],
    [2023, 2, 28, 23, 59, 60, true],
    [2024, 2, 28, 23, 59, 60, false],
    [2016, 12, 30, 23, 59, 60, false],
    [2016, 12, 31, 23, 58, 60, false],
    [2016, 12, 31, 22, 59, 60, false],
    [2016, 12, 31, 23, 59, 61, false],
    [2023, 2, 29, 12, 0, 0, false],
    [2023, 4, 31, 12, 0, 0, false],
    [2023, 13, 1, 0, 0, 0, false],
    [2023, 0, 1, 0, 0, 0, false],
    [2023, 1, 0, 0, 0, 0, false],
    [2023, 1, 1, 24, 0, 0, false],
    [2023, 1, 1, 0, 60, 0, false],
    [2023, 1, 1, 0, 0, -1, false],
    [2023, 1, 1.5, 0, 0, 0, false],
    [2023, 1, 1, 0, 0, 0, true],
  ])("%i-%i-%i %i:%i:%i → %s", (y, m, d, h, mi, s, ok) => {
    expect(civilLabelValid(y, m, d, h, mi, s)).toBe(ok);
  });

  it("packed NMEA labels", () => {
    expect(civilPackedValid(20161231, 235960)).toBe(true);
    expect(civilPackedValid(20161230, 235960)).toBe(false);
    expect(civilPackedValid(20240229, 120000)).toBe(true);
    expect(civilPackedValid(20230229, 120000)).toBe(false);
    expect(civilPackedValid(0, 120000)).toBe(false);
  });
});
