import { describe, expect, it } from "vitest";
import { listBoards } from "../../boards/index.ts";
import { EventScheduler } from "../scheduler.ts";
import { VirtualBoard } from "./board.ts";
import { crc32 } from "../../firmware/src/crc32.ts";
import {
  FixedDelayNetwork,
  FixedRateClock,
  SeededRng,
  constantTemperature,
  rig,
  stm32Profile,
  testProfile,
} from "./testkit.ts";

const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe("E, process and the memory estimate", () => {
  it("E.CRC32 is the standard CRC-32 over 8-bit characters", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
    const r = rig();
    r.board.run(`var c = E.CRC32("123456789");`);
    expect(r.board.global("c")).toBe(3421780262);
  });

  it("E.getTemperature: profile temperature + a fixed per-board offset, in sensor steps; NaN without a sensor", () => {
    const a = rig({ seed: 1, temperature: constantTemperature(21.3) });
    a.board.run(`var t1 = E.getTemperature(); var t2 = E.getTemperature();`);
    const t1 = a.board.global("t1") as number;
    expect(t1).toBe(a.board.global("t2"));
    expect(Math.abs(t1 - 21.3)).toBeLessThanOrEqual(4.125);
    expect((t1 / 0.25) % 1).toBe(0);
    const b = rig({ seed: 2, temperature: constantTemperature(21.3) });
    b.board.run(`var t1 = E.getTemperature();`);
    expect(b.board.global("t1")).not.toBe(t1);
    const none = rig({
      profile: testProfile({ temperature: { present: false, resolutionC: { value: null, source: "t" } } }),
    });
    none.board.run(`var t = E.getTemperature(); var isNan = t !== t;`);
    expect(none.board.global("isNan")).toBe(true);
  });

  it("process.env describes the board; process.memory() reports blocks", () => {
    const r = rig({ profile: stm32Profile(), version: "2v27" });
    r.board.run(`var env = process.env; var m = process.memory(false);`);
    expect(json(r.board.global("env"))).toMatchObject({
      BOARD: "PICO_R1_3",
      VERSION: "2v27",
      CONSOLE: "USB",
      STORAGE: 40960,
    });
    const m = json(r.board.global("m")) as Record<string, number>;
    expect(m["total"]).toBe(2630);
    expect(m["blocksize"]).toBe(13);
    expect((m["free"] as number) + (m["usage"] as number)).toBe(2630);
  });

  it("the memory estimate grows when firmware allocates an array of 100 objects", () => {
    const r = rig();
    r.board.run(`var keep = [];`);
    const before = r.board.memoryEstimate();
    r.board.run(
      `for (var i = 0; i < 100; i++) keep.push({ time: i * 1.5, state: true, label: "edge" + i });`,
    );
    const after = r.board.memoryEstimate();
    // per object: element key + object + 3 × (key + value) ≈ 8 blocks
    expect(after.usage - before.usage).toBeGreaterThan(600);
    expect(after.usage - before.usage).toBeLessThan(1000);
    expect(after.byRoot["keep"]).toBeGreaterThan(600);
    // a typed array of the same data is far smaller
    r.board.run(`keep = new Float64Array(100);`);
    expect(r.board.memoryEstimate().byRoot["keep"]).toBeLessThan(70);
  });

  it("function text uploaded to RAM costs blocks; code loaded from Storage stays in flash", () => {
    const body = `function big() { return "${"x".repeat(900)}".length; }`;
    const ram = rig();
    ram.board.run(body);
    const flash = rig();
    flash.board.writeFile(".bootcde", body);
    flash.board.boot();
    expect(ram.board.memoryEstimate().byRoot["big"]).toBeGreaterThan(100);
    expect(flash.board.memoryEstimate().byRoot["big"]).toBeLessThan(10);
  });
});

