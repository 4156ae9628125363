import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../capture.ts";
import { labelNmeaLog, type NmeaLabel } from "./nmea.ts";

const DATA = join(import.meta.dirname, "..", "..", "..", "..", "shared", "data", "nmea");
const COLDBOOT = join(DATA, "gp-320fw-2019-04-07-coldboot.log");
const TESEO = join(DATA, "st-teseo-liv4f.log");

const run = runCli;

interface JsonReport {
  file: string;
  captureDate: string | null;
  labels: NmeaLabel[];
  counts: Record<string, number>;
}

async function runJson(file: string): Promise<JsonReport> {
  const { code, stdout, stderr } = await run("nmea", file, "--json");
  expect(code).toBe(0);
  expect(stderr).toEqual([]);
  expect(stdout).toHaveLength(1);
  return JSON.parse(stdout[0]!) as JsonReport;
}

interface ReferenceLabel {
  line: number;
  addr: string;
  hhmmss: string;
  date: string | null;
  valid: boolean | null;
}

/** The labels of a log's times.json, in the command's format (the reference keeps the fraction as written). */
function reference(name: string): Omit<NmeaLabel, "flags">[] {
  const expected = JSON.parse(readFileSync(join(DATA, `${name}.times.json`), "utf8")) as ReferenceLabel[];
  return expected.map((e) => {
    const [whole = "", fraction = ""] = e.hhmmss.split(".");
    const ms = (fraction + "000").slice(0, 3);
    return {
      line: e.line,
      addr: e.addr,
      date: e.date,
      time: `${whole.slice(0, 2)}:${whole.slice(2, 4)}:${whole.slice(4, 6)}.${ms}`,
      valid: e.valid,
    };
  });
}

const withoutFlags = (labels: NmeaLabel[]) => labels.map(({ flags: _flags, ...rest }) => rest);

