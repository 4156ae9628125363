import { describe, expect, it } from "vitest";
import { BoardTimebase } from "./timebase.ts";
import { FixedRateClock, rig, stm32Profile, testProfile } from "./testkit.ts";

const Q = 1 / 32768;
const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
const profileWithSetTime = (kind: "exact" | "whole-seconds" | "no-op", quantumS = Q) => {
  const base = testProfile();
  return testProfile({
    timebase: {
      ...base.timebase,
      quantumS: { value: quantumS, source: "test" },
      setTime: { value: kind, source: "test" },
    },
  });
};

describe("getTime() and setTime()", () => {
  it("getTime() is the board clock's local time, floored to the timebase quantum", () => {
    const r = rig({ clock: new FixedRateClock(50e-6, 100) });
    r.board.run(`var times = []; setTimeout(function () { times.push(getTime(), Date.now()); }, 1234.5678);`);
    r.scheduler.runUntil(3);
    const [t, ms] = json(r.board.global("times")) as number[];
    expect((t as number) / Q).toBe(Math.floor((t as number) / Q)); // on the 1/32768 s grid
    expect(t).toBeGreaterThanOrEqual(100 + 1.2345678);
    expect(t).toBeLessThan(100 + 1.2345678 + Q + 2e-4); // + one quantum + task cost
    expect(ms).toBe((t as number) * 1000); // Date.now() reads the same clock
    expect(r.board.getTimeS()).toBe(Math.floor(((100 + 3 * (1 + 50e-6)) * 32768) | 0) / 32768);
  });

  it("exact setTime (nRF52, ESP) sets the reading now, sub-seconds included", () => {
    const r = rig({ profile: profileWithSetTime("exact", 1e-6) });
    r.board.run(`setTime(1700000000.25); var after = getTime();`);
    expect(r.board.global("after")).toBeCloseTo(1700000000.25, 5);
    r.scheduler.runUntil(10);
    expect(r.board.getTimeS()).toBeCloseTo(1700000010.25, 5);
  });

  it("whole-seconds setTime (STM32 RTC) keeps the prescaler's fraction", () => {
    const r = rig({ profile: profileWithSetTime("whole-seconds", 2 ** -20) });
    r.scheduler.runUntil(3.375);
    r.board.run(`var before = getTime(); setTime(1700000000.9); var after = getTime();`);
    const before = r.board.global("before") as number;
    const after = r.board.global("after") as number;
    expect(before).toBeCloseTo(3.375, 6);
    expect(after).toBeCloseTo(1700000000.375, 6); // .9 lost, .375 kept
  });

  it("no-op setTime (Linux) changes nothing", () => {
    const r = rig({ profile: profileWithSetTime("no-op", 1e-6) });
    r.scheduler.runUntil(2);
    r.board.run(`setTime(1e9); var after = getTime();`);
    expect(r.board.global("after")).toBeCloseTo(2, 6);
  });

  it("edges still queued across setTime() are rebuilt against the new time and come out wrong", () => {
    const r = rig({ profile: profileWithSetTime("exact", 1e-6) });
    r.board.run(`var times = [];
      setWatch(function (e) { times.push(e.time); }, "D2", { repeat: true, edge: "rising" });`);
    r.scheduler.at(0.9, () => r.board.stall(0.3)); // busy from 0.9 to 1.2
    r.scheduler.at(1, () => r.board.pins.edge("D2", true, 1));
    r.scheduler.at(1.1, () => r.board.pins.edge("D2", false, 1.1));
    // setTime runs after the stall, before the loop gets to the queued edge
    r.scheduler.at(1.15, () => r.board.run(`setTime(5000);`));
    r.scheduler.at(2, () => r.board.pins.edge("D2", true, 2));
    r.scheduler.runUntil(3);
    const [queuedAcross, afterwards] = json(r.board.global("times")) as number[];
    // correct would be 5000 - 0.15 + 10 µs; the low 32 bits rebuilt against the new high bits are far off
    expect(Math.abs((queuedAcross as number) - (5000 - 0.15))).toBeGreaterThan(100);
    expect(afterwards).toBeCloseTo(5000 + 0.85 + 10e-6, 5);
  });

  it("low 32 bits rebuild: correct across a wrap, against the current high bits", () => {
    const wrap = 4294967296;
    expect(BoardTimebase.rebuild(BoardTimebase.low32(3 * wrap + 5), 3 * wrap + 100)).toBe(3 * wrap + 5);
    expect(BoardTimebase.rebuild(BoardTimebase.low32(3 * wrap - 5), 3 * wrap + 100)).toBe(3 * wrap - 5);
  });
});

