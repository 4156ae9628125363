import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../capture.ts";

const DATA = join(import.meta.dirname, "..", "..", "..", "..", "shared", "data", "stability");
const OCXO = join(DATA, "ocxo", "ocxo_frequency.txt");
const PINK = join(DATA, "pink_frequency", "pink_frequency.txt");

const dir = mkdtempSync(join(tmpdir(), "timenode-stab-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

interface JsonRow {
  m: number;
  tau: number;
  n: number;
  alpha: number | null;
  noiseId: string | null;
  edf: number | null;
  dev: number;
  devMin: number | null;
  devMax: number | null;
}

interface JsonReport {
  file: string;
  samples: number;
  missing: number;
  tau0S: number;
  garbage: { count: number; lines: { line: number; text: string }[] };
  statistics: Record<string, { name: string; units: string; rows: JsonRow[] }>;
}

async function runJson(...args: string[]): Promise<JsonReport> {
  const { code, stdout, stderr } = await runCli("stab", ...args, "--json");
  expect(stderr).toEqual([]);
  expect(code).toBe(0);
  expect(stdout).toHaveLength(1);
  return JSON.parse(stdout[0]!) as JsonReport;
}

describe("timenode stab", () => {
  it("computes the OCXO's ADEV and OADEV with Stable32's values and confidence bounds", async () => {
    const report = await runJson(
      "--input",
      OCXO,
      "--type",
      "freq",
      "--nominal",
      "10e6",
      "--rate",
      "1",
      "--stat",
      "adev,oadev",
    );
    expect(report.samples).toBe(19982);
    const adev = report.statistics["adev"]!.rows;
    expect(adev.map((r) => r.m)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]);
    // Stable32: m = 1: n 19981, 7.5636e-11 < 7.6106e-11 < 7.6585e-11, alpha 1.
    expect(adev[0]).toMatchObject({ m: 1, tau: 1, n: 19981, alpha: 1, noiseId: "lag1" });
    expect(Math.abs(adev[0]!.dev / 7.6106e-11 - 1)).toBeLessThan(1e-4);
    expect(Math.abs(adev[0]!.devMin! / 7.5636e-11 - 1)).toBeLessThan(1e-3);
    expect(Math.abs(adev[0]!.devMax! / 7.6585e-11 - 1)).toBeLessThan(1e-3);
    const oadev = report.statistics["oadev"]!.rows;
    expect(oadev.find((r) => r.m === 64)).toMatchObject({ n: 19855, alpha: -2 });
  });

  it("prints a table per statistic", async () => {
    const { code, stdout, stderr } = await runCli(
      "stab",
      "--input",
      PINK,
      "--type",
      "freq",
      "--rate",
      "1/42",
      "--stat",
      "oadev,mtie",
      "--taus",
      "42,420",
    );
    expect(code).toBe(0);
    expect(stderr).toEqual([]);
    expect(stdout[0]).toBe(`${PINK}: 10000 frequency samples, tau0 42 s, 68.3 % confidence`);
    const text = stdout.join("\n");
    expect(text).toContain("oadev: overlapping Allan deviation\ntau  n     alpha  dev        min        max");
    expect(text).toMatch(/\n42\s+9999\s+-1\s+1\.4064e-7\s+1\.3960e-7\s+1\.4170e-7\n/);
    expect(text).toContain("mtie: maximum time-interval error (s)");
    expect(text).toMatch(/\n420\s+9991\s+—\s+\S+\s+—\s+—/);
  });

  it("runs every statistic over Stable32's all-tau list", async () => {
    const report = await runJson(
      "--input",
      PINK,
      "--type",
      "freq",
      "--rate",
      "1/42",
      "--stat",
      "all",
      "--taus",
      "all",
    );
    expect(Object.keys(report.statistics)).toEqual([
      "adev",
      "oadev",
      "mdev",
      "tdev",
      "hdev",
      "ohdev",
      "totdev",
      "mtie",
      "tierms",
    ]);
    expect(report.statistics["mdev"]!.rows.at(-1)!.tau).toBe(report.statistics["mdev"]!.rows.at(-1)!.m * 42);
    expect(report.statistics["tierms"]!.rows[0]!.alpha).toBeNull();
  });

  it("reads a CSV column by name and keeps unreadable lines as missing samples, with a warning", async () => {
    const rows = ["# phase log", "t,phase"];
    for (let i = 0; i < 200; i++) rows.push(`${i},${i === 50 ? "glitch" : (Math.sin(i) * 1e-9).toString()}`);
    const path = file("phase.csv", rows.join("\n") + "\n");
    const { code, stdout, stderr } = await runCli(
      "stab",
      "--input",
      path,
      "--column",
      "phase",
      "--type",
      "phase",
      "--rate",
      "1",
      "--stat",
      "tdev",
      "--json",
    );
    expect(code).toBe(0);
    expect(stderr).toEqual([
      `timenode: warning: ${path}: 1 line not numeric, kept as missing samples (first: line 53 "50,glitch")`,
    ]);
    const report = JSON.parse(stdout[0]!) as JsonReport;
    expect(report).toMatchObject({ samples: 200, missing: 1, garbage: { count: 1 } });
    // Phase points 50 missing: TDEV at m = 1 loses the three terms that use it (200 − 3·1 + 1 − 3).
    expect(report.statistics["tdev"]!.rows[0]).toMatchObject({ m: 1, n: 195 });
  });

  it("names a missing file, a directory and an unreadable file in one line (exit 1)", async () => {
    const missing = join(dir, "nope.txt");
    let r = await runCli("stab", "--input", missing, "--type", "freq", "--rate", "1");
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual([`timenode: cannot read ${missing}: no such file; check --input`]);
    r = await runCli("stab", "--input", dir, "--type", "freq", "--rate", "1");
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual([`timenode: cannot read ${dir}: it is a directory; check --input`]);
    if (process.getuid?.() !== 0) {
      const locked = file("locked.txt", "1\n2\n3\n");
      chmodSync(locked, 0o000);
      r = await runCli("stab", "--input", locked, "--type", "freq", "--rate", "1");
      expect(r.code).toBe(1);
      expect(r.stderr).toEqual([`timenode: cannot read ${locked}: permission denied; check --input`]);
    }
  });

  it("says when there is no numeric data or too little of it (exit 1)", async () => {
    const words = file("words.txt", "# comment\nhello\nworld\n");
    let r = await runCli("stab", "--input", words, "--type", "freq", "--rate", "1");
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual([
      `timenode: ${words}: no numeric data (1 data lines, 1 not numeric); check the file and --column`,
    ]);
    const csv = file("cols.csv", "a,b\n1,2\n3,4\n");
    r = await runCli("stab", "--input", csv, "--column", "c", "--type", "freq", "--rate", "1");
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual([`timenode: ${csv}: no column named "c" (header: a, b); check --column`]);
    const two = file("two.txt", "1\n2\n");
    r = await runCli("stab", "--input", two, "--type", "freq", "--rate", "1");
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual([`timenode: ${two}: 2 samples; need at least 3`]);
    const short = file("short.txt", "1\n2\n3\n4\n");
    r = await runCli(
      "stab",
      "--input",
      short,
      "--type",
      "freq",
      "--rate",
      "1",
      "--stat",
      "hdev",
      "--taus",
      "5",
    );
    expect(r.code).toBe(1);
    expect(r.stderr.at(-1)).toBe(`timenode: ${short}: not enough data for any requested statistic and tau`);
  });

  it("rejects bad options as usage errors (exit 2)", async () => {
    const ok = file("ok.txt", "1\n2\n3\n4\n5\n");
    const cases: [string[], RegExp][] = [
      [["--type", "time", "--rate", "1"], /argument 'time' is invalid/],
      [["--type", "freq", "--rate", "0"], /expected a positive rate in Hz/],
      [["--type", "freq", "--rate", "1", "--stat", "adev,foo"], /unknown statistic "foo"/],
      [["--type", "freq", "--rate", "1", "--taus", "1,-2"], /expected octave, all, decade or a list of taus/],
      [["--type", "freq", "--rate", "1", "--confidence", "68.3"], /between 0 and 1/],
      [["--type", "freq", "--rate", "1", "--column", "0"], /numbered from 1/],
      [["--type", "freq"], /required option '--rate <hz>' not specified/],
      [["--rate", "1"], /required option '--type <type>' not specified/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli("stab", "--input", ok, ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.join("\n"), args.join(" ")).toMatch(message);
    }
    const noInput = await runCli("stab", "--type", "freq", "--rate", "1");
    expect(noInput.code).toBe(2);
    expect(noInput.stderr.join("\n")).toMatch(/required option '--input <file>' not specified/);
    const nominal = await runCli("stab", "--input", ok, "--type", "phase", "--rate", "1", "--nominal", "1e7");
    expect(nominal.code).toBe(2);
    expect(nominal.stderr).toEqual([
      "timenode: --nominal converts frequency in Hz; it does not apply to --type phase",
    ]);
    const tiny = await runCli("stab", "--input", ok, "--type", "freq", "--rate", "1", "--taus", "0.2");
    expect(tiny.code).toBe(2);
    expect(tiny.stderr).toEqual(["timenode: tau 0.2 s is shorter than the sample interval 1 s"]);
  });
});
