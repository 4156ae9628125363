import { describe, expect, it } from "vitest";
import { FlashStorage, STORAGE_FILE_HEADER_BYTES } from "./storage.ts";
import { rig } from "./testkit.ts";

const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe("FlashStorage", () => {
  it("a write at offset 0 with a size creates a file of that size filled with 0xFF", () => {
    const s = new FlashStorage(4096);
    expect(s.write("f", "abc", 0, 8)).toBe(true);
    expect(s.read("f")).toBe("abc\xff\xff\xff\xff\xff");
    expect(s.write("f", "de", 3)).toBe(true);
    expect(s.read("f")).toBe("abcde\xff\xff\xff");
    expect(s.read("f", 2, 3)).toBe("cde");
  });

  it("later writes may only fill bytes that are still 0xFF, and must stay inside the file", () => {
    const s = new FlashStorage(4096);
    s.write("f", "abc", 0, 6);
    expect(s.write("f", "X", 1)).toBe(false);
    expect(s.write("f", "b", 1)).toBe(true); // same bits: nothing to clear
    expect(s.write("f", "1234", 3)).toBe(false); // past the end
    expect(s.write("nofile", "x", 2)).toBe(false);
    expect(s.read("f")).toBe("abc\xff\xff\xff");
  });

  it("a plain write replaces the file; names are 1-28 chars; size is limited by the area", () => {
    const s = new FlashStorage(256);
    expect(s.write("f", "first")).toBe(true);
    expect(s.write("f", "second")).toBe(true);
    expect(s.read("f")).toBe("second");
    expect(s.write("x".repeat(28), "ok")).toBe(true);
    expect(s.write("x".repeat(29), "no")).toBe(false);
    expect(s.write("", "no")).toBe(false);
    const free = s.getFree();
    expect(free).toBe(256 - 2 * STORAGE_FILE_HEADER_BYTES - 8 - 4);
    expect(s.write("big", "z".repeat(free))).toBe(false); // needs a header too
    expect(s.write("big", "z".repeat(free - STORAGE_FILE_HEADER_BYTES))).toBe(true);
    expect(s.getFree()).toBe(0);
    s.erase("big");
    expect(s.getFree()).toBe(free);
    expect(s.read("big")).toBeUndefined();
  });

  it("lists in flash order, optionally filtered", () => {
    const s = new FlashStorage(4096, { ".bootcde": "x", log1: "a", cfg: "b" });
    expect(s.list()).toEqual([".bootcde", "log1", "cfg"]);
    expect(s.list((n) => n.startsWith("log"))).toEqual(["log1"]);
  });
});

describe("require('Storage') and boot", () => {
  it("exposes the Storage API to firmware, with a regex filter for list()", () => {
    const r = rig();
    r.board.run(`var S = require("Storage");
      var out = [S.write("cfg", "{}"), S.write("log", "ab", 0, 4), S.write("log", "cd", 2), S.read("log"),
        S.read("nope"), S.list(/^lo/), S.getFree() > 0];
      S.erase("cfg"); out.push(S.list());`);
    expect(json(r.board.global("out"))).toEqual([true, true, true, "abcd", null, ["log"], true, ["log"]]);
    expect(r.board.readFile("log")).toBe("abcd");
  });

  it("boot() runs .bootcde, then E.on('init') handlers, then onInit()", () => {
    const r = rig();
    r.board.writeFile(
      ".bootcde",
      `var order = ["code"]; E.on("init", function () { order.push("init"); }); function onInit() { order.push("onInit"); }`,
    );
    r.board.boot();
    expect(json(r.board.global("order"))).toEqual(["code", "init", "onInit"]);
  });

  it("load() reboots: fresh context, watches/timers gone, .bootcde again; Storage survives", () => {
    const r = rig();
    r.board.writeFile(
      ".bootcde",
      `var S = require("Storage"); var n = Number(S.read("count") || "0") + 1;
      S.write("count", String(n)); var ticks = 0; setInterval(function () { ticks++; }, 100);`,
    );
    r.board.boot();
    r.board.run(`var fromRam = 1; setWatch(function () {}, "D2", { repeat: true });`);
    r.scheduler.runUntil(1);
    expect(r.board.global("ticks")).toBe(10);
    r.board.run(`load();`);
    r.scheduler.runUntil(1.05);
    expect(r.board.global("fromRam")).toBeUndefined();
    expect(r.board.global("n")).toBe(2);
    expect(r.board.global("ticks")).toBe(0);
    r.board.pins.edge("D2", true, 1.05);
    r.scheduler.runUntil(2);
    expect(r.board.global("ticks")).toBe(9);
    expect(r.board.stats.interrupts).toBe(0); // the watch was removed
    expect(r.board.uncaughtErrors).toEqual([]);
  });

  it("reset() starts an empty interpreter without running saved code; reset(true) erases it", () => {
    const r = rig();
    r.board.writeFile(".bootcde", `var booted = true;`);
    r.board.boot();
    expect(r.board.global("booted")).toBe(true);
    r.board.run(`reset();`);
    r.scheduler.runUntil(0.1);
    expect(r.board.global("booted")).toBeUndefined();
    expect(r.board.readFile(".bootcde")).toBe("var booted = true;");
    r.board.run(`reset(true);`);
    r.scheduler.runUntil(0.2);
    expect(r.board.readFile(".bootcde")).toBeUndefined();
  });

  it("load() stops the code that called it and runs E.on('kill') first", () => {
    const r = rig({ capture: ["Serial1"] });
    r.board.writeFile(".bootcde", `var boots = 1;`);
    r.board.run(`E.on("kill", function () { print("kill"); }); load(); print("not reached");`);
    r.scheduler.runUntil(1);
    expect(r.text("Serial1")).toContain("kill\r\n");
    expect(r.text("Serial1")).not.toContain("not reached");
    expect(r.board.global("boots")).toBe(1);
  });
});