describe("timers", () => {
  it("run on the board clock: a clock 100 ppm fast fires a 1000 ms timeout ~100 µs early in true time", () => {
    const profile = stm32Profile({ console: { device: "Serial2", baud: 9600, source: "test" } });
    const r = rig({ profile, fractionalFrequency: 100e-6, capture: ["USB"] });
    r.board.run(`setTimeout(function () { USB.write("x"); }, 1000);`);
    r.scheduler.runUntil(2);
    const writes = r.tx.get("USB") ?? [];
    expect(writes).toHaveLength(1);
    const firedTrueS = (writes[0]?.trueTimeS as number) - 1e-6; // minus one USB byte time
    expect(firedTrueS).toBeCloseTo(1 / (1 + 100e-6), 6);
    expect(1 - firedTrueS).toBeGreaterThan(99e-6);
  });

  it("fire on the first counter step at or after the due time (nRF52 RTC: 30.5 µs steps)", () => {
    const r = rig();
    r.board.run(`var at = []; setTimeout(function () { at.push(getTime()); }, 1.0001);`);
    r.scheduler.runUntil(1);
    expect(json(r.board.global("at"))).toEqual([Math.ceil(0.0010001 / Q) * Q]);
  });

  it("intervals re-arm from their due time, so a busy loop does not make them drift", () => {
    const r = rig();
    r.board.run(`var at = []; setInterval(function () { at.push(getTime()); }, 100);`);
    r.scheduler.at(0.29, () => r.board.stall(0.03)); // delays the 0.3 s run only
    r.scheduler.runUntil(0.55);
    const at = json(r.board.global("at")) as number[];
    expect(at).toHaveLength(5);
    expect(at[2]).toBeCloseTo(0.32, 3); // late
    expect(at[3]).toBeCloseTo(0.4, 3); // back on the grid
  });

  it("keep running across setTime() (Espruino shifts them)", () => {
    const r = rig({ profile: profileWithSetTime("exact", 1e-6) });
    r.board.run(`var fired = -1; setTimeout(function () { fired = getTime(); }, 1000); setTime(100);`);
    r.scheduler.runUntil(2);
    expect(r.board.global("fired")).toBeCloseTo(101, 3);
  });

  it("clearTimeout of an unknown id throws; ids are reused once the highest timer is gone", () => {
    const r = rig();
    r.board.run(`var ids = [];
      ids.push(setTimeout(function () {}, 10));
      ids.push(setTimeout(function () {}, 20));
      clearTimeout(ids[1]);
      ids.push(setTimeout(function () {}, 30));`);
    expect(json(r.board.global("ids"))).toEqual([1, 2, 2]);
    r.scheduler.runUntil(1);
    r.board.run(`clearTimeout(1);`);
    expect(r.board.uncaughtErrors.map((e) => e.text)).toEqual(["Uncaught Error: Unknown Timeout"]);
  });

  it("pass extra arguments and allow clearing themselves", () => {
    const r = rig();
    r.board.run(
      `var got = []; var id = setInterval(function (a, b) { got.push(a + b); if (got.length === 3) clearInterval(id); }, 10, 2, 3);`,
    );
    r.scheduler.runUntil(1);
    expect(json(r.board.global("got"))).toEqual([5, 5, 5]);
    expect(r.board.uncaughtErrors).toEqual([]);
  });
});
