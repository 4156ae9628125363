// NMEA 0183 time sentences, parsed without split() so that a small board allocates only the line
// itself: RMC, ZDA, GGA, GNS and GLL from any talker, checksum verified, junk before '$' tolerated.

/** NMEA says 82 characters including "$" and CRLF; allow slack for "$$" prefixes and long GSV. */
export const NMEA_MAX_LINE = 120;

export interface NmeaCounters {
  lines: number;
  timeSentences: number;
  badChecksum: number;
  noChecksum: number;
  oversize: number;
  badTime: number;
  /** Time sentences with an empty time field: a receiver that has no time yet (cold start). */
  noTime: number;
  other: number;
}

export function createNmeaCounters(): NmeaCounters {
  return {
    lines: 0,
    timeSentences: 0,
    badChecksum: 0,
    noChecksum: 0,
    oversize: 0,
    badTime: 0,
    noTime: 0,
    other: 0,
  };
}

/** A time label, reused between sentences (no allocation per sentence). */
export interface NmeaTime {
  /** "RMC", "ZDA", "GGA", "GNS" or "GLL". */
  kind: string;
  talker: string;
  /** yyyymmdd as the sentence gives it, or 0 when the sentence carries no date. */
  ymd: number;
  /** hhmmss (ss may be 60 during a leap second). */
  hms: number;
  /** Milliseconds from the fraction of the time field. */
  ms: number;
  /** 1 valid, 0 invalid, -1 the sentence has no validity flag (ZDA). */
  valid: number;
}

export function createNmeaTime(): NmeaTime {
  return { kind: "", talker: "", ymd: 0, hms: 0, ms: 0, valid: -1 };
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** Start index of field `n` (0 = the address) in sentence s, or -1. */
function fieldStart(s: string, n: number): number {
  let at = 0;
  for (let i = 0; i < n; i++) {
    at = s.indexOf(",", at);
    if (at < 0) return -1;
    at++;
  }
  return at;
}

/** Field `n` of sentence s (without '*hh'), or "" when absent. */
export function nmeaField(s: string, n: number): string {
  const start = fieldStart(s, n);
  if (start < 0) return "";
  let end = s.indexOf(",", start);
  if (end < 0) end = s.length;
  return s.substring(start, end);
}

function digits(s: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    value = value * 10 + c;
  }
  return value;
}

/** Parses "hhmmss[.fff]" into out.hms / out.ms; false when malformed or out of range. */
function parseTimeField(text: string, out: NmeaTime): boolean {
  if (text.length < 6) return false;
  const hh = digits(text, 0, 2);
  const mm = digits(text, 2, 2);
  const ss = digits(text, 4, 2);
  if (hh < 0 || mm < 0 || ss < 0 || hh > 23 || mm > 59 || ss > 60) return false;
  let ms = 0;
  if (text.length > 6) {
    if (text.charAt(6) !== ".") return false;
    let scale = 100;
    for (let i = 7; i < text.length && scale >= 1; i++) {
      const c = text.charCodeAt(i) - 48;
      if (!(c >= 0 && c <= 9)) return false;
      ms += c * scale;
      scale = scale / 10;
    }
  }
  out.hms = hh * 10000 + mm * 100 + ss;
  out.ms = ms;
  return true;
}

/** ddmmyy (RMC) → yyyymmdd with yy < 80 → 20yy; 0 when empty, -1 when malformed. */
function parseRmcDate(text: string): number {
  if (text.length === 0) return 0;
  if (text.length !== 6) return -1;
  const dd = digits(text, 0, 2);
  const mo = digits(text, 2, 2);
  const yy = digits(text, 4, 2);
  if (dd < 1 || dd > 31 || mo < 1 || mo > 12 || yy < 0) return -1;
  return (yy < 80 ? 2000 + yy : 1900 + yy) * 10000 + mo * 100 + dd;
}

function parseZdaDate(day: string, month: string, year: string): number {
  if (day.length === 0 && month.length === 0 && year.length === 0) return 0;
  if (day.length !== 2 || month.length !== 2 || year.length !== 4) return -1;
  const dd = digits(day, 0, 2);
  const mo = digits(month, 0, 2);
  const yyyy = digits(year, 0, 4);
  if (dd < 1 || dd > 31 || mo < 1 || mo > 12 || yyyy < 0) return -1;
  return yyyy * 10000 + mo * 100 + dd;
}

/**
 * Checks "$<body>*hh" at [start, end) of line and returns the body's end (index of '*'), or a negative
 * reason: -1 no checksum, -2 wrong checksum.
 */
