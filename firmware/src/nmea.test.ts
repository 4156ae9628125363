import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createLineAssembler,
  createNmeaCounters,
  createNmeaTime,
  scanNmeaLine,
  type NmeaTime,
} from "./nmea.ts";

const DATA = join(import.meta.dirname, "..", "..", "..", "shared", "data", "nmea");

interface ExpectedLabel {
  line: number;
  addr: string;
  hhmmss: string;
  date: string | null;
  valid: boolean | null;
}

interface SeenLabel {
  line: number;
  addr: string;
  hms: number;
  ms: number;
  ymd: number;
  valid: number;
}

/** Sentences after a truncated one on the same line, which the reference extractor misses (README). */
const RECOVERED_BEYOND_REFERENCE: Record<string, number[]> = {
  "gp-320fw-2019-04-07-coldboot": [64, 67, 79],
  triton400: [19],
};

function scanLog(name: string): SeenLabel[] {
  const lines = readFileSync(join(DATA, `${name}.log`), "latin1").split("\n");
  const counters = createNmeaCounters();
  const out = createNmeaTime();
  const seen: SeenLabel[] = [];
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, "");
    if (line.startsWith("#")) return;
    scanNmeaLine(line, out, counters, (t: NmeaTime) =>
      seen.push({
        line: index + 1,
        addr: t.talker + t.kind,
        hms: t.hms,
        ms: t.ms,
        ymd: t.ymd,
        valid: t.valid,
      }),
    );
  });
  return seen;
}

function expectedHms(hhmmss: string): { hms: number; ms: number } {
  const [whole, fraction = ""] = hhmmss.split(".");
  return { hms: Number(whole), ms: Math.floor(Number(`0.${fraction || "0"}`) * 1000 + 1e-9) };
}

const logs = readdirSync(DATA)
  .filter((f) => f.endsWith(".times.json"))
  .map((f) => f.replace(/\.times\.json$/, ""));

describe("NMEA time sentences against real receiver logs", () => {
  it("has the reference logs", () => expect(logs.length).toBeGreaterThanOrEqual(30));

  for (const name of logs) {
    it(`${name}: every checksum-valid time sentence, exactly as its times.json says`, () => {
      const expected = JSON.parse(readFileSync(join(DATA, `${name}.times.json`), "utf8")) as ExpectedLabel[];
      const extraLines = RECOVERED_BEYOND_REFERENCE[name] ?? [];
      const seen = scanLog(name).filter(
        (s) => !extraLines.includes(s.line) || expected.some((e) => e.line === s.line && e.addr === s.addr),
      );
      const mapped = seen.map((s) => ({
        line: s.line,
        addr: s.addr,
        hms: s.hms,
        ms: s.ms,
        ymd: s.ymd,
        valid: s.valid,
      }));
      const wanted = expected.map((e) => ({
        line: e.line,
        addr: e.addr,
        ...expectedHms(e.hhmmss),
        ymd: e.date === null ? 0 : Number(e.date.replaceAll("-", "")),
        valid: e.valid === null ? -1 : e.valid ? 1 : 0,
      }));
      expect(mapped).toEqual(wanted);
    });
  }
});

describe("line assembly", () => {
  it("reassembles lines from any chunking", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 50 }), (cuts) => {
        const text = "$GPZDA,123519.00,04,07,2026,00,00*6D\r\nfoo\r\n\r\nbar\n";
        const lines: string[] = [];
        const assembler = createLineAssembler((l) => lines.push(l), createNmeaCounters());
        let at = 0;
        for (const cut of cuts) {
          assembler.push(text.substr(at, cut));
          at += cut;
          if (at >= text.length) break;
        }
        if (at < text.length) assembler.push(text.substr(at));
        expect(lines).toEqual(["$GPZDA,123519.00,04,07,2026,00,00*6D", "foo", "", "bar"]);
      }),
    );
  });

  it("drops an oversize line whole, counts it, and recovers at the next line", () => {
    const counters = createNmeaCounters();
    const lines: string[] = [];
    const assembler = createLineAssembler((l) => lines.push(l), counters);
    assembler.push("x".repeat(300));
    assembler.push("y".repeat(300) + "\nok\n");
    expect(lines).toEqual(["ok"]);
    expect(counters.oversize).toBe(1);
  });

  it("never throws on garbage and counts what it rejects", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (garbage) => {
        const counters = createNmeaCounters();
        const assembler = createLineAssembler(
          (line) => scanNmeaLine(line, createNmeaTime(), counters, () => {}),
          counters,
        );
        assembler.push(garbage);
        assembler.push("\n");
        expect(counters.lines + counters.oversize).toBeGreaterThan(0);
      }),
    );
  });
});

describe("time sentence fields", () => {
  function parseOne(sentence: string): NmeaTime | null {
    let found: NmeaTime | null = null;
    scanNmeaLine(sentence, createNmeaTime(), createNmeaCounters(), (t) => (found = { ...t }));
    return found;
  }

  function withChecksum(body: string): string {
    let sum = 0;
    for (const c of body) sum ^= c.charCodeAt(0);
    return `$${body}*${sum.toString(16).toUpperCase().padStart(2, "0")}`;
  }

  it("accepts a leap second 23:59:60", () => {
    const t = parseOne(withChecksum("GPRMC,235960.00,A,4807.038,N,01131.000,E,0.0,0.0,311216,,,A"));
    expect(t).toMatchObject({ kind: "RMC", hms: 235960, ymd: 20161231, valid: 1 });
  });

  it("rejects impossible times and counts them", () => {
    const counters = createNmeaCounters();
    scanNmeaLine(withChecksum("GPZDA,246000.00,01,01,2026,00,00"), createNmeaTime(), counters, () => {});
    expect(counters.badTime).toBe(1);
  });

  it("reads any talker", () => {
    for (const talker of ["GP", "GN", "GL", "GA", "GB", "BD", "GQ"]) {
      expect(
        parseOne(withChecksum(`${talker}GGA,010203.5,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,`)),
      ).toMatchObject({
        talker,
        kind: "GGA",
        hms: 10203,
        ms: 500,
        valid: 1,
      });
    }
  });
});
