// `timenode nmea <log> [--json]`: runs a receiver log through the firmware's own NMEA parser and prints
// the time label every accepted sentence gives, flags dates that look like a GPS week-number rollover,
// and counts what the parser rejected.
import {
  createLineAssembler,
  createNmeaCounters,
  createNmeaTime,
  scanNmeaLine,
  type NmeaCounters,
  type NmeaTime,
} from "../../../firmware/src/nmea.ts";
import {
  ROLLOVER_BEFORE_2000,
  ROLLOVER_DAY,
  ROLLOVER_WEEKS_BEFORE_CAPTURE,
  rolloverFlags,
} from "../../../firmware/src/rollover.ts";
import { readUserFile } from "../files.ts";
import { formatTable } from "../table.ts";
import type { CommandContext, RegisterCommand } from "../main.ts";

interface NmeaCommandOptions {
  json?: boolean;
}

export interface NmeaLabel {
  /** 1-based line number in the log (lines split at LF). */
  line: number;
  /** Talker + sentence type, e.g. GPRMC. */
  addr: string;
  /** YYYY-MM-DD as the sentence gives it, or null when it has no date. */
  date: string | null;
  /** hh:mm:ss.fff (UTC, as the sentence gives it). */
  time: string;
  /** The sentence's own validity flag; null when it has none (ZDA). */
  valid: boolean | null;
  /** "rollover?" (the date is not trusted) followed by why. */
  flags: string[];
}

/** The parser's rejection counters, with `lines` counting the log's lines rather than the parser's. */
export interface NmeaLogCounts extends Omit<NmeaCounters, "timeSentences"> {
  /** Lines starting with '#' (log headers), not parsed. */
  comments: number;
  labels: number;
}

function withoutTimeSentences(counters: NmeaCounters): Omit<NmeaCounters, "timeSentences"> {
  const { timeSentences: _counted, ...rest } = counters;
  return rest;
}

export interface NmeaLogReport {
  labels: NmeaLabel[];
  counts: NmeaLogCounts;
  /** YYYY-MM-DD from the log's "# Date:" header, or null. */
  captureDate: string | null;
}

export const ROLLOVER_FLAG = "rollover?";

const REASONS: [number, string, string][] = [
  [ROLLOVER_WEEKS_BEFORE_CAPTURE, "1024-weeks-before-capture", "1024 weeks before the capture date"],
  [ROLLOVER_DAY, "rollover-day", "on a GPS week-rollover day"],
  [ROLLOVER_BEFORE_2000, "before-2000", "before 2000 from a modern receiver"],
];

const pad2 = (n: number) => String(n).padStart(2, "0");

function formatYmd(ymd: number): string {
  return `${Math.floor(ymd / 10000)}-${pad2(Math.floor(ymd / 100) % 100)}-${pad2(ymd % 100)}`;
}

function formatTime(hms: number, ms: number): string {
  const clock = `${pad2(Math.floor(hms / 10000))}:${pad2(Math.floor(hms / 100) % 100)}:${pad2(hms % 100)}`;
  return `${clock}.${String(ms).padStart(3, "0")}`;
}

/** yyyymmdd from the first "# Date: YYYY-MM-DD" header line, or 0. */
function captureYmdOf(lines: readonly string[]): number {
  for (const line of lines) {
    if (!line.startsWith("#")) continue;
    const match = /^#\s*Date:\s*(\d{4})-(\d{2})-(\d{2})\b/.exec(line);
    if (match) return Number(match[1]) * 10000 + Number(match[2]) * 100 + Number(match[3]);
  }
  return 0;
}