function verifyChecksum(line: string, start: number, end: number): number {
  const star = line.indexOf("*", start);
  if (star < 0 || star >= end || star + 3 > end) return -1;
  const hi = hexDigit(line.charCodeAt(star + 1));
  const lo = hexDigit(line.charCodeAt(star + 2));
  if (hi < 0 || lo < 0) return -1;
  let sum = 0;
  for (let i = start + 1; i < star; i++) sum ^= line.charCodeAt(i);
  return sum === hi * 16 + lo ? star : -2;
}

/** Fills `out` from one checksum-verified sentence body "$TTSSS,...". Returns false if not a time. */
function readTimeSentence(sentence: string, out: NmeaTime, counters: NmeaCounters): boolean {
  if (sentence.length < 7 || sentence.charAt(6) !== ",") {
    counters.other++;
    return false;
  }
  const kind = sentence.substr(3, 3);
  let timeIndex = 1;
  let ymd = 0;
  let valid = -1;
  if (kind === "RMC") {
    ymd = parseRmcDate(nmeaField(sentence, 9));
    valid = nmeaField(sentence, 2) === "A" ? 1 : 0;
  } else if (kind === "ZDA") {
    ymd = parseZdaDate(nmeaField(sentence, 2), nmeaField(sentence, 3), nmeaField(sentence, 4));
  } else if (kind === "GGA") {
    const quality = nmeaField(sentence, 6);
    valid = quality.length > 0 && quality !== "0" ? 1 : 0;
  } else if (kind === "GLL") {
    timeIndex = 5;
    valid = nmeaField(sentence, 6) === "A" ? 1 : 0;
  } else if (kind === "GNS") {
    const mode = nmeaField(sentence, 6);
    let allN = mode.length > 0;
    for (let i = 0; i < mode.length; i++) if (mode.charAt(i) !== "N") allN = false;
    valid = mode.length === 0 || allN ? 0 : 1;
  } else {
    counters.other++;
    return false;
  }
  const timeText = nmeaField(sentence, timeIndex);
  if (timeText.length === 0) {
    counters.noTime++;
    return false;
  }
  if (ymd < 0 || !parseTimeField(timeText, out)) {
    counters.badTime++;
    return false;
  }
  out.kind = kind;
  out.talker = sentence.substr(1, 2);
  out.ymd = ymd;
  out.valid = valid;
  counters.timeSentences++;
  return true;
}

/** RMC, ZDA, GGA, GLL or GNS from a non-proprietary talker, judged by the address at line[start]. */
function isTimeSentence(line: string, start: number): boolean {
  if (line.charAt(start + 1) === "P") return false;
  const kind = line.substr(start + 3, 3);
  return kind === "RMC" || kind === "ZDA" || kind === "GGA" || kind === "GLL" || kind === "GNS";
}

/**
 * Scans one line for sentences (a line may hold junk, "$$" prefixes or a truncated sentence followed
 * by a whole one) and calls onTime for each checksum-valid time sentence. Never throws.
 */
export function scanNmeaLine(
  line: string,
  out: NmeaTime,
  counters: NmeaCounters,
  onTime: (time: NmeaTime) => void,
): void {
  counters.lines++;
  let start = line.indexOf("$");
  while (start >= 0) {
    let next = line.indexOf("$", start + 1);
    while (next === start + 1) {
      start = next; // "$$GNRMC": the sentence starts at the last '$' of the run
      next = line.indexOf("$", start + 1);
    }
    const end = next < 0 ? line.length : next;
    if (!isTimeSentence(line, start)) {
      // GSV, GSA, proprietary …: not needed for time, so not worth a checksum on a small board.
      counters.other++;
      start = next;
      continue;
    }
    const star = verifyChecksum(line, start, end);
    if (star === -1) counters.noChecksum++;
    else if (star === -2) counters.badChecksum++;
    else if (readTimeSentence(line.substring(start, star), out, counters)) {
      onTime(out);
    }
    start = next;
  }
}

export interface LineAssembler {
  /** Feed a chunk of serial data; calls onLine for each complete line (without CR LF). */
  push(chunk: string): void;
}

/** Assembles lines from arbitrary chunks; oversize lines are dropped whole and counted. */
export function createLineAssembler(onLine: (line: string) => void, counters: NmeaCounters): LineAssembler {
  let pending = "";
  let discarding = false;
  return {
    push: function (chunk: string) {
      pending += chunk;
      let newline = pending.indexOf("\n");
      while (newline >= 0) {
        let end = newline;
        if (end > 0 && pending.charAt(end - 1) === "\r") end--;
        const line = pending.substr(0, end);
        pending = pending.substr(newline + 1);
        if (discarding) discarding = false;
        else if (line.length > NMEA_MAX_LINE) counters.oversize++;
        else onLine(line);
        newline = pending.indexOf("\n");
      }
      if (pending.length > NMEA_MAX_LINE) {
        if (!discarding) counters.oversize++;
        discarding = true;
        pending = "";
      }
    },
  };
}
