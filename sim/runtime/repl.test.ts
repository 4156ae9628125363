import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32 } from "../../firmware/src/crc32.ts";
import { ACK, encodePacket, isCompleteInput, NAK, PACKET_TYPE, supportsPackets } from "./repl.ts";
import { rig, stm32Profile } from "./testkit.ts";

/** A board with its console on USB, booted with empty Storage, and everything it sends on USB. */
function replRig(version?: string) {
  const r = rig({ profile: stm32Profile(), capture: ["USB"], ...(version ? { version } : {}) });
  r.board.boot();
  r.scheduler.runUntil(0.1);
  const usb = r.board.serial("USB");
  const output = () => (r.tx.get("USB") ?? []).map((w) => w.data).join("");
  let t = 0.1;
  const type = (text: string) => {
    t += 0.05;
    r.scheduler.at(t, () => usb.receive(text, t));
    r.scheduler.runUntil(t + 0.04);
  };
  return { r, output, type };
}

describe("REPL emulation", () => {
  it("echoes a typed line, runs it and prints the result before a new prompt", () => {
    const { output, type } = replRig();
    type("1+2\r");
    expect(output()).toContain("1+2\r\n=3\r\n>");
  });

  it("waits for brackets to balance, with a ':' prompt", () => {
    const { output, type } = replRig();
    type("function f(a) {\r");
    expect(output()).toContain("function f(a) {\r\n:");
    type("return a*2; }\r");
    type("f(21)\r");
    expect(output()).toContain("=42");
  });

  it("runs a DLE line without echo and without the result", () => {
    const { output, type } = replRig();
    type('\x10var secret = 7; print("x" + "y" + secret)\n');
    const out = output();
    expect(out).toContain("xy7");
    expect(out).not.toContain("secret");
    expect(out).not.toContain("=undefined");
  });

  it("ESC LF adds a newline without running the line", () => {
    const { r, type } = replRig();
    type("\x10var s = 'a';\x1b\ns += 'b';\n");
    expect(r.board.global("s")).toBe("ab");
  });

  it("Ctrl-C throws the typed line away", () => {
    const { r, type } = replRig();
    type("var lost = 1");
    type("\x03");
    type("\x10var kept = 2\n");
    expect(r.board.global("lost")).toBeUndefined();
    expect(r.board.global("kept")).toBe(2);
  });

  it("answers ENQ on an empty line with the version and the board", () => {
    const { output, type } = replRig();
    type("\x05");
    expect(output()).toContain("Espruino 2v29 PICO_R1_3\r\n");
  });

  it("prints an uncaught error and goes on", () => {
    const { output, type } = replRig();
    type("nosuchthing\r");
    type("'ok'\r");
    expect(output()).toContain("Uncaught ReferenceError");
    expect(output()).toContain('="ok"');
  });

  it("writes Storage in chunks that E.CRC32 can verify, then load() runs the boot code", () => {
    const { r, output, type } = replRig();
    const code = 'var booted = "yes"; print("booted");';
    type(
      `\x10require("Storage").write(".bootcde", ${JSON.stringify(code.slice(0, 10))}, 0, ${code.length})\n`,
    );
    type(`\x10require("Storage").write(".bootcde", ${JSON.stringify(code.slice(10))}, 10)\n`);
    type('\x10print("crc=" + E.CRC32(require("Storage").read(".bootcde")))\n');
    expect(output()).toContain(`crc=${crc32(code)}`);
    type("\x10load()\n");
    expect(r.board.global("booted")).toBe("yes");
  });

  it("reset() clears RAM and keeps the console on the connected USB link", () => {
    const { r, output, type } = replRig();
    r.board.connectHost("USB");
    type("\x10var gone = 1\n");
    type("\x10reset()\n");
    r.scheduler.runUntil(2);
    expect(r.board.global("gone")).toBeUndefined();
    expect(r.board.consoleDevice).toBe("USB");
    expect(output()).toContain("Espruino 2v29 on PICO_R1_3");
  });

  describe("packets (2v25 and later)", () => {
    it("FILE_SEND then DATA packets, each acknowledged, write the file", () => {
      const { r, output, type } = replRig();
      const data = "x".repeat(1500);
      type(encodePacket(PACKET_TYPE.fileSend, JSON.stringify({ fn: "f.js", s: data.length })));
      type(encodePacket(PACKET_TYPE.data, data.slice(0, 1024)));
      type(encodePacket(PACKET_TYPE.data, data.slice(1024)));
      expect(output()).toBe(">" + ACK + ACK + ACK);
      expect(r.board.readFile("f.js")).toBe(data);
    });

    it("refuses DATA beyond the announced size and a file that does not fit", () => {
      const { output, type } = replRig();
      type(encodePacket(PACKET_TYPE.fileSend, JSON.stringify({ fn: "f.js", s: 4 })));
      type(encodePacket(PACKET_TYPE.data, "12345"));
      type(encodePacket(PACKET_TYPE.fileSend, JSON.stringify({ fn: "big.js", s: 1e9 })));
      type(encodePacket(PACKET_TYPE.fileSend, "{not json"));
      expect(output()).toBe(">" + ACK + NAK + NAK + NAK);
    });

    it("EVAL answers ACK and a RESPONSE packet with the result", () => {
      const { output, type } = replRig();
      type(encodePacket(PACKET_TYPE.eval, "process.env.BOARD"));
      expect(output()).toBe(">" + ACK + encodePacket(PACKET_TYPE.response, '"PICO_R1_3"'));
    });

    it("FILE_RECV sends the file back in DATA packets ending with an empty one", () => {
      const { r, output, type } = replRig();
      r.board.writeFile("g.js", "y".repeat(1100));
      type(encodePacket(PACKET_TYPE.fileRecv, JSON.stringify({ fn: "g.js" })));
      expect(output()).toBe(
        ">" +
          ACK +
          encodePacket(PACKET_TYPE.data, "y".repeat(1024)) +
          encodePacket(PACKET_TYPE.data, "y".repeat(76)) +
          encodePacket(PACKET_TYPE.data, ""),
      );
    });

    it("NAKs a packet that stops arriving, then takes ordinary input again", () => {
      const { r, output, type } = replRig();
      const packet = encodePacket(PACKET_TYPE.data, "z".repeat(100));
      type(packet.slice(0, 50));
      r.scheduler.runUntil(5);
      expect(output()).toBe(">" + NAK);
      expect(r.board.replCounters.packetTimeouts).toBe(1);
    });

    it("a board older than 2v25 has no packets: DLE SOH is an echo-off line", () => {
      const { output, type } = replRig("2v21");
      type(encodePacket(PACKET_TYPE.eval, "1"));
      type("\n");
      expect(output()).not.toContain(ACK);
    });
  });

  it("knows which versions have packets", () => {
    expect(supportsPackets("2v25")).toBe(true);
    expect(supportsPackets("2v29.14")).toBe(true);
    expect(supportsPackets("2v24")).toBe(false);
    expect(supportsPackets("1v99")).toBe(false);
    expect(supportsPackets("garbage")).toBe(false);
  });

  it("decides line completeness like a bracket count that skips strings and comments", () => {
    expect(isCompleteInput("f(")).toBe(false);
    expect(isCompleteInput('f("(")')).toBe(true);
    expect(isCompleteInput("a = {b: [1, 2]}")).toBe(true);
    expect(isCompleteInput("/* ( */ 1")).toBe(true);
    expect(isCompleteInput("/* open")).toBe(false);
    expect(isCompleteInput("x // {")).toBe(true);
    // Any JSON string literal is one complete token.
    fc.assert(fc.property(fc.string(), (s) => isCompleteInput(`f(${JSON.stringify(s)})`)));
  });
});
