import { describe, expect, it } from "vitest";
import { getBoard } from "../../boards/index.ts";
import { crc32 } from "../../firmware/src/crc32.ts";
import { createLab, firmwareBundle, type LabOptions } from "../../sim/lab.ts";
import { chunkBytesFor, eraseBootCode, flashBoard, storageFootprint, BOOT_FILE } from "./flash.ts";
import { labByteLink } from "./lab-link.ts";
import type { ByteLink } from "./link.ts";
import { RecordAuthenticator } from "../truth/record-auth.ts";
import { FlashError, ReplSession } from "./repl-session.ts";

/** One lab board, run past its boot, and a REPL session on its host link. */
function boardOn(id: string, options: Partial<LabOptions> = {}, cutAfterBytes?: number) {
  const lab = createLab({ boards: [id], ...options });
  lab.runUntil(2);
  const node = lab.nodes[0]!;
  const link = labByteLink(lab, node, cutAfterBytes === undefined ? {} : { cutAfterBytes });
  return { lab, node, link, session: new ReplSession(link) };
}

const bundleFor = (id: string) => firmwareBundle(getBoard(id));

describe("timenode flash over the REPL (virtual boards)", () => {
  it("flashes a blank Pico with file-transfer packets, verifies the CRC and sees the hello", async () => {
    const { node, session } = boardOn("pico", { blank: true });
    const code = bundleFor("pico");
    const progress: number[] = [];
    const result = await flashBoard(session, {
      board: getBoard("pico"),
      code,
      onProgress: (written) => progress.push(written),
    });
    expect(result.method).toBe("packets");
    expect(result.verified).toBe(true);
    expect(result.crc32).toBe(crc32(code));
    expect(result.tookConsoleFromFirmware).toBe(false);
    expect(result.hello?.serial).toBe(node.board.serialNumber);
    expect(node.board.readFile(BOOT_FILE)).toBe(code);
    expect(progress.at(-1)).toBe(code.length);
    expect(result.chunks).toBe(Math.ceil(code.length / 1024));
  });

  it("takes the console back from running timenode firmware before flashing", async () => {
    const { node, session } = boardOn("pico");
    const result = await flashBoard(session, { board: getBoard("pico"), code: bundleFor("pico") });
    expect(result.tookConsoleFromFirmware).toBe(true);
    expect(result.hello?.serial).toBe(node.board.serialNumber);
  });

  it("falls back to Storage.write lines on Espruino before 2v25", async () => {
    const { node, session } = boardOn("pico", { blank: true, espruinoVersion: "2v21" });
    const code = bundleFor("pico");
    const result = await flashBoard(session, { board: getBoard("pico"), code });
    expect(result.method).toBe("lines");
    expect(result.verified).toBe(true);
    expect(node.board.readFile(BOOT_FILE)).toBe(code);
    expect(node.board.replCounters.packetsAcked).toBe(0);
  });

  it("sizes chunks for a UART console: an ESP32 at 115200 baud gets half its input queue", async () => {
    expect(chunkBytesFor(getBoard("esp32"))).toBe(512);
    expect(chunkBytesFor(getBoard("pico"))).toBe(1024);
    const { node, session } = boardOn("esp32", { blank: true });
    const code = bundleFor("esp32");
    const result = await flashBoard(session, { board: getBoard("esp32"), code });
    expect(result.chunkBytes).toBe(512);
    expect(result.retries).toBe(0);
    expect(node.board.readFile(BOOT_FILE)).toBe(code);
    expect(node.board.errorFlags).not.toContain("FIFO_FULL");
  });

  it("refuses a board of another kind and leaves its firmware running as it was", async () => {
    const { lab, node, session } = boardOn("puckjs");
    const before = node.board.readFile(BOOT_FILE);
    const error = await flashBoard(session, { board: getBoard("pico"), code: bundleFor("pico") }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FlashError);
    expect(String((error as Error).message)).toMatch(/has a PUCKJS board .* not a .*pass --board puckjs/);
    expect(node.board.readFile(BOOT_FILE)).toBe(before);
    // The console went back to the firmware, which goes on sending records without a reboot.
    const sent: string[] = [];
    node.onHostData((d) => sent.push(d));
    lab.runUntil(lab.scheduler.now + 60);
    expect(node.board.consoleDevice).toBe("LoopbackA");
    expect(sent.join("").match(/#TN\d+,P,/g)?.length).toBeGreaterThan(10);
    expect(node.board.uncaughtErrors).toEqual([]);
  });

  it("refuses a bundle larger than the board's free Storage before touching it", async () => {
    const { node, session } = boardOn("pico", { blank: true });
    const free = getBoard("pico").storageBytes.value;
    const error = await flashBoard(session, { board: getBoard("pico"), code: "x".repeat(free) }).catch(
      (e: unknown) => e,
    );
    expect(String((error as Error).message)).toMatch(
      new RegExp(`needs ${storageFootprint(free)} bytes of Storage but .* has \\d+ free`),
    );
    expect(node.board.readFile(BOOT_FILE)).toBeUndefined();
  });

  it("reports an upload cut off halfway, and a retry on the replugged board succeeds", async () => {
    const code = bundleFor("pico");
    const { lab, node, session } = boardOn("pico", { blank: true }, Math.floor(code.length / 2));
    const error = await flashBoard(session, { board: getBoard("pico"), code }).catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(
      /stopped with \d+ of \d+ bytes acknowledged .*half-written \.bootcde.*timenode flash --erase/,
    );
    const half = node.board.readFile(BOOT_FILE);
    expect(half).toBeDefined();
    expect(half).not.toBe(code);
    const again = new ReplSession(labByteLink(lab, node));
    const result = await flashBoard(again, { board: getBoard("pico"), code });
    expect(result.verified).toBe(true);
    expect(result.hello?.serial).toBe(node.board.serialNumber);
  });

  it("--dry-run reads the board and changes nothing", async () => {
    const { lab, node, session } = boardOn("pico");
    const before = node.board.readFile(BOOT_FILE);
    const result = await flashBoard(session, {
      board: getBoard("pico"),
      code: bundleFor("pico"),
      dryRun: true,
    });
    expect(result.dryRun).toBe(true);
    expect(result.espruinoBoard).toBe("PICO_R1_3");
    expect(node.board.readFile(BOOT_FILE)).toBe(before);
    lab.runUntil(lab.scheduler.now + 1);
    expect(node.board.consoleDevice).toBe("LoopbackA");
  });

  it("builds the bundle for the board it finds: a node key for its serial, its records then signed", async () => {
    const { lab, node, link, session } = boardOn("pico", { blank: true });
    const keyHex = "00112233445566778899aabbccddeeff";
    let serialSeen = "";
    const result = await flashBoard(session, {
      board: getBoard("pico"),
      code: (env) => {
        serialSeen = env.serial;
        return firmwareBundle(getBoard("pico"), { authKey: keyHex });
      },
    });
    expect(serialSeen).toBe(node.board.serialNumber);
    expect(result.hello?.serial).toBe(node.board.serialNumber);
    lab.runUntil(lab.scheduler.now + 30);
    const authenticator = new RecordAuthenticator(new Map([[serialSeen, Buffer.from(keyHex, "hex")]]));
    const lines = link.received.match(/#TN[^\r\n]*/g) ?? [];
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every((l) => authenticator.check(l).ok)).toBe(true);
  });

  it("erases the boot code", async () => {
    const { node, session } = boardOn("pico");
    const result = await eraseBootCode(session);
    expect(result.hadBootFile).toBe(true);
    expect(node.board.readFile(BOOT_FILE)).toBeUndefined();
  });

  it("says so when nothing answers like a REPL", async () => {
    let nowMs = 0;
    const silent: ByteLink = {
      name: "/dev/ttyUSB9",
      received: "",
      closedReason: null,
      nowMs: () => nowMs,
      write: () => Promise.resolve(),
      wait: (ms) => {
        nowMs += ms;
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    };
    await expect(flashBoard(new ReplSession(silent), { board: getBoard("pico"), code: "1" })).rejects.toThrow(
      /no Espruino REPL answered on \/dev\/ttyUSB9/,
    );
  });
});
