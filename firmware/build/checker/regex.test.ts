import { describe, expect, it } from "vitest";
import { checkScript } from "./index.ts";
import { findUnsupportedFlags, findUnsupportedPatternFeatures, REGEX_RULES as R } from "./regex.ts";
import { testRuleCases, violationsOf } from "./test-helpers.ts";

const featuresOf = (pattern: string): string[] =>
  findUnsupportedPatternFeatures(pattern).map((feature) => `${feature.rule}@${feature.index}`);

describe("regex pattern scanner", () => {
  it("finds each numeric quantifier form", () => {
    expect(featuresOf("a{3}")).toEqual([`${R.numericQuantifier}@1`]);
    expect(featuresOf("a{2,}")).toEqual([`${R.numericQuantifier}@1`]);
    expect(featuresOf("a{1,3}b{4}")).toEqual([`${R.numericQuantifier}@1`, `${R.numericQuantifier}@7`]);
  });

  it("ignores braces that are not quantifiers", () => {
    expect(featuresOf("\\{3}")).toEqual([]);
    expect(featuresOf("[{]3}")).toEqual([]);
    expect(featuresOf("[\\]{2}]")).toEqual([]);
    expect(featuresOf("a{")).toEqual([]);
    expect(featuresOf("a{,3}")).toEqual([]);
    expect(featuresOf("a{x}")).toEqual([]);
    expect(featuresOf("\\\\")).toEqual([]);
  });

  it("finds lookarounds and named groups outside character classes", () => {
    expect(featuresOf("a(?=b)(?!c)(?<=d)(?<!e)")).toEqual([
      `${R.lookaround}@1`,
      `${R.lookaround}@6`,
      `${R.lookaround}@11`,
      `${R.lookaround}@17`,
    ]);
    expect(featuresOf("(?<year>\\d+)")).toEqual([`${R.namedGroup}@0`]);
    expect(featuresOf("[(?=x]\\(?=(?:a)")).toEqual([]);
  });

  it("finds unsupported flags only", () => {
    expect(findUnsupportedFlags("gimsuydv").map((feature) => feature.construct)).toEqual([
      "regex flag s",
      "regex flag u",
      "regex flag y",
      "regex flag d",
      "regex flag v",
    ]);
  });
});

describe("regex rules", () => {
  testRuleCases([
    {
      name: "a quantifier {n}",
      bad: "var ok = /^\\d{3}$/.test(s);",
      expected: [[R.numericQuantifier, "{3}"]],
      good: "var ok = /^\\d\\d\\d$/.test(s);",
    },
    {
      name: "a quantifier {n,}",
      bad: "var ok = /a{2,}/.test(s);",
      expected: [[R.numericQuantifier, "{2,}"]],
      good: "var ok = /aa+/.test(s);",
    },
    {
      name: "a quantifier {n,m}",
      bad: "var ok = /^[0-9]{1,2}$/.test(s);",
      expected: [[R.numericQuantifier, "{1,2}"]],
      good: "var ok = /^[0-9][0-9]?$/.test(s);",
    },
    {
      name: "a lookahead",
      bad: "var m = /\\d+(?=px)/.exec(s);",
      expected: [[R.lookaround, "(?="]],
      good: "var m = /(\\d+)px/.exec(s);",
    },
    {
      name: "a negative lookahead",
      bad: "var m = /a(?!b)/.exec(s);",
      expected: [[R.lookaround, "(?!"]],
      good: "var m = /a([^b]|$)/.exec(s);",
    },
    {
      name: "a lookbehind",
      bad: "var m = /(?<=\\$)\\d+/.exec(s);",
      expected: [[R.lookaround, "(?<="]],
      good: "var m = /\\$(\\d+)/.exec(s);",
    },
    {
      name: "a negative lookbehind",
      bad: "var m = /(?<!-)\\d+/.exec(s);",
      expected: [[R.lookaround, "(?<!"]],
      good: "var m = /(^|[^-])(\\d+)/.exec(s);",
    },
    {
      name: "a named group",
      bad: "var m = /(?<hours>\\d+):/.exec(s);",
      expected: [[R.namedGroup, "(?<hours>"]],
      good: "var m = /(\\d+):/.exec(s);",
    },
    {
      name: "the y flag",
      bad: "var r = /a/y;",
      expected: [[R.flag, "y"]],
      good: "var r = /a/g;",
    },
    {
      name: "the u flag",
      bad: "var r = /caf\\u00e9/u;",
      expected: [[R.flag, "u;"]],
      good: "var r = /caf\\u00e9/;",
    },
    {
      name: "the s flag",
      bad: "var r = /a.b/s;",
      expected: [[R.flag, "s;"]],
      good: "var r = /a[^]b/;",
    },
    {
      name: "the d flag",
      bad: "var r = /a(b)/d;",
      expected: [[R.flag, "d;"]],
      good: "var r = /a(b)/;",
    },
    {
      name: "the v flag",
      bad: "var r = /[ab]/v;",
      expected: [[R.flag, "v;"]],
      good: "var r = /[ab]/;",
    },
    {
      name: "a quantifier in new RegExp(string)",
      bad: 'var r = new RegExp("\\\\d{2}");',
      expected: [[R.numericQuantifier, '"']],
      good: 'var r = new RegExp("\\\\d\\\\d");',
    },
    {
      name: "a flag in RegExp(string, flags)",
      bad: 'var r = RegExp("a.b", "gs");',
      expected: [[R.flag, '"gs"']],
      good: 'var r = RegExp("a[^]b", "g");',
    },
    {
      name: "a lookahead in new RegExp(template)",
      bad: "var r = new RegExp(`a(?=b)`);",
      expected: [[R.lookaround, "`"]],
      good: "var r = new RegExp(`ab`);",
    },
  ]);

  it("leaves a local function named RegExp alone", () => {
    expect(violationsOf('var RegExp = function (s) { return s; }; RegExp("a{2}", "y");')).toEqual([]);
  });

  it("explains that Espruino silently never matches a numeric quantifier", () => {
    const [violation] = checkScript("/a{3}/").violations;
    expect(violation?.construct).toBe("regex quantifier {3}");
    expect(violation?.alternative).toContain("silently never matches");
  });
});
