import { describe, expect, it } from "vitest";
import { checkScript } from "./index.ts";
import { LOOP_CAPTURE_RULE as RULE } from "./loop-capture.ts";
import { positionOf, testRuleCases, violationsOf } from "./test-helpers.ts";

const HELPER = "function later(j) { return function () { log(j); }; }\n";

describe("loop variables captured by closures", () => {
  testRuleCases([
    {
      name: "a for-let variable in a function expression",
      bad: "for (let i = 0; i < 3; i++) { setTimeout(function () { log(i); }, 10); }",
      expected: [[RULE, "i)"]],
      good: HELPER + "for (let i = 0; i < 3; i++) { setTimeout(later(i), 10); }",
    },
    {
      name: "a for-of const in an arrow function",
      bad: "for (const pin of pins) setWatch(() => log(pin), pin);",
      expected: [[RULE, "pin)"]],
      good: HELPER + "for (const pin of pins) setWatch(later(pin), pin);",
    },
    {
      name: "a for-in const in a method",
      bad: "for (const key in table) handlers.push({ run() { return key; } });",
      expected: [[RULE, "key;"]],
      good: "function handlerFor(k) { return { run() { return k; } }; }\nfor (const key in table) handlers.push(handlerFor(key));",
    },
    {
      name: "a let declared in a while body",
      bad: "while (more()) { let v = next(); queue(() => v); }",
      expected: [[RULE, "v)"]],
      good: "function deliver(x) { return () => x; }\nwhile (more()) { let v = next(); queue(deliver(v)); }",
    },
    {
      name: "a const in a block nested in a do-while body",
      bad: "do { if (ok) { const c = read(); later(function () { use(c); }); } } while (ok);",
      expected: [[RULE, "c)"]],
      good: "function useLater(x) { return function () { use(x); }; }\ndo { if (ok) { const c = read(); later(useLater(c)); } } while (ok);",
    },
    {
      name: "a loop variable in a function declaration inside the loop",
      bad: "for (let n = 0; n < 2; n++) { function show() { return n; } run(show); }",
      expected: [[RULE, "n; }"]],
      good: "function showOf(k) { return function () { return k; }; }\nfor (let n = 0; n < 2; n++) { run(showOf(n)); }",
    },
    {
      name: "a loop variable in a class method inside the loop",
      bad: "for (const id of ids) { items.push(new (class { get() { return id; } })()); }",
      expected: [[RULE, "id; }"]],
      good: "class Item { constructor(id) { this.id = id; } get() { return this.id; } }\nfor (const id of ids) { items.push(new Item(id)); }",
    },
  ]);

  it("reports each variable once", () => {
    const code = "for (let i = 0; i < 3; i++) { a(() => i); b(() => i + i); }";
    expect(violationsOf(code)).toEqual([`${RULE}@${positionOf(code, "i)")}`]);
  });

  it("accepts var loops, closures that do not capture, and immediately invoked functions", () => {
    const code = [
      "for (var i = 0; i < 3; i++) fns.push(function () { return i; });",
      "for (let j = 0; j < 3; j++) total += j;",
      "for (const k of ks) (function (copy) { fns.push(() => copy); })(k);",
      "for (const m of ms) (() => use(m))();",
      "for (;;) { run(function () { let y = 1; return () => y; }); break; }",
      "let outside = 1; for (;;) { fns.push(() => outside); break; }",
    ].join("\n");
    expect(violationsOf(code)).toEqual([]);
  });

  it("explains the Espruino behaviour and the fix", () => {
    const [violation] = checkScript("for (let i = 0; i < 3; i++) f(() => i);").violations;
    expect(violation?.construct).toBe("closure capturing loop variable i");
    expect(violation?.alternative).toContain("every closure sees the last value");
    expect(violation?.alternative).toContain("helper function that returns the closure");
  });
});
