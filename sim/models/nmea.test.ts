import { describe, expect, it } from "vitest";
import { nmeaChecksum, nmeaSentence, parseNmea } from "./nmea.ts";

// Test vectors: sentences as real receivers sent them (shared/data/nmea: ublox-lea-4h.log,
// ublox-lea-5q.log, quectel-l76k-nmea.log; GPSD regression logs, BSD-2-Clause).
const REAL = [
  "$GPRMC,030858.00,A,4907.85331,N,12243.19743,W,1.049,323.14,100806,,,A*76",
  "$GPGGA,030858.00,4907.85331,N,12243.19743,W,1,03,9.97,516.7,M,-16.7,M,,*6C",
  "$GPZDA,030858.00,10,08,2006,00,00*6D",
  "$GPRMC,001902.00,V,,,,,,,020211,,,N*77",
  "$GPGSV,1,1,00*79",
  "$GNRMC,055234.000,A,4739.71890,N,12219.58362,W,0.00,286.35,050826,,,A,V*13",
];

describe("nmea helpers", () => {
  it("compute the checksums real receivers send", () => {
    for (const line of REAL) {
      const parsed = parseNmea(line + "\r\n");
      expect(parsed?.checksumOk).toBe(true);
      expect(nmeaSentence(line.slice(1, line.indexOf("*")))).toBe(line + "\r\n");
    }
  });

  it("parse talker, type and fields (empty fields kept)", () => {
    const p = parseNmea(REAL[3] as string);
    expect(p?.talker).toBe("GP");
    expect(p?.type).toBe("RMC");
    expect(p?.fields).toEqual(["001902.00", "V", "", "", "", "", "", "", "020211", "", "", "N"]);
    expect(parseNmea("$GPGSV,1,1,00*79")?.fields).toEqual(["1", "1", "00"]);
  });

  it("flag a wrong checksum and reject malformed lines", () => {
    expect(parseNmea("$GPGSV,1,1,00*78")?.checksumOk).toBe(false);
    expect(nmeaSentence("GPGSV,1,1,00", 0x01)).toBe("$GPGSV,1,1,00*78\r\n");
    expect(parseNmea("GPGSV,1,1,00*79")).toBeNull();
    expect(parseNmea("$GPGSV,1,1,00")).toBeNull();
    expect(nmeaChecksum("")).toBe(0);
  });
});
