import { describe, expect, it } from "vitest";
import { checkScript } from "./index.ts";
import { SYNTAX_RULES as R } from "./syntax.ts";
import { testRuleCases } from "./test-helpers.ts";

describe("syntax rules", () => {
  testRuleCases([
    {
      name: "object destructuring in a declaration",
      bad: "var { a, b } = point;",
      expected: [[R.destructuring, "{ a"]],
      good: "var a = point.a, b = point.b;",
    },
    {
      name: "array destructuring in a declaration",
      bad: "var [x, y] = pair;",
      expected: [[R.destructuring, "[x"]],
      good: "var x = pair[0], y = pair[1];",
    },
    {
      name: "destructuring in a parameter",
      bad: "function f({ a }) { return a; }",
      expected: [[R.destructuring, "{ a"]],
      good: "function f(o) { return o.a; }",
    },
    {
      name: "destructuring in an assignment",
      bad: "var a; ({ a } = o);",
      expected: [[R.destructuring, "{ a"]],
      good: "var a; a = o.a;",
    },
    {
      name: "destructuring in a for-of head",
      bad: "for (var [k, v] of pairs) use(k, v);",
      expected: [[R.destructuring, "[k"]],
      good: "for (var p of pairs) use(p[0], p[1]);",
    },
    {
      name: "destructuring in a catch parameter",
      bad: "try { f(); } catch ({ message }) { log(message); }",
      expected: [[R.destructuring, "{ message"]],
      good: "try { f(); } catch (e) { log(e.message); }",
    },
    {
      name: "spread in a call",
      bad: "f(...args);",
      expected: [[R.spread, "..."]],
      good: "f.apply(null, args);",
    },
    {
      name: "spread in an array",
      bad: "var all = [...a, 1];",
      expected: [[R.spread, "..."]],
      good: "var all = a.concat([1]);",
    },
    {
      name: "spread in an object",
      bad: "var c = { ...a, b: 1 };",
      expected: [[R.spread, "..."]],
      good: "var c = Object.assign({}, a, { b: 1 });",
    },
    {
      name: "a rest parameter",
      bad: "function f(first, ...others) { return others; }",
      expected: [[R.rest, "..."]],
      good: "function f(first) { return [].slice.call(arguments, 1); }",
    },
    {
      name: "a rest element in array destructuring",
      bad: "var [h, ...t] = list;",
      expected: [
        [R.destructuring, "[h"],
        [R.rest, "..."],
      ],
      good: "var h = list[0], t = list.slice(1);",
    },
    {
      name: "a default parameter",
      bad: "function f(x = 1) { return x; }",
      expected: [[R.defaultValue, "x = 1"]],
      good: "function f(x) { if (x === undefined) x = 1; return x; }",
    },
    {
      name: "a default value in destructuring",
      bad: "var { a = 1 } = o;",
      expected: [
        [R.destructuring, "{ a"],
        [R.defaultValue, "a = 1"],
      ],
      good: "var a = o.a === undefined ? 1 : o.a;",
    },
    {
      name: "a computed key in an object literal",
      bad: "var o = { [key]: 1 };",
      expected: [[R.computedKey, "[key]"]],
      good: "var o = {}; o[key] = 1;",
    },
    {
      name: "a computed class method name",
      bad: "class A { [name]() { return 1; } }",
      expected: [[R.computedKey, "[name]"]],
      good: "class A {} A.prototype[name] = function () { return 1; };",
    },
    {
      name: "a computed class field name",
      bad: "class A { static [k] = 1; }",
      expected: [[R.computedKey, "static"]],
      good: "class A {} A[k] = 1;",
    },
    {
      name: "the ** operator",
      bad: "var y = x ** 2;",
      expected: [[R.exponentiation, "x ** 2"]],
      good: "var y = Math.pow(x, 2);",
    },
    {
      name: "the **= operator",
      bad: "x **= 2;",
      expected: [[R.exponentiation, "x **="]],
      good: "x = Math.pow(x, 2);",
    },
    {
      name: "optional member access",
      bad: "var n = a?.b;",
      expected: [[R.optionalChaining, "a?.b"]],
      good: "var n = a == null ? undefined : a.b;",
    },
    {
      name: "an optional call",
      bad: "f?.();",
      expected: [[R.optionalChaining, "f?."]],
      good: "if (f) f();",
    },
    {
      name: "an async function",
      bad: "async function load() { return 1; }",
      expected: [[R.async, "async"]],
      good: "function load() { return Promise.resolve(1); }",
    },
    {
      name: "an async arrow function",
      bad: "var load = async () => 1;",
      expected: [[R.async, "async"]],
      good: "var load = () => Promise.resolve(1);",
    },
    {
      name: "an async method",
      bad: "var o = { async load() { return 1; } };",
      expected: [[R.async, "async"]],
      good: "var o = { load() { return Promise.resolve(1); } };",
    },
    {
      name: "await",
      bad: "async function g() { await p; done(); }",
      expected: [
        [R.async, "async"],
        [R.async, "await"],
      ],
      good: "function g() { return p.then(function () { done(); }); }",
    },
    {
      name: "top-level await (module)",
      bad: "await p; done();",
      expected: [[R.async, "await"]],
      good: "p.then(function () { done(); });",
    },
    {
      name: "for await",
      bad: "async function g() { for await (var x of xs) use(x); }",
      expected: [
        [R.async, "async"],
        [R.async, "for await"],
      ],
      good: "function g() { return Promise.all(xs).then(function (values) { values.forEach(use); }); }",
    },
    {
      name: "a generator and yield",
      bad: "function* count() { yield 1; }",
      expected: [
        [R.generator, "function*"],
        [R.generator, "yield"],
      ],
      good: "function count(callback) { callback(1); }",
    },
    {
      name: "a generator method",
      bad: "class Bag { *items() { return; } }",
      expected: [[R.generator, "*items"]],
      good: "class Bag { items(callback) { return; } }",
    },
    {
      name: "a label",
      bad: "outer: for (;;) { for (;;) { break outer; } }",
      expected: [[R.label, "outer:"]],
      good: "function scan() { for (;;) { for (;;) { return; } } } scan();",
    },
    {
      name: "a tagged template",
      bad: "var s = tag`a${b}`;",
      expected: [[R.taggedTemplate, "tag`"]],
      good: 'var s = tag(["a", ""], b);',
    },
  ]);

  it("says what to write instead", () => {
    const [violation] = checkScript("var { a } = o;").violations;
    expect(violation).toMatchObject({
      construct: "destructuring",
      alternative: "read the properties one by one",
    });
  });

  it("accepts the modern syntax Espruino does run", () => {
    const code = [
      "const f = (a, b) => a + b;",
      "class A { x = 1; get y() { return this.x; } static make() { return new A(); } }",
      "class B extends A { constructor() { super(); } }",
      "let s = `${f(1, 2)} items`;",
      "for (const c of 'abc') s += c;",
      "var n = null ?? 1_000;",
      "try { f(); } catch { s = ''; }",
      "var o = { get v() { return 1; }, m() { return 2; } };",
    ].join("\n");
    expect(checkScript(code).violations).toEqual([]);
  });
});
