import { describe, expect, it } from "vitest";
import { rig, stm32Profile } from "./testkit.ts";

const BYTE_9600_S = 10 / 9600;
const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe("serial devices", () => {
  it("delivers a paced 500-byte burst in several chunks whose concatenation is exact", () => {
    const r = rig({ profile: stm32Profile(), taskCostS: 0.01 });
    r.board.run(
      `var chunks = []; Serial1.setup(9600); Serial1.on('data', function (d) { chunks.push(d); });`,
    );
    const burst = Array.from({ length: 500 }, (_, i) => String.fromCharCode(32 + ((i * 7) % 95))).join("");
    const port = r.board.serial("Serial1");
    // The link model hands over 4-byte pieces as they complete on the wire.
    for (let i = 0; i < burst.length; i += 4) {
      const t = 1 + (i + 4) * BYTE_9600_S;
      r.scheduler.at(t, () => port.receive(burst.slice(i, i + 4), t));
    }
    r.scheduler.runUntil(2);
    const chunks = json(r.board.global("chunks")) as string[];
    expect(chunks.join("")).toBe(burst);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.length).toBeLessThan(125); // pieces that arrived while the handler ran were merged
    expect(Math.max(...chunks.map((c) => c.length))).toBeGreaterThan(4);
  });

  it("hands data that arrived at once to the handler as one chunk", () => {
    const r = rig({ profile: stm32Profile() });
    r.board.run(
      `var chunks = []; Serial1.setup(9600); Serial1.on('data', function (d) { chunks.push(d); });`,
    );
    r.board.serial("Serial1").receive("x".repeat(300), 0);
    r.scheduler.runUntil(1);
    expect(json(r.board.global("chunks"))).toEqual(["x".repeat(300)]);
  });

  it("transmits at the configured baud: 10 bits per byte, one notification per write at completion", () => {
    const r = rig({ profile: stm32Profile(), capture: ["Serial1"] });
    r.board.run(
      `Serial1.setup(9600); setTimeout(function () { Serial1.write("0123456789"); Serial1.write("ab"); }, 1000);`,
    );
    r.scheduler.runUntil(2);
    const writes = r.tx.get("Serial1") ?? [];
    expect(writes.map((w) => w.data)).toEqual(["0123456789", "ab"]);
    expect(writes[0]?.trueTimeS).toBeCloseTo(1 + 10 * BYTE_9600_S, 9);
    expect(writes[1]?.trueTimeS).toBeCloseTo(1 + 12 * BYTE_9600_S, 9);
  });

  it("a write that outruns the transmit buffer blocks the main loop", () => {
    const r = rig({ profile: stm32Profile(), capture: ["Serial1"] });
    r.board.run(`Serial1.setup(9600); var before, after;
      setTimeout(function () { before = getTime(); Serial1.write(new Array(301).join("z")); after = getTime(); }, 1000);`);
    r.scheduler.runUntil(2);
    const blockedS = (r.board.global("after") as number) - (r.board.global("before") as number);
    expect(blockedS).toBeCloseTo((300 - 128) * BYTE_9600_S, 4);
  });

  it("USB CDC is fast and needs no setup; a UART loses what arrives before setup()", () => {
    const r = rig({
      profile: stm32Profile({ console: { device: "Serial2", baud: 9600, source: "test" } }),
      capture: ["USB"],
    });
    r.board.run(`var got = ""; USB.on('data', function (d) { got += d; USB.write(d.toUpperCase()); });
      var s1 = ""; Serial1.on('data', function (d) { s1 += d; });`);
    r.board.serial("USB").receive("hello", 1);
    r.board.serial("Serial1").receive("lost", 1);
    r.scheduler.runUntil(1.5);
    r.board.run(`Serial1.setup(115200, { rx: "B7", tx: "B6" });`);
    r.board.serial("Serial1").receive("kept", 2);
    r.scheduler.runUntil(3);
    expect(r.board.global("got")).toBe("hello");
    expect(r.board.global("s1")).toBe("kept");
    expect(r.board.stats.rxBytesDropped).toBe(4);
    expect(r.board.serial("Serial1").setup).toEqual({ baud: 115200, rx: "B7", tx: "B6" });
    const echo = r.tx.get("USB")?.find((w) => w.data === "HELLO");
    expect(echo?.trueTimeS).toBeCloseTo(1 + 5e-6, 6);
    r.board.run(`Serial1.setup(-5);`);
    expect(r.board.uncaughtErrors.at(-1)?.text).toBe("Uncaught Error: Invalid baud rate -5");
  });

  it("USB is flow-controlled (held, not lost) while a flooded UART drops and raises FIFO_FULL", () => {
    const r = rig({ profile: stm32Profile({ console: { device: "Serial2", baud: 9600, source: "test" } }) });
    r.board.run(`var usb = 0, uart = 0; Serial1.setup(9600);
      USB.on('data', function (d) { usb += d.length; }); Serial1.on('data', function (d) { uart += d.length; });`);
    r.scheduler.at(0.5, () => r.board.stall(1));
    r.scheduler.at(1, () => r.board.serial("USB").receive("u".repeat(5000), 1));
    r.scheduler.at(1, () => r.board.serial("Serial1").receive("s".repeat(5000), 1));
    r.scheduler.runUntil(3);
    expect(r.board.global("usb")).toBe(5000);
    expect(r.board.global("uart")).toBeLessThan(5000);
    expect(r.board.stats.rxBytesDropped).toBe(5000 - (r.board.global("uart") as number));
    expect(r.truth.of("espruino.io-drop")[0]).toMatchObject({
      kind: "serial",
      device: "Serial1",
      reason: "queue-full",
    });
  });
});

