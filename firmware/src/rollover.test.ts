import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  daysFromYmd,
  GPS_ROLLOVER_DAYS,
  ROLLOVER_BEFORE_2000,
  ROLLOVER_DAY,
  ROLLOVER_WEEKS_BEFORE_CAPTURE,
  rolloverFlags,
  ymdFromDays,
} from "./rollover.ts";

const DAY_MS = 86400000;

function ymdOfDate(date: Date): number {
  return date.getUTCFullYear() * 10000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}

describe("civil day numbers", () => {
  it("fixed vectors", () => {
    expect(daysFromYmd(19700101)).toBe(0);
    expect(daysFromYmd(19800106)).toBe(3657);
    expect(daysFromYmd(20000229)).toBe(11016);
    expect(ymdFromDays(-1)).toBe(19691231);
    expect(daysFromYmd(20190407) - daysFromYmd(19990822)).toBe(GPS_ROLLOVER_DAYS);
  });

  it("agree with Date for every day from 1900 to 2200, both ways", () => {
    fc.assert(
      fc.property(fc.integer({ min: -25567, max: 84000 }), (days) => {
        const ymd = ymdOfDate(new Date(days * DAY_MS));
        expect(ymdFromDays(days)).toBe(ymd);
        expect(daysFromYmd(ymd)).toBe(days);
      }),
    );
  });
});

describe("rollover heuristic", () => {
  it("flags a date 1024 weeks before the capture date, within a month", () => {
    expect(rolloverFlags(19990822, 20190407, "GP")).toBe(
      ROLLOVER_WEEKS_BEFORE_CAPTURE | ROLLOVER_DAY | ROLLOVER_BEFORE_2000,
    );
    expect(rolloverFlags(20060301, 20251015, "GN")).toBe(ROLLOVER_WEEKS_BEFORE_CAPTURE);
    expect(rolloverFlags(20060301, 20250101, "GN")).toBe(0);
  });

  it("flags the days of the 10-bit rollovers unless the capture date agrees", () => {
    for (const ymd of [19990821, 19990822, 20190406, 20190407]) {
      expect(rolloverFlags(ymd, 0, "GP") & ROLLOVER_DAY).toBe(ROLLOVER_DAY);
      expect(rolloverFlags(ymd, 20101016, "GP") & ROLLOVER_DAY).toBe(ROLLOVER_DAY);
    }
    expect(rolloverFlags(20190407, 20190407, "GP")).toBe(0);
    expect(rolloverFlags(20190406, 20190408, "GN")).toBe(0);
  });

  it("flags a date before 2000 from a modern receiver only", () => {
    expect(rolloverFlags(19800105, 20080823, "GP")).toBe(ROLLOVER_BEFORE_2000);
    expect(rolloverFlags(19980101, 0, "GN")).toBe(ROLLOVER_BEFORE_2000);
    expect(rolloverFlags(19980101, 0, "GP")).toBe(0);
    expect(rolloverFlags(19980101, 19980105, "GP")).toBe(0);
  });

  it("trusts ordinary dates and ignores a missing date", () => {
    expect(rolloverFlags(20250321, 20250326, "GN")).toBe(0);
    expect(rolloverFlags(0, 20250326, "GN")).toBe(0);
    expect(rolloverFlags(-1, 20250326, "GN")).toBe(0);
  });

  it("any date from 2000 on, within a year of a known capture date, is trusted", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 11000, max: 30000 }),
        fc.integer({ min: -365, max: 365 }),
        (capture, offset) => {
          const ymd = ymdFromDays(capture + offset);
          fc.pre(ymd >= 20000101 && ymd !== 20190406 && ymd !== 20190407);
          expect(rolloverFlags(ymd, ymdFromDays(capture), "GN")).toBe(0);
        },
      ),
    );
  });
});
