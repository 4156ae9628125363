import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSeries } from "./parse.ts";

describe("parseSeries", () => {
  it("reads one value per line, skipping comments and blank lines", () => {
    const r = parseSeries("# header\n# more\n1.5\n\n-2e-3\r\n  +7 \n");
    expect(Array.from(r.values)).toEqual([1.5, -0.002, 7]);
    expect(r).toMatchObject({
      lines: 3,
      comments: 2,
      blank: 2,
      garbage: 0,
      missing: 0,
      header: null,
      error: null,
    });
  });

  it("keeps the place of unreadable and missing samples as NaN and reports the unreadable ones", () => {
    const r = parseSeries("1\nabc\n3\nNaN\n5\n1.2.3\n");
    expect(Array.from(r.values, (v) => (Number.isNaN(v) ? null : v))).toEqual([1, null, 3, null, 5, null]);
    expect(r.garbage).toBe(2);
    expect(r.missing).toBe(1);
    expect(r.garbageLines).toEqual([
      { line: 2, text: "abc" },
      { line: 6, text: "1.2.3" },
    ]);
  });

  it("reads a CSV column by number or by header name", () => {
    const csv = "# log\ntime,freq,temp\n0,1e-9,25.0\n1,2e-9,25.1\n2,,25.2\n";
    expect(Array.from(parseSeries(csv, { column: 2 }).values, (v) => (Number.isNaN(v) ? null : v))).toEqual([
      1e-9,
      2e-9,
      null,
    ]);
    const byName = parseSeries(csv, { column: "temp" });
    expect(Array.from(byName.values)).toEqual([25, 25.1, 25.2]);
    expect(byName.header).toEqual(["time", "freq", "temp"]);
    expect(parseSeries("1 2 3\n4 5 6\n", { column: 3 }).values).toEqual(Float64Array.from([3, 6]));
  });

  it("says which column is missing instead of throwing", () => {
    expect(parseSeries("a,b\n1,2\n", { column: "c" }).error).toMatch(/no column named "c"/);
    expect(parseSeries("1,2\n", { column: "c" }).error).toMatch(/no header line/);
    expect(parseSeries("1,2\n", { column: 0 }).error).toMatch(/numbered from 1/);
    const short = parseSeries("1,2\n3\n", { column: 2 });
    expect(short.garbage).toBe(1);
  });

  it("never throws, whatever the text", () => {
    const column = fc.oneof(
      fc.constant(undefined),
      fc.integer({ min: -3, max: 5 }),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), column, (text, col) => {
        const r = parseSeries(text, col === undefined ? {} : { column: col });
        expect(r.values.length).toBe(r.error === null ? r.lines : 0);
        expect(r.garbage).toBeLessThanOrEqual(r.lines);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double().map(String), fc.constantFrom("#", "", ",", "nan", "x,1", "1;2")), {
          maxLength: 40,
        }),
        (lines) => {
          const r = parseSeries(lines.join("\n"));
          expect(r.values.length + r.comments + r.blank + (r.header ? 1 : 0)).toBe(
            lines.join("\n").split(/\r?\n|\r/).length,
          );
        },
      ),
    );
  });
});