describe("console", () => {
  it("print goes to the console device with \\r\\n; the prompt is removed and returned around it", () => {
    const r = rig({ capture: ["Serial1"] });
    r.board.writeFile(
      ".bootcde",
      `print("booted"); setTimeout(function () { console.log("t", 1, [1, 2], { a: "b" }); }, 10);`,
    );
    r.board.boot();
    r.scheduler.runUntil(1);
    expect(r.text("Serial1")).toBe('booted\r\n>\r\x1b[Jt 1 [ 1, 2 ] { "a": "b" }\r\n>');
    expect(r.board.consoleDevice).toBe("Serial1");
  });

  it("data arriving on the console device goes to the REPL, not to on('data')", () => {
    const r = rig();
    r.board.run(`var got = ""; Serial1.on('data', function (d) { got += d; });`);
    r.board.serial("Serial1").receive("1+1\n", 1);
    r.scheduler.runUntil(2);
    expect(r.board.global("got")).toBe("");
    expect(r.board.stats.replInputBytes).toBe(4);
  });

  it("LoopbackA.setConsole(true) frees USB; console output then loops back to LoopbackB", () => {
    const r = rig({ profile: stm32Profile(), capture: ["USB"] });
    r.board.writeFile(
      ".bootcde",
      `LoopbackA.setConsole(true);
       var fromHost = "", consoleText = "";
       USB.on('data', function (d) { fromHost += d; print("got " + d); });
       LoopbackB.on('data', function (d) { consoleText += d; });`,
    );
    r.board.boot();
    r.board.serial("USB").receive("ping", 1);
    r.scheduler.runUntil(2);
    expect(r.board.global("fromHost")).toBe("ping");
    expect(r.board.global("consoleText")).toContain("got ping\r\n");
    expect(r.text("USB")).toBe("-> LoopbackA\r\n");
    expect(r.board.consoleDevice).toBe("LoopbackA");
    r.board.run(`var env = process.env.CONSOLE; E.setConsole("USB", { force: true });`);
    expect(r.board.global("env")).toBe("LoopbackA");
    r.scheduler.runUntil(3);
    expect(r.text("USB")).toBe("-> LoopbackA\r\n<- LoopbackA\r\n>");
  });

  it("console moves back to the default device on load()", () => {
    const r = rig({ profile: stm32Profile(), capture: ["USB"] });
    r.board.writeFile(
      ".bootcde",
      `var boots = (global.boots || 0) + 1; USB.on('data', function (d) { if (d === "again") load(); });`,
    );
    r.board.boot();
    r.board.run(`LoopbackA.setConsole(true);`);
    r.scheduler.runUntil(0.5);
    expect(r.board.consoleDevice).toBe("LoopbackA");
    r.board.serial("USB").receive("again", 1);
    r.scheduler.runUntil(2);
    expect(r.board.consoleDevice).toBe("USB");
    expect(r.board.global("boots")).toBe(1); // a fresh interpreter: nothing survived
  });
});