const dir = mkdtempSync(join(tmpdir(), "timenode-nmea-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("timenode nmea", () => {
  it("finds the shared NMEA logs", () => {
    expect(existsSync(COLDBOOT)).toBe(true);
    expect(existsSync(TESEO)).toBe(true);
  });

  it("labels the cold-boot log as its reference does, plus the sentences recovered after truncated ones", async () => {
    const report = await runJson(COLDBOOT);
    expect(report.file).toBe(COLDBOOT);
    expect(report.captureDate).toBe("2010-10-16");
    const recovered = [64, 67, 79];
    const wanted = reference("gp-320fw-2019-04-07-coldboot");
    expect(withoutFlags(report.labels).filter((l) => !recovered.includes(l.line))).toEqual(wanted);
    expect(
      report.labels.filter((l) => recovered.includes(l.line)).map((l) => [l.line, l.addr, l.time]),
    ).toEqual([
      [64, "GPRMC", "00:00:02.000"],
      [67, "GPGGA", "00:04:10.000"],
      [79, "GPRMC", "00:04:25.000"],
    ]);
  });

  it("marks rollover dates as not trusted and leaves the others alone", async () => {
    const { labels } = await runJson(COLDBOOT);
    const byLine = (line: number) => labels.find((l) => l.line === line)!;
    // 1999-08-22: exactly 1024 weeks before the simulated 2019-04-07, on a rollover day, before 2000.
    expect(byLine(90)).toEqual({
      line: 90,
      addr: "GPZDA",
      date: "1999-08-22",
      time: "00:04:27.000",
      valid: null,
      flags: ["rollover?", "rollover-day", "before-2000"],
    });
    // The simulator's 2019-04-07 is itself a rollover day, far from the 2010 capture date.
    expect(byLine(29).flags).toEqual(["rollover?", "rollover-day"]);
    // Garbage dates after the cold boot are not rollover artefacts; undated labels carry no flag.
    expect(byLine(38)).toMatchObject({ date: "2006-12-16", flags: [] });
    expect(byLine(22)).toMatchObject({ date: null, flags: [] });
    const flagged = labels.filter((l) => l.flags.length > 0);
    expect(flagged.every((l) => l.date === "1999-08-22" || l.date === "2019-04-07")).toBe(true);
    expect(labels.filter((l) => l.date === "1999-08-22").every((l) => l.flags[0] === "rollover?")).toBe(true);
  });

  it("shows the day rollover across midnight as the receiver gives it", async () => {
    const { labels } = await runJson(COLDBOOT);
    const around = labels.filter((l) => l.line >= 57 && l.line <= 64).map((l) => [l.line, l.date, l.time]);
    expect(around).toEqual([
      [57, "2010-09-25", "23:59:58.000"],
      [60, "2010-09-25", "23:59:59.000"],
      [64, "2010-09-26", "00:00:02.000"],
    ]);
  });

  it("counts the cold-boot log's rejects by reason", async () => {
    const { counts } = await runJson(COLDBOOT);
    expect(counts).toEqual({
      lines: 154,
      comments: 20,
      labels: 41,
      badChecksum: 11,
      noChecksum: 1,
      oversize: 0,
      badTime: 0,
      noTime: 0,
      other: 84,
    });
  });

  it("reads $$-prefixed sentences (ST Teseo) and trusts their dates", async () => {
    const report = await runJson(TESEO);
    expect(withoutFlags(report.labels)).toEqual(reference("st-teseo-liv4f"));
    expect(report.labels.every((l) => l.flags.length === 0)).toBe(true);
    expect(report.labels[0]).toEqual({
      line: 26,
      addr: "GNRMC",
      date: "2025-03-21",
      time: "13:58:06.000",
      valid: true,
      flags: [],
    });
    // Its one bad checksum is in a GSV, which the firmware does not check (not a time sentence).
    expect(report.counts).toMatchObject({ labels: 24, badChecksum: 0, other: 306, comments: 8 });
  });

  it("prints a table, the rollover note and the counts", async () => {
    const { code, stdout, stderr } = await run("nmea", COLDBOOT);
    expect(code).toBe(0);
    expect(stderr).toEqual([]);
    const table = stdout[0]!.split("\n");
    expect(table[0]).toMatch(/^line\s+sentence\s+date\s+time\s+valid\s+flags$/);
    expect(table.find((row) => row.startsWith("90 "))).toMatch(
      /^90\s+GPZDA\s+1999-08-22\s+00:04:27\.000\s+—\s+rollover\? \(rollover-day, before-2000\)$/,
    );
    expect(table.find((row) => row.startsWith("22 "))).toMatch(/^22\s+GPGGA\s+—\s+00:03:43\.030\s+valid$/);
    expect(stdout.slice(1)).toEqual([
      "",
      `${COLDBOOT}: 41 time labels from 154 lines (20 comment lines); capture date 2010-10-16`,
      "15 labels marked rollover?: date not trusted (rollover-day: on a GPS week-rollover day; before-2000: before 2000 from a modern receiver)",
      "rejected: 11 bad checksum, 1 no checksum, 0 oversize, 0 bad time, 0 no time yet; 84 other sentences (not time sentences, not checked)",
    ]);
  });

  it("counts oversize lines and keeps line numbers right after them", () => {
    const good = "$GPZDA,123519.00,04,07,2026,00,00*6E";
    const report = labelNmeaLog(
      `# Date: 2026-07-04\r\n${"x".repeat(500)}\r\n${good}\r\n$GPRMC,,V,,,,,,,,,,N*53\n`,
    );
    expect(report.counts).toMatchObject({ lines: 4, comments: 1, oversize: 1, labels: 1, noTime: 1 });
    expect(report.labels).toEqual([
      { line: 3, addr: "GPZDA", date: "2026-07-04", time: "12:35:19.000", valid: null, flags: [] },
    ]);
  });

  it("handles an empty file", async () => {
    const file = join(dir, "empty.log");
    writeFileSync(file, "");
    const report = await runJson(file);
    expect(report).toMatchObject({ labels: [], captureDate: null, counts: { lines: 0, labels: 0 } });
  });

  it("names a missing file in one line (exit 1)", async () => {
    const file = join(dir, "missing.log");
    const { code, stdout, stderr } = await run("nmea", file);
    expect(code).toBe(1);
    expect(stdout).toEqual([]);
    expect(stderr).toEqual([`timenode: cannot read ${file}: no such file; check the path`]);
  });

  it("says when the path is a directory (exit 1)", async () => {
    const { code, stderr } = await run("nmea", dir, "--json");
    expect(code).toBe(1);
    expect(stderr).toEqual([`timenode: cannot read ${dir}: it is a directory; check the path`]);
  });

  it("needs the log argument (exit 2)", async () => {
    const { code } = await run("nmea");
    expect(code).toBe(2);
  });
});
