// `timenode stab --input <file> --type phase|freq --rate <hz> …`: frequency-stability statistics of a
// phase or frequency record (ADEV family, MTIE, TIE rms) with noise type and confidence intervals.
import { InvalidArgumentError, Option } from "commander";
import { DEFAULT_CONFIDENCE, type CiRow } from "../../analysis/stability/confidence.ts";
import { computeStability } from "../../analysis/stability/index.ts";
import { parseSeries, type BadLine } from "../../analysis/stability/parse.ts";
import type { DataType } from "../../analysis/stability/series.ts";
import { averagingFactors, STAT_NAMES, type StatName, type TauSpec } from "../../analysis/stability/taus.ts";
import { readUserFile } from "../files.ts";
import { CliError, UsageError } from "../errors.ts";
import { parsePositiveNumber } from "../options.ts";
import { formatTable } from "../table.ts";
import type { CommandContext, RegisterCommand } from "../main.ts";

type TausOption = "all" | "octave" | "decade" | number[];

interface StabOptions {
  input: string;
  type: DataType;
  rate: number;
  column?: number | string;
  nominal?: number;
  stat: StatName[];
  taus: TausOption;
  confidence: number;
  json?: boolean;
}

const STAT_INFO: Record<StatName, { name: string; units: string }> = {
  adev: { name: "Allan deviation", units: "" },
  oadev: { name: "overlapping Allan deviation", units: "" },
  mdev: { name: "modified Allan deviation", units: "" },
  tdev: { name: "time deviation", units: "s" },
  hdev: { name: "Hadamard deviation", units: "" },
  ohdev: { name: "overlapping Hadamard deviation", units: "" },
  totdev: { name: "total deviation", units: "" },
  mtie: { name: "maximum time-interval error", units: "s" },
  tierms: { name: "rms time-interval error", units: "s" },
};

/** Sample rate in Hz: a positive number or a fraction such as 1/42. */
export function parseRate(text: string): number {
  const fraction = /^\s*([0-9.eE+-]+)\s*\/\s*([0-9.eE+-]+)\s*$/.exec(text);
  const value = fraction ? Number(fraction[1]) / Number(fraction[2]) : Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`expected a positive rate in Hz such as 1 or 1/42, got "${text}"`);
  }
  return value;
}

export function parseStats(text: string): StatName[] {
  const names = text
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== "");
  if (names.length === 0)
    throw new InvalidArgumentError(`expected statistics, one of ${STAT_NAMES.join(", ")}`);
  const out: StatName[] = [];
  for (const name of names) {
    if (name === "all") return [...STAT_NAMES];
    if (!(STAT_NAMES as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(
        `unknown statistic "${name}"; choose from ${STAT_NAMES.join(", ")} or all`,
      );
    }
    if (!out.includes(name as StatName)) out.push(name as StatName);
  }
  return out;
}

export function parseTaus(text: string): TausOption {
  const t = text.trim().toLowerCase();
  if (t === "all" || t === "octave" || t === "decade") return t;
  const values = t.split(",").map((s) => s.trim());
  const numbers = values.map(Number);
  if (values.some((s) => s === "") || numbers.some((v) => !Number.isFinite(v) || v <= 0)) {
    throw new InvalidArgumentError(
      `expected octave, all, decade or a list of taus in seconds (1,10,100), got "${text}"`,
    );
  }
  return numbers;
}

export function parseConfidence(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !(value > 0 && value < 1)) {
    throw new InvalidArgumentError(
      `expected a confidence level between 0 and 1 such as 0.683, got "${text}"`,
    );
  }
  return value;
}

export function parseColumn(text: string): number | string {
  if (/^\d+$/.test(text.trim())) {
    const n = Number(text);
    if (n < 1) throw new InvalidArgumentError(`columns are numbered from 1, got "${text}"`);
    return n;
  }
  if (text.trim() === "") throw new InvalidArgumentError("expected a column number or header name");
  return text.trim();
}

