// Fixed vectors for the firmware's pure modules. The self-test bundle (selftest.ts) runs them on the
// board itself; the host's tests run the very same vectors, so a board and the CI agree on what "pass"
// means. Plain data only: this file ships to boards.

export interface NmeaVector {
  name: string;
  line: string;
  /** Expected label fields, or null when the line must yield no label. */
  kind: string | null;
  ymd: number;
  hms: number;
  ms: number;
  valid: number;
}

export const NMEA_VECTORS: NmeaVector[] = [
  {
    name: "rmc-valid",
    line: "$GPRMC,225446.00,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E*46",
    kind: "RMC",
    ymd: 19941119,
    hms: 225446,
    ms: 0,
    valid: 1,
  },
  {
    name: "rmc-leap-second",
    line: "$GNRMC,235960.00,A,4807.038,N,01131.000,E,0.0,0.0,311216,,,A*4F",
    kind: "RMC",
    ymd: 20161231,
    hms: 235960,
    ms: 0,
    valid: 1,
  },
  {
    name: "zda-dated",
    line: "$GPZDA,030807.00,10,08,2006,00,00*67",
    kind: "ZDA",
    ymd: 20060810,
    hms: 30807,
    ms: 0,
    valid: -1,
  },
  {
    name: "gga-fraction",
    line: "$GPGGA,123519.250,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*5E",
    kind: "GGA",
    ymd: 0,
    hms: 123519,
    ms: 250,
    valid: 1,
  },
  {
    name: "dollar-dollar-junk",
    line: "$$GNGLL,4807.038,N,01131.000,E,123520.00,V,N*6A",
    kind: "GLL",
    ymd: 0,
    hms: 123520,
    ms: 0,
    valid: 0,
  },
  {
    name: "bad-checksum",
    line: "$GPRMC,225446.00,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E*47",
    kind: null,
    ymd: 0,
    hms: 0,
    ms: 0,
    valid: 0,
  },
  {
    name: "hour-25",
    line: "$GPZDA,250000.00,01,01,2026,00,00*67",
    kind: null,
    ymd: 0,
    hms: 0,
    ms: 0,
    valid: 0,
  },
];

export interface CrcVector {
  name: string;
  text: string;
  crc: number;
}

/** CRC-32 of "123456789" (the standard check value) and of one framed record body. */
export const CRC_VECTORS: CrcVector[] = [
  { name: "crc-check-value", text: "123456789", crc: 0xcbf43926 },
  { name: "crc-record-body", text: "TN1,P,0A0B0C0D,7,1000000,999998,0", crc: 0x85a99809 },
];