/** Labels every accepted time sentence of a log (its bytes as latin1 text), exactly as a board would. */
export function labelNmeaLog(text: string): NmeaLogReport {
  const rawLines = text.split("\n");
  if (rawLines[rawLines.length - 1] === "") rawLines.pop();
  const captureYmd = captureYmdOf(rawLines);
  const counters: NmeaCounters = createNmeaCounters();
  const time: NmeaTime = createNmeaTime();
  const labels: NmeaLabel[] = [];
  let lineNumber = 0;
  let comments = 0;
  const onTime = (t: NmeaTime) => {
    const flagBits = rolloverFlags(t.ymd, captureYmd, t.talker);
    const flags =
      flagBits === 0 ? [] : [ROLLOVER_FLAG, ...REASONS.filter((r) => flagBits & r[0]).map((r) => r[1])];
    labels.push({
      line: lineNumber,
      addr: t.talker + t.kind,
      date: t.ymd === 0 ? null : formatYmd(t.ymd),
      time: formatTime(t.hms, t.ms),
      valid: t.valid < 0 ? null : t.valid === 1,
      flags,
    });
  };
  const assembler = createLineAssembler((line) => scanNmeaLine(line, time, counters, onTime), counters);
  rawLines.forEach((raw, index) => {
    lineNumber = index + 1;
    if (raw.startsWith("#")) comments++;
    // One line per push, so every label knows its line even when the assembler drops an oversize one.
    else assembler.push(raw + "\n");
  });
  return {
    labels,
    counts: {
      ...withoutTimeSentences(counters),
      lines: rawLines.length,
      comments,
      labels: labels.length,
    },
    captureDate: captureYmd === 0 ? null : formatYmd(captureYmd),
  };
}

const HELP = `
Feeds a receiver log, byte for byte, through the firmware's NMEA parser (the code the board runs) and
prints one time label per accepted RMC, ZDA, GGA, GNS or GLL sentence: line, sentence, date, time,
validity. Lines starting with '#' are log comments; a "# Date: YYYY-MM-DD" header gives the capture date.

A date marked ${ROLLOVER_FLAG} is not trusted: it looks like a GPS week-number rollover (1024 weeks
before the capture date, a rollover day 1999-08-21/22 or 2019-04-06/07, or before 2000 from a modern
receiver). The counts at the end say what the parser rejected and why.

Exit status: 0 done, 1 unreadable file, 2 usage error.

Examples:
  timenode nmea capture.log
  timenode nmea capture.log --json`;

export const registerNmea: RegisterCommand = (program, ctx) => {
  program
    .command("nmea")
    .description("print the time labels the firmware's NMEA parser takes from a receiver log")
    .argument("<log>", "an NMEA log file, read as bytes")
    .option("--json", "print {file, captureDate, labels, counts} as JSON")
    .addHelpText("after", HELP)
    .action((file: string, options: NmeaCommandOptions) => runNmea(file, options, ctx));
};

function readLog(file: string): string {
  return readUserFile(file, "latin1", "check the path");
}

function runNmea(file: string, options: NmeaCommandOptions, ctx: CommandContext): void {
  const report = labelNmeaLog(readLog(file));
  const { labels, counts, captureDate } = report;
  if (options.json) {
    ctx.out.json({ file, captureDate, labels, counts });
    return;
  }
  const validText = (valid: boolean | null) => (valid === null ? "—" : valid ? "valid" : "invalid");
  const rows = labels.map((l) => [
    String(l.line),
    l.addr,
    l.date ?? "—",
    l.time,
    validText(l.valid),
    l.flags.length > 0 ? `${l.flags[0]} (${l.flags.slice(1).join(", ")})` : "",
  ]);
  if (rows.length > 0)
    ctx.out.line(formatTable(["line", "sentence", "date", "time", "valid", "flags"], rows));
  const suspect = labels.filter((l) => l.flags.includes(ROLLOVER_FLAG)).length;
  ctx.out.line("");
  ctx.out.line(
    `${file}: ${counts.labels} time label${counts.labels === 1 ? "" : "s"} from ${counts.lines} lines` +
      ` (${counts.comments} comment lines); capture date ${captureDate ?? "unknown"}`,
  );
  if (suspect > 0) {
    const why = REASONS.filter((r) => labels.some((l) => l.flags.includes(r[1])))
      .map((r) => `${r[1]}: ${r[2]}`)
      .join("; ");
    ctx.out.line(
      `${suspect} label${suspect === 1 ? "" : "s"} marked ${ROLLOVER_FLAG}: date not trusted (${why})`,
    );
  }
  ctx.out.line(
    `rejected: ${counts.badChecksum} bad checksum, ${counts.noChecksum} no checksum, ${counts.oversize} oversize,` +
      ` ${counts.badTime} bad time, ${counts.noTime} no time yet; ${counts.other} other sentences (not time sentences, not checked)`,
  );
}
