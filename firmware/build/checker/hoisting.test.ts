import { describe, expect, it } from "vitest";
import { HOISTING_RULES as R } from "./hoisting.ts";
import { checkScript } from "./index.ts";
import { positionOf, testRuleCases, violationsOf } from "./test-helpers.ts";

describe("no hoisting", () => {
  testRuleCases([
    {
      name: "a call before the function declaration",
      bad: "main(); function main() { return 1; }",
      expected: [[R.function, "main"]],
      good: "function main() { return 1; } main();",
    },
    {
      name: "a function passed as a value before its declaration",
      bad: "setInterval(tick, 1000); function tick() {}",
      expected: [[R.function, "tick"]],
      good: "function tick() {} setInterval(tick, 1000);",
    },
    {
      name: "a call in a nested block before the declaration",
      bad: "if (ready) { start(); } function start() {}",
      expected: [[R.function, "start"]],
      good: "function start() {} if (ready) { start(); }",
    },
    {
      name: "a call in an immediately invoked function before the declaration",
      bad: "(function () { setup(); })(); function setup() {}",
      expected: [[R.function, "setup"]],
      good: "function setup() {} (function () { setup(); })();",
    },
    {
      name: "a call in an immediately invoked arrow function before the declaration",
      bad: "(() => { setup(); })(); function setup() {}",
      expected: [[R.function, "setup"]],
      good: "function setup() {} (() => { setup(); })();",
    },
    {
      name: "a call before a declaration inside a function",
      bad: "function outer() { inner(); function inner() {} } outer();",
      expected: [[R.function, "inner"]],
      good: "function outer() { function inner() {} inner(); } outer();",
    },
    {
      name: "a class used before its declaration",
      bad: "var a = new Clock(); class Clock {}",
      expected: [[R.class, "Clock"]],
      good: "class Clock {} var a = new Clock();",
    },
    {
      name: "a superclass declared after its subclass",
      bad: "class Gps extends Device {} class Device {}",
      expected: [[R.class, "Device"]],
      good: "class Device {} class Gps extends Device {}",
    },
    {
      name: "a call in a static field initializer (runs at class definition)",
      bad: "class A { static x = make(); } function make() { return 1; }",
      expected: [[R.function, "make"]],
      good: "function make() { return 1; } class A { static x = make(); }",
    },
  ]);

  it("accepts uses inside functions that run later", () => {
    const code = [
      "function start() { helper(); return new Store(); }",
      "var later = () => helper();",
      "class A { x = helper(); run() { return helper(); } }",
      "function helper() {}",
      "class Store {}",
      "start();",
    ].join("\n");
    expect(violationsOf(code)).toEqual([]);
  });

  it("follows the binding, not the name", () => {
    const code = "function g(f) { return f(); } g(h); function f() {} function h() {}";
    expect(violationsOf(code)).toEqual([`${R.function}@${positionOf(code, "h)")}`]);
  });

  it("says to move the declaration", () => {
    const [violation] = checkScript("main(); function main() {}").violations;
    expect(violation?.construct).toBe("use of function main before its declaration");
    expect(violation?.alternative).toContain("move the declaration of main above this use");
  });
});
