import { describe, expect, it } from "vitest";
import { BUILTIN_RULES as R } from "./builtins.ts";
import { checkScript } from "./index.ts";
import { testRuleCases, violationsOf, type RuleCase } from "./test-helpers.ts";

/** A case whose violation starts at the first character of the construct's name in `bad`. */
function missing(rule: string, needle: string, bad: string, good: string): RuleCase {
  return { name: needle, bad, expected: [[rule, needle]], good };
}

describe("missing global constructors", () => {
  testRuleCases([
    missing(R.global, "Map", 'var m = new Map(); m.set("k", 1);', 'var m = {}; m["k"] = 1;'),
    missing(R.global, "Set", "var seen = new Set(); seen.add(id);", "var seen = {}; seen[id] = true;"),
    missing(R.global, "WeakMap", "var meta = new WeakMap(); meta.set(o, 1);", "o.meta = 1;"),
    missing(R.global, "WeakSet", "var done = new WeakSet(); done.add(o);", "o.done = true;"),
    missing(R.global, "WeakRef", "var ref = new WeakRef(o);", "var ref = o;"),
    missing(R.global, "Symbol", 'var key = Symbol("id");', 'var key = "__id";'),
    missing(
      R.global,
      "Proxy",
      "var p = new Proxy(o, {});",
      "var p = { get: function (k) { return o[k]; } };",
    ),
    missing(R.global, "Reflect", 'var has = Reflect.has(o, "k");', 'var has = "k" in o;'),
    missing(R.global, "BigInt", "var big = BigInt(1);", "var big = 1;"),
    { name: "a BigInt literal", bad: "var big = 10n;", expected: [[R.global, "10n"]], good: "var big = 10;" },
  ]);

  it("ignores a local binding of the same name", () => {
    expect(violationsOf("function f(Map) { return new Map(); }")).toEqual([]);
    expect(violationsOf("var Set = function () {}; new Set();")).toEqual([]);
    expect(violationsOf("function g() { let Symbol = 1; return Symbol; }")).toEqual([]);
    expect(violationsOf("class Map {} new Map();")).toEqual([]);
  });

  it("ignores typeof tests and polyfills", () => {
    expect(violationsOf('var has = typeof Symbol != "undefined";')).toEqual([]);
    expect(violationsOf("Map = function () {}; new Map();")).toEqual([]);
  });

  it("ignores property names that happen to match", () => {
    expect(violationsOf("var o = { Map: 1 }; o.Map = o.Set;")).toEqual([]);
  });
});

describe("missing Array functions", () => {
  testRuleCases([
    missing(R.array, "Array.from", "var a = Array.from(list);", "var a = [].slice.call(list);"),
    missing(R.array, "Array.of", "var a = Array.of(1, 2);", "var a = [1, 2];"),
    {
      name: ".flat()",
      bad: "var a = nested.flat();",
      expected: [[R.array, "flat"]],
      good: "var a = []; for (var i = 0; i < nested.length; i++) a = a.concat(nested[i]);",
    },
    {
      name: ".flatMap()",
      bad: "var a = xs.flatMap(f);",
      expected: [[R.array, "flatMap"]],
      good: "var a = []; for (var i = 0; i < xs.length; i++) a = a.concat(f(xs[i]));",
    },
  ]);
});

describe("missing Number functions and constants", () => {
  testRuleCases([
    missing(
      R.number,
      "Number.isInteger",
      "var ok = Number.isInteger(x);",
      'var ok = typeof x == "number" && x % 1 === 0;',
    ),
    missing(
      R.number,
      "Number.isFinite",
      "var ok = Number.isFinite(x);",
      'var ok = typeof x == "number" && isFinite(x);',
    ),
    missing(R.number, "Number.isNaN", "var bad = Number.isNaN(x);", "var bad = x !== x;"),
    missing(
      R.number,
      "Number.isSafeInteger",
      "var ok = Number.isSafeInteger(x);",
      'var ok = typeof x == "number" && x % 1 === 0 && Math.abs(x) <= 9007199254740991;',
    ),
    missing(R.number, "Number.EPSILON", "var eps = Number.EPSILON;", "var eps = 2.220446049250313e-16;"),
    missing(
      R.number,
      "Number.MAX_SAFE_INTEGER",
      "var max = Number.MAX_SAFE_INTEGER;",
      "var max = 9007199254740991;",
    ),
    missing(
      R.number,
      "Number.MIN_SAFE_INTEGER",
      "var min = Number.MIN_SAFE_INTEGER;",
      "var min = -9007199254740991;",
    ),
  ]);
});