const HELP = `
Reads one value per line (or one column of a CSV/whitespace table; '#' lines are comments) and prints,
per statistic, a table of tau, number of terms n, noise type alpha (2 WPM, 1 FPM, 0 WFM, -1 FFM,
-2 RWFM), the deviation and its confidence interval (Greenhall EDF, chi-squared; TOTDEV after Howe).

--type phase: values are phase (time error) in seconds. --type freq: fractional frequency, or absolute
frequency in Hz with --nominal <hz> (converted to (f - nominal)/nominal). Unreadable or NaN lines are
missing samples: terms that need them are left out, the data are never shifted to close a gap.

--taus all is Stable32's all-tau list (every m up to 53, then steps growing with m); octave is 1, 2, 4,
…; decade is 1, 2, 4, 10, 20, 40, …; or give taus in seconds (rounded to multiples of 1/rate).

Exit status: 0 done, 1 unreadable file or no usable data, 2 usage error.

Examples:
  timenode stab --input ocxo.txt --type freq --nominal 10e6 --rate 1 --stat adev,mdev --taus octave
  timenode stab --input pps-phase.txt --type phase --rate 1 --stat tdev,mtie --taus 1,10,100,1000 --json
  timenode stab --input log.csv --column freq --type freq --rate 1/42 --stat all --taus all`;

export const registerStab: RegisterCommand = (program, ctx) => {
  program
    .command("stab")
    .description(
      "frequency stability (ADEV, OADEV, MDEV, TDEV, HDEV, OHDEV, TOTDEV, MTIE, TIE rms) of a record",
    )
    .requiredOption("--input <file>", "data file: one value per line, or a table with --column")
    .addOption(
      new Option("--type <type>", "phase (seconds) or freq (fractional frequency)")
        .choices(["phase", "freq"])
        .makeOptionMandatory(),
    )
    .requiredOption("--rate <hz>", "samples per second, e.g. 1 or 1/42 (tau0 = 1/rate)", parseRate)
    .option("--column <n|name>", "table column to read: number from 1, or header name", parseColumn)
    .option("--nominal <hz>", "frequency data are in Hz about this nominal frequency", parsePositiveNumber)
    .addOption(
      new Option("--stat <list>", `statistics, comma separated: ${STAT_NAMES.join(",")} or all`)
        .argParser(parseStats)
        .default(["oadev"], "oadev"),
    )
    .addOption(
      new Option("--taus <spec>", "octave, all, decade, or taus in seconds (1,10,100)")
        .argParser(parseTaus)
        .default("octave"),
    )
    .option("--confidence <level>", "confidence level of the intervals", parseConfidence, DEFAULT_CONFIDENCE)
    .option("--json", "print one JSON document")
    .addHelpText("after", HELP)
    .action((options: StabOptions) => runStab(options, ctx));
};

function readInput(file: string): string {
  return readUserFile(file, "utf8", "check --input");
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toExponential(4) : "—");
const fmtTau = (v: number) => String(Number(v.toPrecision(6)));

function describeGarbage(file: string, count: number, lines: BadLine[]): string {
  const first = lines[0];
  const example = first ? ` (first: line ${first.line} "${first.text}")` : "";
  return `${file}: ${count} line${count === 1 ? "" : "s"} not numeric, kept as missing samples${example}`;
}

