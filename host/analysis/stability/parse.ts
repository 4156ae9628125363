// Reads a series from text: one value per line, or one column of a CSV/whitespace-separated table.
// Lines starting with '#' are comments and blank lines are ignored; a line whose value cannot be read is
// counted and reported, and stands for a missing sample (NaN) so the samples after it keep their place.
// Never throws.

export interface ParseOptions {
  /** Column to read: 1-based index, or a header name (needs a header line). Default: the first column. */
  column?: number | string;
}

export interface BadLine {
  /** 1-based line number. */
  line: number;
  text: string;
}

export interface ParsedSeries {
  values: Float64Array;
  /** Lines read as samples (numeric or not), comment lines, blank lines. */
  lines: number;
  comments: number;
  blank: number;
  /** Samples given as NaN/"nan" or an empty field: missing on purpose. */
  missing: number;
  /** Lines whose value could not be read: count, and the first few. */
  garbage: number;
  garbageLines: BadLine[];
  /** Column names, when the first data line was a header. */
  header: string[] | null;
  /** Set when the column cannot be found: what went wrong (values is then empty). */
  error: string | null;
}

const KEPT_GARBAGE_LINES = 5;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const MISSING = /^([+-]?nan|na|null|-)?$/i;

function splitFields(line: string): string[] {
  if (line.includes(",")) return line.split(",").map((f) => f.trim());
  if (line.includes(";")) return line.split(";").map((f) => f.trim());
  return line.trim().split(/\s+/);
}

function readNumber(field: string): number | null | undefined {
  if (NUMBER.test(field)) return Number(field);
  if (MISSING.test(field)) return null; // missing on purpose
  return undefined; // garbage
}

export function parseSeries(text: string, options: ParseOptions = {}): ParsedSeries {
  const result: ParsedSeries = {
    values: new Float64Array(0),
    lines: 0,
    comments: 0,
    blank: 0,
    missing: 0,
    garbage: 0,
    garbageLines: [],
    header: null,
    error: null,
  };
  const column = options.column;
  let index = typeof column === "number" ? column - 1 : 0;
  if (typeof column === "number" && !(Number.isSafeInteger(column) && column >= 1)) {
    result.error = `column ${column} does not exist: columns are numbered from 1`;
    return result;
  }
  const values: number[] = [];
  const rawLines = typeof text === "string" ? text.split(/\r?\n|\r/) : [];
  let seenData = false;
  for (let i = 0; i < rawLines.length; i++) {
    const line = (rawLines[i] as string).trim();
    if (line === "") {
      result.blank++;
      continue;
    }
    if (line.startsWith("#")) {
      result.comments++;
      continue;
    }
    const fields = splitFields(line);
    if (!seenData) {
      seenData = true;
      const looksLikeHeader = fields.every((f) => readNumber(f) === undefined);
      if (looksLikeHeader) {
        result.header = fields;
        if (typeof column === "string") {
          index = fields.findIndex((f) => f === column);
          if (index < 0) index = fields.findIndex((f) => f.toLowerCase() === column.toLowerCase());
          if (index < 0) {
            result.error = `no column named "${column}" (header: ${fields.join(", ")})`;
            return result;
          }
        }
        continue;
      }
      if (typeof column === "string") {
        const asNumber = Number(column);
        if (!(Number.isSafeInteger(asNumber) && asNumber >= 1)) {
          result.error = `no header line to find column "${column}" in`;
          return result;
        }
        index = asNumber - 1;
      }
    }
    result.lines++;
    const value = index < fields.length ? readNumber(fields[index] as string) : undefined;
    if (value === null) {
      result.missing++;
      values.push(NaN);
    } else if (value === undefined || !Number.isFinite(value)) {
      result.garbage++;
      if (result.garbageLines.length < KEPT_GARBAGE_LINES) {
        result.garbageLines.push({ line: i + 1, text: line.length > 80 ? line.slice(0, 77) + "..." : line });
      }
      values.push(NaN);
    } else {
      values.push(value);
    }
  }
  result.values = Float64Array.from(values);
  return result;
}