describe("missing Math functions", () => {
  testRuleCases([
    missing(R.math, "Math.trunc", "var t = Math.trunc(x);", "var t = x < 0 ? Math.ceil(x) : Math.floor(x);"),
    missing(R.math, "Math.log2", "var l = Math.log2(x);", "var l = Math.log(x) / Math.LN2;"),
    missing(R.math, "Math.log10", "var l = Math.log10(x);", "var l = Math.log(x) / Math.LN10;"),
    missing(
      R.math,
      "Math.cbrt",
      "var c = Math.cbrt(x);",
      "var c = x < 0 ? -Math.pow(-x, 1 / 3) : Math.pow(x, 1 / 3);",
    ),
    missing(R.math, "Math.hypot", "var h = Math.hypot(x, y);", "var h = Math.sqrt(x * x + y * y);"),
    missing(
      R.math,
      "Math.fround",
      "var f = Math.fround(x);",
      "var f32 = new Float32Array(1); f32[0] = x; var f = f32[0];",
    ),
    missing(R.math, "Math.sinh", "var v = Math.sinh(x);", "var v = (Math.exp(x) - Math.exp(-x)) / 2;"),
    missing(R.math, "Math.cosh", "var v = Math.cosh(x);", "var v = (Math.exp(x) + Math.exp(-x)) / 2;"),
    missing(
      R.math,
      "Math.tanh",
      "var v = Math.tanh(x);",
      "var v = (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1);",
    ),
    missing(R.math, "Math.asinh", "var v = Math.asinh(x);", "var v = Math.log(x + Math.sqrt(x * x + 1));"),
    missing(R.math, "Math.acosh", "var v = Math.acosh(x);", "var v = Math.log(x + Math.sqrt(x * x - 1));"),
    missing(R.math, "Math.atanh", "var v = Math.atanh(x);", "var v = 0.5 * Math.log((1 + x) / (1 - x));"),
    missing(R.math, "Math.expm1", "var v = Math.expm1(x);", "var v = Math.exp(x) - 1;"),
    missing(R.math, "Math.log1p", "var v = Math.log1p(x);", "var v = Math.log(1 + x);"),
    missing(R.math, "Math.clz32", "var v = Math.clz32(x);", "var v = 32; while (x) { x >>>= 1; v--; }"),
    missing(
      R.math,
      "Math.imul",
      "var v = Math.imul(a, b);",
      "var v = ((a & 0xffff) * b + ((((a >>> 16) * b) & 0xffff) << 16)) | 0;",
    ),
    {
      name: "Math.trunc through a computed string key",
      bad: 'var t = Math["trunc"](x);',
      expected: [[R.math, "Math"]],
      good: "var t = x < 0 ? Math.ceil(x) : Math.floor(x);",
    },
  ]);

  it("accepts the Math functions Espruino has", () => {
    expect(violationsOf("Math.sign(x) + Math.floor(x) + Math.pow(x, 2) + Math.atan2(y, x);")).toEqual([]);
  });

  it("accepts a polyfill and its use", () => {
    expect(
      violationsOf(
        "Math.trunc = function (x) { return x < 0 ? Math.ceil(x) : Math.floor(x); }; Math.trunc(2.5);",
      ),
    ).toEqual([]);
  });

  it("gives the spelled-out alternative", () => {
    const [violation] = checkScript("Math.trunc(x);").violations;
    expect(violation?.alternative).toBe("x < 0 ? Math.ceil(x) : Math.floor(x)");
  });
});

describe("missing Object functions", () => {
  testRuleCases([
    missing(R.object, "Object.freeze", "var c = Object.freeze({ a: 1 });", "var c = { a: 1 };"),
    missing(R.object, "Object.seal", "var c = Object.seal({ a: 1 });", "var c = { a: 1 };"),
    missing(R.object, "Object.isFrozen", "var f = Object.isFrozen(o);", "var f = false;"),
    missing(R.object, "Object.isSealed", "var s = Object.isSealed(o);", "var s = false;"),
  ]);

  it("accepts the Object functions Espruino has", () => {
    expect(violationsOf("Object.assign({}, Object.keys(o), Object.entries(o), Object.values(o));")).toEqual(
      [],
    );
  });
});

describe("missing Promise functions", () => {
  testRuleCases([
    missing(
      R.promise,
      "Promise.race",
      "var first = Promise.race([a, b]);",
      "var first = new Promise(function (resolve, reject) { a.then(resolve, reject); b.then(resolve, reject); });",
    ),
    missing(
      R.promise,
      "Promise.allSettled",
      "var all = Promise.allSettled([a, b]);",
      "function settle(p) { return p.then(function (v) { return { value: v }; }, function (e) { return { reason: e }; }); } var all = Promise.all([settle(a), settle(b)]);",
    ),
    missing(
      R.promise,
      "Promise.any",
      "var any = Promise.any([a, b]);",
      "var any = new Promise(function (resolve) { a.then(resolve); b.then(resolve); });",
    ),
    {
      name: ".finally()",
      bad: "p.then(use).finally(close);",
      expected: [[R.promise, "finally"]],
      good: "p.then(use).then(function (v) { close(); return v; }, function (e) { close(); throw e; });",
    },
  ]);

  it("accepts Promise.all, then and catch", () => {
    expect(violationsOf("Promise.all([a]).then(f).catch(g); Promise.resolve(1);")).toEqual([]);
  });
});

describe("missing Date and String functions", () => {
  testRuleCases([
    missing(
      R.date,
      "Date.UTC",
      "var ms = Date.UTC(2024, 0, 1);",
      "function daysFromCivil(y, m, d) { y -= m <= 2 ? 1 : 0; var era = Math.floor(y / 400); var yoe = y - era * 400; var doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1; return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468; } var ms = daysFromCivil(2024, 1, 1) * 86400000;",
    ),
    {
      name: "String.raw",
      bad: 'var s = String.raw({ raw: ["a\\\\b"] });',
      expected: [[R.string, "String.raw"]],
      good: 'var s = "a\\\\b";',
    },
    missing(
      R.string,
      "String.fromCodePoint",
      "var c = String.fromCodePoint(65);",
      "var c = String.fromCharCode(65);",
    ),
    {
      name: ".codePointAt()",
      bad: "var code = s.codePointAt(0);",
      expected: [[R.string, "codePointAt"]],
      good: "var code = s.charCodeAt(0);",
    },
  ]);

  it("flags String.raw used as a template tag twice over (same place, sorted by rule)", () => {
    expect(checkScript("String.raw`a`;").violations.map((v) => v.rule)).toEqual([
      R.string,
      "syntax/tagged-template",
    ]);
  });
});