function runStab(options: StabOptions, ctx: CommandContext): void {
  const { input: file, type, rate, confidence } = options;
  if (options.nominal !== undefined && type === "phase") {
    throw new UsageError("--nominal converts frequency in Hz; it does not apply to --type phase");
  }
  const tau0 = 1 / rate;
  const parsed = parseSeries(readInput(file), options.column === undefined ? {} : { column: options.column });
  if (parsed.error !== null) throw new CliError(`${file}: ${parsed.error}; check --column`);
  const values = Array.from(parsed.values);
  // Missing values before the first and after the last reading carry nothing: drop them.
  let start = 0;
  let end = values.length;
  while (start < end && !Number.isFinite(values[start]!)) start++;
  while (end > start && !Number.isFinite(values[end - 1]!)) end--;
  let data = values.slice(start, end);
  const present = data.filter(Number.isFinite).length;
  const where = options.column === undefined ? "" : ` in column ${options.column}`;
  if (present === 0) {
    throw new CliError(
      `${file}: no numeric data${where} (${parsed.lines} data lines, ${parsed.garbage} not numeric); check the file and --column`,
    );
  }
  if (data.length < 3) {
    throw new CliError(
      `${file}: ${data.length} sample${data.length === 1 ? "" : "s"}${where}; need at least 3`,
    );
  }
  if (parsed.garbage > 0)
    ctx.out.warn(`timenode: warning: ${describeGarbage(file, parsed.garbage, parsed.garbageLines)}`);
  const nominal = options.nominal;
  if (nominal !== undefined) data = data.map((f) => (f - nominal) / nominal);

  let taus: TauSpec;
  if (Array.isArray(options.taus)) {
    const tooShort = options.taus.filter((t) => Math.round(t / tau0) < 1);
    if (tooShort.length > 0) {
      throw new UsageError(
        `tau ${tooShort.join(", ")} s is shorter than the sample interval ${fmtTau(tau0)} s`,
      );
    }
    for (const t of options.taus) {
      const m = Math.round(t / tau0);
      if (Math.abs(m * tau0 - t) > 1e-9 * t) {
        ctx.out.warn(
          `timenode: warning: tau ${t} s is not a multiple of ${fmtTau(tau0)} s; using ${fmtTau(m * tau0)} s`,
        );
      }
    }
    taus = { taus: options.taus };
  } else {
    taus = options.taus;
  }

  const results = computeStability({ data, type, tau0 }, options.stat, { taus, confidence });
  const frequencyPoints = type === "freq" ? data.length : data.length - 1;
  for (const r of results) {
    if (r.rows.length > 0) continue;
    const asked = averagingFactors(taus, r.stat, frequencyPoints, tau0).map((m) => fmtTau(m * tau0));
    ctx.out.warn(
      `timenode: warning: ${r.stat}: no complete term at ${asked.length > 0 ? `tau ${asked.join(", ")} s` : "any tau"} with ${data.length} samples; use more data or shorter taus`,
    );
  }
  if (results.every((r) => r.rows.length === 0)) {
    throw new CliError(`${file}: not enough data for any requested statistic and tau`);
  }

  const gaps = data.length - present;
  if (options.json) {
    ctx.out.json({
      file,
      type,
      rateHz: rate,
      tau0S: tau0,
      column: options.column ?? null,
      nominalHz: nominal ?? null,
      samples: data.length,
      missing: gaps,
      trimmed: { start, end: values.length - end },
      garbage: { count: parsed.garbage, lines: parsed.garbageLines },
      confidence,
      statistics: Object.fromEntries(
        results.map((r) => [r.stat, { ...STAT_INFO[r.stat], rows: r.rows.map(jsonRow) }]),
      ),
    });
    return;
  }
  ctx.out.line(
    `${file}: ${data.length} ${type === "freq" ? "frequency" : "phase"} samples` +
      `${gaps > 0 ? ` (${gaps} missing)` : ""}, tau0 ${fmtTau(tau0)} s, ${(confidence * 100).toPrecision(3)} % confidence`,
  );
  for (const r of results) {
    if (r.rows.length === 0) continue;
    const info = STAT_INFO[r.stat];
    ctx.out.line("");
    ctx.out.line(`${r.stat}: ${info.name}${info.units ? ` (${info.units})` : ""}`);
    ctx.out.line(
      formatTable(
        ["tau", "n", "alpha", "dev", "min", "max"],
        r.rows.map((row) => [
          fmtTau(row.tau),
          String(row.n),
          Number.isFinite(row.alpha) ? String(row.alpha) : "—",
          fmt(row.dev),
          fmt(row.devMin),
          fmt(row.devMax),
        ]),
      ),
    );
  }
}

function jsonRow(row: CiRow) {
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    m: row.m,
    tau: row.tau,
    n: row.n,
    alpha: finite(row.alpha),
    noiseId: Number.isFinite(row.alpha) ? row.noiseMethod : null,
    edf: finite(row.edf),
    dev: row.dev,
    devMin: finite(row.devMin),
    devMax: finite(row.devMax),
  };
}
