import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createNmeaSeconds } from "./nmea-seconds.ts";

function sentence(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return `$${body}*${sum.toString(16).toUpperCase().padStart(2, "0")}\r\n`;
}

describe("UTC seconds from NMEA", () => {
  it("tells each valid whole second once, borrowing the date for GGA", () => {
    const seconds: number[] = [];
    const nmea = createNmeaSeconds((s) => seconds.push(s));
    nmea.push(sentence("GPRMC,120001.00,A,5230.000,N,01320.000,E,0.0,0.0,300626,,,A"));
    nmea.push(sentence("GPGGA,120001.00,5230.000,N,01320.000,E,1,08,1.0,34.0,M,0.0,M,,"));
    nmea.push(sentence("GPGGA,120002.00,5230.000,N,01320.000,E,1,08,1.0,34.0,M,0.0,M,,"));
    nmea.push(sentence("GPRMC,120003.00,V,5230.000,N,01320.000,E,0.0,0.0,300626,,,N"));
    expect(seconds).toEqual([Date.UTC(2026, 5, 30, 12, 0, 1) / 1000, Date.UTC(2026, 5, 30, 12, 0, 2) / 1000]);
    expect(nmea.skipped).toBe(1);
  });

  it("never throws on garbage and counts it", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 200 }), { maxLength: 20 }), (chunks) => {
        const nmea = createNmeaSeconds(() => {});
        for (const chunk of chunks) nmea.push(chunk);
        expect(nmea.counters.lines).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
