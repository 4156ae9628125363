import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { getBoard } from "../../boards/index.ts";
import { createLab } from "../../sim/lab.ts";
import { buildFirmware } from "../build/bundle.ts";
import { runSelfTests } from "./selftest-run.ts";

describe("self-test vectors", () => {
  it("pass on the host, with zlib's CRC-32", () => {
    const failures: string[] = [];
    const tally = runSelfTests(
      (text) => crc32(Buffer.from(text, "latin1")),
      (name, ok, detail) => {
        if (!ok) failures.push(`${name}: ${detail}`);
      },
    );
    expect(failures).toEqual([]);
    expect(tally.pass).toBeGreaterThanOrEqual(9);
  });

  for (const boardId of ["pico", "puckjs"]) {
    it(`pass in the self-test bundle on a virtual ${boardId}`, () => {
      const board = getBoard(boardId);
      const result = buildFirmware({ board, selftest: true });
      expect(result.errors).toEqual([]);
      const lab = createLab({ boards: [boardId], seed: 5 });
      const node = lab.nodes[0]!;
      // The self-test replaces the firmware as the boot code; its report goes to the console.
      node.board.writeFile(".bootcde", result.code);
      let console = "";
      node.board.serial(board.console.device).onTransmit((data) => (console += data));
      // The self-test leaves the console where it is; on a Puck.js that is Serial1, the GPS UART, and
      // its REPL would take the receiver's NMEA as typed input. The self-test needs no GPS.
      lab.scheduler.at(0, () => node.gps.stop());
      lab.runUntil(1);
      const lines = console.split(/\r?\n/).filter((l) => l.startsWith("SELFTEST"));
      expect(lines.filter((l) => l.startsWith("SELFTEST FAIL"))).toEqual([]);
      expect(lines.at(-1)).toMatch(new RegExp(`^SELFTEST DONE ${boardId} pass=\\d+ fail=0$`));
      expect(lines.find((l) => l.startsWith("SELFTEST MEMORY"))).toMatch(/usage=\d+ total=\d+/);
      expect(node.board.uncaughtErrors).toEqual([]);
    });
  }
});
