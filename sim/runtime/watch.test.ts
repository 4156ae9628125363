import { describe, expect, it } from "vitest";
import { rig, stm32Profile, testProfile } from "./testkit.ts";

const Q = 1 / 32768; // nRF52 quantum of the test profile
const LATENCY = 10e-6;
const quantised = (t: number): number => Math.floor(t / Q) * Q;
const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/** Square pulses on D2: rising at each start, falling widthS later. */
function pulses(r: ReturnType<typeof rig>, starts: number[], widthS: number, pin = "D2"): void {
  for (const t of starts) {
    r.scheduler.at(t, () => r.board.pins.edge(pin, true, t));
    r.scheduler.at(t + widthS, () => r.board.pins.edge(pin, false, t + widthS));
  }
}

const RECORD_RISING = `
var events = [];
setWatch(function (e) { events.push([e.state, e.time, e.lastTime, e.pin, getTime()]); }, "D2",
  { repeat: true, edge: "rising", debounce: 0 });
`;

describe("setWatch: interrupts, timestamps and the IO queue", () => {
  it("timestamps rising edges in the interrupt and reports the falling edge as lastTime", () => {
    const r = rig();
    r.board.run(RECORD_RISING);
    pulses(r, [1, 2, 3], 0.1);
    r.scheduler.runUntil(4);
    const events = json(r.board.global("events")) as [boolean, number, number | null, string, number][];
    expect(events).toHaveLength(3);
    events.forEach(([state, time, , pin], i) => {
      expect(state).toBe(true);
      expect(pin).toBe("D2");
      expect(time).toBe(quantised(i + 1 + LATENCY));
    });
    expect(events[0]?.[2]).toBeNull(); // undefined before the first event
    expect(events[1]?.[2]).toBe(quantised(1.1 + LATENCY));
    expect(events[2]?.[2]).toBe(quantised(2.1 + LATENCY));
    // both edges went through the queue: 6 interrupts for 3 callbacks
    expect(r.board.stats.interrupts).toBe(6);
    const irqs = r.truth.of("espruino.irq");
    expect(irqs).toHaveLength(6);
    expect(irqs[0]).toMatchObject({ pin: "D2", state: true, edgeTrueS: 1, queued: true });
    expect(irqs[0]?.["recordedLocalS"]).toBe(quantised(1 + LATENCY));
  });

  it("a busy main loop delays the callback but not e.time", () => {
    const r = rig();
    r.board.run(RECORD_RISING);
    pulses(r, [1], 0.1);
    r.scheduler.at(0.9, () => r.board.stall(0.5));
    r.scheduler.runUntil(2);
    const events = json(r.board.global("events")) as [boolean, number, null, string, number][];
    const [, time, , , seenAt] = events[0] ?? [];
    expect(time).toBe(quantised(1 + LATENCY));
    expect(seenAt).toBeGreaterThanOrEqual(1.4 - Q);
  });

  it("falling edges of a rising watch take queue space too: a full queue drops events and raises FIFO_FULL", () => {
    // 60 bytes = 10 watch events; 6 pulses = 12 edges queue while the loop is stalled.
    const profile = testProfile({ ioQueueBytes: { value: 60, source: "test" } });
    const r = rig({ profile, capture: ["Serial1"] });
    r.board.run(RECORD_RISING + "var flags = [];");
    r.scheduler.at(0.5, () => r.board.stall(10));
    pulses(r, [1, 2, 3, 4, 5, 6], 0.1);
    r.scheduler.runUntil(7);
    expect(r.board.errorFlags).toEqual(["FIFO_FULL"]);
    expect(r.board.stats.watchEventsDropped).toBe(2);
    expect(r.truth.of("espruino.io-drop")).toHaveLength(2);
    r.scheduler.runUntil(11);
    // Only the first 10 edges were queued: 5 rising ones (6 if falling edges were free).
    expect((r.board.global("events") as unknown[]).length).toBe(5);
    expect(r.text("Serial1")).toContain("New interpreter error: FIFO_FULL\r\n");
    // E.getErrorFlags() returns the flags and clears them.
    r.board.run("flags.push(E.getErrorFlags().join(',')); flags.push(E.getErrorFlags().join(','));");
    expect(json(r.board.global("flags"))).toEqual(["FIFO_FULL", ""]);
    expect(r.board.errorFlags).toEqual([]);
  });

  it("applies the edge filter at dispatch: a falling watch sees the rising edge as lastTime", () => {
    const r = rig();
    r.board.run(
      `var seen = []; setWatch(function (e) { seen.push([e.state, e.time, e.lastTime]); }, "D2", { repeat: true, edge: "falling" });`,
    );
    pulses(r, [1], 0.25);
    r.scheduler.runUntil(2);
    expect(json(r.board.global("seen"))).toEqual([
      [false, quantised(1.25 + LATENCY), quantised(1 + LATENCY)],
    ]);
  });

  it("a watch without repeat fires once and is removed", () => {
    const r = rig();
    r.board.run(`var n = 0; var id = setWatch(function () { n++; }, "D2", { edge: "rising" });`);
    expect(r.board.global("id")).toBe(1);
    pulses(r, [1, 2, 3], 0.1);
    r.scheduler.runUntil(4);
    expect(r.board.global("n")).toBe(1);
    expect(r.board.stats.interrupts).toBe(1); // the watch is gone before the falling edge: no interrupt
  });

  it("an edge while its pin's interrupt is pending merges: a pulse shorter than the latency reads low", () => {
    const r = rig();
    r.board.run(`var states = []; setWatch(function (e) { states.push(e.state); }, "D2", { repeat: true });`);
    pulses(r, [1], 2e-6);
    r.scheduler.runUntil(2);
    expect(json(r.board.global("states"))).toEqual([false]);
    expect(r.board.stats.interruptsMerged).toBe(1);
    expect(r.truth.of("espruino.irq-merged")).toHaveLength(1);
  });

  it("interrupt delay = latency plus non-negative jitter (quantisation excluded from the profile's RMS)", () => {
    const profile = stm32Profile({
      interrupt: { latencyS: { value: 5e-6, source: "test" }, jitterRmsS: { value: 20e-6, source: "test" } },
    });
    const r = rig({ profile, seed: 3 });
    r.board.run(`setWatch(function () {}, "A0", { repeat: true });`);
    const starts = Array.from({ length: 400 }, (_, i) => 1 + i * 0.01);
    pulses(r, starts, 0.005, "A0");
    r.scheduler.runUntil(6);
    const delays = r.truth
      .of("espruino.irq")
      .map((f) => (f["interruptTrueS"] as number) - (f["edgeTrueS"] as number));
    expect(delays).toHaveLength(800);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    const rms = Math.sqrt(delays.reduce((a, d) => a + (d - mean) ** 2, 0) / delays.length);
    expect(mean).toBeGreaterThan(5e-6);
    expect(mean).toBeLessThan(15e-6);
    expect(rms).toBeGreaterThan(8e-6);
    expect(rms).toBeLessThan(20e-6);
  });

  it("refuses what Espruino refuses: invalid pins, EXTI clashes, debounce, unknown ids", () => {
    const r = rig({ profile: stm32Profile(), capture: ["USB"] });
    r.board.run(`
      var a = setWatch(function () {}, "Z9", { repeat: true });
      var b = setWatch(function () {}, "A0", { repeat: true });
      var c = setWatch(function () {}, "B0", { repeat: true });
    `);
    expect(r.board.global("a")).toBeUndefined();
    expect(r.board.global("b")).toBe(1);
    expect(r.board.global("c")).toBeUndefined();
    r.board.run(`setWatch(function () {}, "B3", { debounce: 25 });`);
    r.board.run(`clearWatch(7);`);
    r.board.run(`setWatch(function () {}, "B4", { edge: "up" });`);
    r.scheduler.runUntil(1);
    const out = r.text("USB");
    expect(out).toContain("ERROR: Invalid pin\r\n");
    expect(out).toContain("WARNING: Unable to set watch");
    expect(r.board.uncaughtErrors.map((e) => e.text)).toEqual([
      "Uncaught Error: timenode lab: setWatch debounce > 0 is not emulated; use debounce:0",
      "Uncaught Error: Unknown Watch",
      "Uncaught TypeError: 'edge' in setWatch should be a string - either 'rising', 'falling' or 'both'",
    ]);
  });

  it("edges scheduled ahead arrive at their own time; edges in the past are refused", () => {
    const r = rig();
    r.board.run(RECORD_RISING);
    r.board.pins.edge("D2", true, 1);
    r.board.pins.edge("D2", false, 1.5);
    r.scheduler.runUntil(2);
    expect((r.board.global("events") as unknown[]).length).toBe(1);
    expect(() => r.board.pins.edge("D2", true, 1)).toThrow(RangeError);
  });
});