describe("require('dgram')", () => {
  it("round trip over the network stand-in; handlers run on the event loop", () => {
    const scheduler = new EventScheduler();
    const net = new FixedDelayNetwork(scheduler, 0.002);
    const a = rig({ scheduler, network: net, address: "10.0.0.2", profile: stm32Profile() });
    const b = rig({ scheduler, network: net, address: "10.0.0.3", profile: stm32Profile(), seed: 2 });
    b.board.run(`var dgram = require("dgram"); var s = dgram.createSocket("udp4");
      s.on("message", function (msg, rinfo) { s.send("pong:" + msg, rinfo.port, rinfo.address); });
      s.bind(5000);`);
    a.board.run(`var got = []; var c = require("dgram").createSocket({ type: "udp4" });
      c.on("message", function (msg, rinfo) { got.push([msg, rinfo.address, rinfo.port, rinfo.size, getTime()]); });
      c.bind(6000, function () { c.send("ping", 5000, "10.0.0.3"); });`);
    scheduler.runUntil(1);
    const got = json(a.board.global("got")) as [string, string, number, number, number][];
    const [msg, address, port, size, at] = got[0] ?? [];
    expect([msg, address, port, size]).toEqual(["pong:ping", "10.0.0.3", 5000, 9]);
    expect(at).toBeGreaterThan(0.004); // two network delays plus main-loop time
  });

  it("is absent without a network", () => {
    const r = rig();
    r.board.run(`require("dgram");`);
    expect(r.board.uncaughtErrors[0]?.text).toBe("Uncaught Error: Module dgram not found");
  });
});

describe("determinism and the real board profiles", () => {
  const FIRMWARE = `
    var n = 0;
    Serial1.setup(9600);
    setWatch(function (e) { n++; print("pps " + n + " " + e.time.toFixed(6) + " " + E.getTemperature()); }, "D2",
      { repeat: true, edge: "rising" });
    Serial1.on("data", function (d) { print("rx " + d.length + " " + Math.random().toFixed(6)); });
    setInterval(function () { print("tick " + getTime().toFixed(6)); }, 700);
    LoopbackA.setConsole(true);`;

  function transcript(seed: number): string {
    const scheduler = new EventScheduler();
    const board = new VirtualBoard({
      profile: testProfile({
        interrupt: { latencyS: { value: 5e-6, source: "t" }, jitterRmsS: { value: 30e-6, source: "t" } },
      }),
      clock: new FixedRateClock(-37e-6),
      scheduler,
      rng: new SeededRng(seed),
      temperature: constantTemperature(25),
    });
    const lines: string[] = [];
    board.serial("LoopbackB").onTransmit((d, t) => lines.push(`${t.toFixed(9)} ${JSON.stringify(d)}`));
    board.serial("LoopbackA").onTransmit((d, t) => lines.push(`${t.toFixed(9)} ${JSON.stringify(d)}`));
    board.writeFile(".bootcde", FIRMWARE);
    board.boot();
    for (let s = 1; s <= 20; s++) {
      scheduler.at(s, () => board.pins.edge("D2", true, s));
      scheduler.at(s + 0.1, () => board.pins.edge("D2", false, s + 0.1));
      scheduler.at(s + 0.3, () => board.serial("Serial1").receive("$GPRMC,...\r\n", s + 0.3));
    }
    scheduler.runUntil(21);
    return lines.join("\n");
  }

  it("the same seed gives an identical transcript; another seed a different one", () => {
    const first = transcript(42);
    expect(first.split("\n").length).toBeGreaterThan(60);
    expect(transcript(42)).toBe(first);
    expect(transcript(43)).not.toBe(first);
  });

  it("every board profile boots and runs a small program", () => {
    for (const profile of listBoards()) {
      const scheduler = new EventScheduler();
      const board = new VirtualBoard({
        profile,
        clock: new FixedRateClock(),
        scheduler,
        rng: new SeededRng(1),
        temperature: constantTemperature(20),
        network: new FixedDelayNetwork(scheduler),
      });
      board.writeFile(
        ".bootcde",
        `var n = 0; setWatch(function () { n++; }, "${profile.pins.defaultPps}", { repeat: true, edge: "rising" });
         print(process.env.BOARD, getTime());`,
      );
      board.boot();
      for (let s = 1; s <= 3; s++) scheduler.at(s, () => board.pins.edge(profile.pins.defaultPps, true, s));
      for (let s = 1; s <= 3; s++)
        scheduler.at(s + 0.1, () => board.pins.edge(profile.pins.defaultPps, false, s + 0.1));
      scheduler.runUntil(4);
      expect(board.uncaughtErrors, profile.id).toEqual([]);
      expect(board.global("n"), profile.id).toBe(3);
    }
  });
});

describe("code origin in the memory estimate", () => {
  it("a RAM snippet on a booted board does not move the boot code's functions into RAM", () => {
    const r = rig();
    r.board.writeFile(".bootcde", `function big() { return "${"y".repeat(900)}".length; }`);
    r.board.boot();
    r.board.run(`function small() { return 1; }`);
    const est = r.board.memoryEstimate();
    expect(est.byRoot["big"]).toBeLessThan(10);
    expect(est.byRoot["small"]).toBeGreaterThan(3);
  });
});
