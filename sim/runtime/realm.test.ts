import { describe, expect, it } from "vitest";
import { rig } from "./testkit.ts";

const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/** Each expression must throw inside the context, as it would on a board. */
const MISSING = [
  "new Map()",
  "new Set()",
  "new WeakMap()",
  "new WeakSet()",
  "new WeakRef({})",
  "Symbol('x')",
  "new Proxy({}, {})",
  "Reflect.ownKeys({})",
  "BigInt(1)",
  "Array.from([1])",
  "Array.of(1)",
  "Number.isInteger(1)",
  "Number.isFinite(1)",
  "Number.isNaN(1)",
  "Number.isSafeInteger(1)",
  "Number.EPSILON.toFixed(1)",
  "Number.MAX_SAFE_INTEGER.toFixed(1)",
  "Number.MIN_SAFE_INTEGER.toFixed(1)",
  "Math.trunc(1.5)",
  "Math.log2(8)",
  "Math.log10(100)",
  "Math.cbrt(8)",
  "Math.hypot(3, 4)",
  "Math.fround(1.5)",
  "Math.sinh(1)",
  "Math.imul(2, 3)",
  "Math.clz32(1)",
  "Object.freeze({})",
  "Object.seal({})",
  "Promise.resolve(1).finally(function () {})",
  "Promise.race([])",
  "Promise.allSettled([])",
  "Promise.any([])",
  "Date.UTC(2020, 0, 1)",
  "String.raw`x`",
  "'a'.codePointAt(0)",
  "String.fromCodePoint(65)",
  "[[1]].flat()",
  "[1].flatMap(function (x) { return [x]; })",
  "[1, 2].lastIndexOf(1)",
  "(5).constructor.EPSILON.toFixed(1)",
];

describe("the firmware's realm", () => {
  it("lacks the built-ins Espruino lacks: using them throws inside the context", () => {
    const r = rig();
    r.board.run("var ok = 0;");
    for (const expr of MISSING) r.board.run(`${expr}; ok++;`, "missing.js");
    expect(r.board.global("ok")).toBe(0);
    expect(r.board.uncaughtErrors).toHaveLength(MISSING.length);
    for (const e of r.board.uncaughtErrors) expect(e.text).toMatch(/^Uncaught (TypeError|ReferenceError): /);
  });

  it("keeps what Espruino has", () => {
    const r = rig();
    r.board.run(`var v = [
      Math.round(2.5), Math.sign(-3), [1, 2, 3].includes(2), [1, 2].find(function (x) { return x > 1; }),
      "ab".padStart(4, "-"), Object.keys({ a: 1 }).length, new Float64Array(2).length, typeof Promise.all,
      Number("42"), new Number(5) instanceof Number, (5).constructor === Number, JSON.stringify({ a: [1] }),
      typeof global, parseInt("ff", 16), Number.MAX_VALUE > 1
    ];`);
    expect(r.board.uncaughtErrors).toEqual([]);
    expect(json(r.board.global("v"))).toEqual([
      3,
      -1,
      true,
      2,
      "--ab",
      1,
      2,
      "function",
      42,
      true,
      true,
      '{"a":[1]}',
      "object",
      255,
      true,
    ]);
  });

  it("records uncaught errors and prints them like Espruino, without throwing into the lab", () => {
    const r = rig({ capture: ["Serial1"] });
    r.board.writeFile(
      ".bootcde",
      `setTimeout(function () { undefinedFunction(); }, 5); setTimeout(function () { throw "plain"; }, 10);`,
    );
    r.board.boot();
    expect(() => r.scheduler.runUntil(1)).not.toThrow();
    expect(r.board.uncaughtErrors.map((e) => e.text)).toEqual([
      "Uncaught ReferenceError: undefinedFunction is not defined",
      "Uncaught plain",
    ]);
    expect(r.board.uncaughtErrors[0]?.trueTimeS).toBeCloseTo(0.005, 3);
    expect(r.text("Serial1")).toContain("Uncaught ReferenceError: undefinedFunction is not defined\r\n");
    expect(r.truth.of("espruino.uncaught")).toHaveLength(2);
  });

  it("a syntax error in the boot code is an uncaught error too", () => {
    const r = rig();
    r.board.writeFile(".bootcde", "var x = ;");
    r.board.boot();
    expect(r.board.uncaughtErrors[0]?.text).toMatch(/^Uncaught SyntaxError: /);
  });

  it("Date and Math.random come from the board clock and the seeded generator, never the host", () => {
    const a = rig({ seed: 9 });
    const b = rig({ seed: 9 });
    for (const r of [a, b]) {
      r.scheduler.runUntil(12.5);
      r.board.run(
        `var d = new Date().getTime(); var r1 = Math.random(); var r2 = Math.random(); var parsed = new Date(0).getTime();`,
      );
    }
    expect(a.board.global("d")).toBe(12500);
    expect(a.board.global("parsed")).toBe(0);
    expect(a.board.global("r1")).toBe(b.board.global("r1"));
    expect(a.board.global("r1")).not.toBe(a.board.global("r2"));
  });

  it("runs promise callbacks within the task that resolved them, on virtual time", () => {
    const r = rig();
    r.board.run(`var log = [];
      var p = new Promise(function (resolve) { setTimeout(function () { resolve(getTime()); }, 100); });
      p.then(function (t) { log.push(["then", t, getTime()]); });
      Promise.all([p]).then(function () { log.push(["all"]); });`);
    r.scheduler.runUntil(1);
    const log = json(r.board.global("log")) as unknown[][];
    expect(log.map((e) => e[0])).toEqual(["then", "all"]);
    expect(log[0]?.[1]).toBeCloseTo(0.1, 3);
    expect(log[0]?.[2]).toBe(log[0]?.[1]);
  });

  it("reports a rejection nobody handles instead of letting Node see it", () => {
    const r = rig();
    r.board.run(
      `Promise.reject(new Error("nope")); Promise.reject(new Error("handled")).catch(function () {});`,
    );
    r.scheduler.runUntil(1);
    expect(r.board.uncaughtErrors.map((e) => e.text)).toEqual(["Unhandled promise rejection: Error: nope"]);
  });

  it("top-level vars and functions are globals other scripts (and onInit) can see", () => {
    const r = rig({ capture: ["Serial1"] });
    r.board.writeFile(".boot0", `var shared = 1; function bump() { shared++; }`);
    r.board.writeFile(
      ".bootcde",
      `bump(); var viaGlobal = global.shared; function onInit() { print("onInit sees " + shared); }`,
    );
    r.board.boot();
    r.board.run(`bump(); shared = shared * 10;`);
    r.scheduler.runUntil(1);
    expect(r.board.global("shared")).toBe(30);
    expect(r.board.global("viaGlobal")).toBe(2);
    expect(r.text("Serial1")).toContain("Running onInit()...\r\nonInit sees 2\r\n");
  });
});

describe("Date in the firmware's realm", () => {
  it("uses UTC as local time (Espruino's default), whatever the host's time zone", () => {
    const r = rig();
    r.board
      .run(`var d = new Date(2024, 1, 29, 13, 5, 7); var v = [d.getTime(), d.getHours(), d.getTimezoneOffset(),
      new Date(0).getDate(), typeof Date.UTC];`);
    expect(json(r.board.global("v"))).toEqual([Date.UTC(2024, 1, 29, 13, 5, 7), 13, 0, 1, "undefined"]);
  });
});
